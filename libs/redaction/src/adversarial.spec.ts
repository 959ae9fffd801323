import fc from 'fast-check';

import {
  createRedactor,
  redact,
  REDACTED,
  redactError,
  redactErrorMessage,
  redactHeaders,
  RedactionPolicyError,
  redactString,
  TRUNCATED,
} from './index';
import { parseRedactionPolicy } from './policy-file';

// The issue's rule is 100 ms per request at realistic sizes; a 1 MB value is past any realistic size
// (and past the default `maxStringLength`), so 1 s is the generous bound that still tells linear
// (tens to hundreds of ms here) from quadratic (seconds to hours on these inputs before the fix).
const BOUND_MS = 1_000;
const MB = 1 << 20;

/**
 * CPU time the process spent on `work`, which is synchronous: how long it holds the event loop on an
 * idle machine. Not wall time: these machines are shared, and a neighbour's load would be counted.
 */
function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1_000;
}

const repeat = (unit: string, length: number): string =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

describe('linear in its input: 1 MB of hostile text', () => {
  const inputs: [string, () => string][] = [
    ['key=value runs: a=a=a=…', () => repeat('a=', MB)],
    ['key: value runs: a:a:a:…', () => repeat('a:', MB)],
    ['URL-ish runs: http://u:p…', () => repeat('http://u:p', MB)],
    ['JSON openers: {"a":{"a":…', () => repeat('{"a":', MB)],
    ['quoted key=value: a="b" …', () => repeat('a="b" ', MB)],
    ['unclosed escaped quotes', () => repeat('password=\\"', MB)],
    ['no spaces at all', () => repeat('abcdefghij', MB)],
    ['digits (card candidates)', () => repeat('4', MB)],
    ['spaced digits (card and phone candidates)', () => repeat('4 ', MB)],
    ['@ and . (e-mail candidates)', () => repeat('@.', MB)],
    ['%40 separators', () => repeat('a%40', MB)],
    ['base64 runs', () => repeat('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIzNDU2Nzg5+/', MB)],
    ['JWT starts inside one segment: -eyJa-eyJa…', () => repeat('-eyJa', MB)],
    ['IBAN-ish groups', () => repeat('GB82 ', MB)],
    ['capitals (key words split)', () => repeat('A', MB)],
    // secret detectors (detectors/secrets.ts)
    ['provider prefixes: ghp_ghp_…', () => repeat('ghp_', MB)],
    ['provider prefixes with long bodies: glpat-aaaa…', () => repeat(`glpat-${'a'.repeat(299)} `, MB)],
    ['Mailchimp hex runs: <40 hex>-us1', () => repeat(`${'ab12'.repeat(10)}-us1 `, MB)],
    ['Mailgun key- runs without the name', () => repeat(`key-${'0123456789abcdef'.repeat(2)} `, MB)],
    ['Discord-like runs: MMMM….', () => repeat(`${'M'.repeat(24)}.`, MB)],
    ['Telegram-like runs: 123456789:A…', () => repeat('123456789:A', MB)],
    ['Azure client secret-like runs: abc8Q~', () => repeat('abc8Q~', MB)],
    ['unclosed private keys', () => repeat('-----BEGIN PRIVATE KEY-----', MB)],
    ['private key labels without the words', () => repeat('---- BEGIN AAAA', MB) + 'PRIVATE KEY'],
    ['PuTTY headers', () => repeat('PuTTY-User-Key-File-2: ', MB)],
    ['URL userinfo with @ runs', () => repeat('a://b:c@d@e@', MB)],
    ['Oracle thin prefixes', () => repeat('jdbc:oracle:thin:a/', MB) + '@'],
    ['ADO.NET passwords without an end', () => repeat(`Password=${'x '.repeat(150)}`, MB) + ';'],
    ['Azure AccountKey and sig runs', () => repeat('AccountKey=sig=sv=&', MB)],
    ['subscript assignments: a["password"]=', () => repeat('a["password"]=', MB)],
    ['unclosed quoted values: password := "', () => repeat('password := "', MB)],
    ['flags: --password --password', () => repeat('--password ', MB)],
    ['annotations: a: bbbb… =', () => repeat(`a: ${'b'.repeat(39)} `, MB)],
    ['getter defaults: getenv("DB_PASSWORD", ', () => repeat('getenv("DB_PASSWORD", ', MB)],
    ['.NET add elements', () => repeat('<add key="password" value="', MB)],
    ['Kubernetes Secret blocks', () => repeat('kind: Secret\ndata:\n  a: |\n    b\n', MB)],
    ['generic keys with long values', () => repeat(`a_key="${'Ab1'.repeat(90)}" `, MB)],
    ['webhook paths', () => repeat('hooks.slack.com/services/discord.com/api/webhooks/1/', MB)],
    ['password words before quotes: password password …', () => repeat("password '", MB)],
    ['auth names before operators: _auth=_auth=…', () => repeat('/:_auth=', MB)],
    ['CircleCI-like prefixes: CCIPAT_aaaa…_', () => repeat(`CCIPAT_${'a'.repeat(22)}_`, MB)],
    ['scp-like remotes: a@b.cc:dd a@b.cc:dd …', () => repeat('a@b.cc:dd', MB)],
    [
      'URL users and Message-IDs: ://a@b.cc <1234567890123456@b.cc>',
      () => repeat('://a@b.cc <1234567890123456@b.cc>', MB),
    ],
    ['file-path values of sensitive keys', () => repeat(`token=/${'a/'.repeat(20)}b.json `, MB)],
    ['a file-path value of 1 MB', () => `credentials=/${repeat('a/', MB)}b.json`],
    // personal-data detectors (src/detectors/)
    ['Bengali phone numbers (folded-digit pass)', () => repeat('০১৭১২৩৪৫৬৭৮ ', MB)],
    ['one run of Bengali digits', () => repeat('০', MB)],
    ['Bengali and ASCII digits mixed', () => repeat('1১-', MB)],
    ['phone separators: 01 01 01 …', () => repeat('01 ', MB)],
    ['area codes: (1) (1) …', () => repeat('(1) ', MB)],
    ['plus signs: +1 +1 …', () => repeat('+1 ', MB)],
    ['encoded plus signs: %2B1%2B1…', () => repeat('%2B1', MB)],
    ['00 prefixes: 00880-1312-660984 …', () => repeat('00880-1312-660984 ', MB)],
    ['parenthesised id words: (NID) (NID) …', () => repeat('(NID) 12-', MB)],
    ['lower-case 0x addresses', () => repeat(`0x${'ab'.repeat(20)} `, MB)],
    ['quads and versions in upgrade lines', () => repeat('1.2.3 -> 10.2.14.7 -> ', MB)],
    ['task arguments: kyc.nid[a] args:[…]', () => repeat('kyc.nid[a] args:[1234567890,', MB)],
    ['task argument openers: args:[args:[…', () => repeat('args:[1234567890 ', MB)],
    ['salutations: Dear Rahim Dear Rahim …', () => repeat('Dear Rahim ', MB)],
    ['titles: Mr. Aa Mr. Aa …', () => repeat('Mr. Aa ', MB)],
    ['role words and names', () => repeat('customer Aa Bb Cc Dd Ee ', MB)],
    ['Bengali name fields', () => repeat('নাম ', MB)],
    ['context words: account 1234 …', () => repeat('account 1234 ', MB)],
    ['valid Bitcoin addresses', () => repeat('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 ', MB)],
    [
      'mixed-case 0x addresses failing EIP-55',
      () => repeat('to 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAee ', MB),
    ],
    ['birth words: born 1 born 1 …', () => repeat('born 1', MB)],
    ['id-shaped: 123456-123456-…', () => repeat('123456-', MB)],
    ['a context word, a million spaces, no number', () => `nid${' '.repeat(MB)}x 1234567`],
    ['lower-case id shapes: t1234567a t1234567a …', () => repeat('t1234567a ', MB)],
    ['lower-case fiscal-code shapes', () => repeat('rssmra85t10a562x ', MB)],
    ['one-time code words: otp otp …', () => repeat('otp 1 ', MB)],
    ['message-id headers full of addresses', () => 'Message-ID: ' + repeat('<a@b.cc>', MB)],
    ['addresses in angle brackets on one long line', () => repeat('x <a@b.cc> ', MB)],
    ['id prefixes before addresses: <a=a=a=…a@b.cc', () => 'References: <' + repeat('a=', MB) + 'a@b.cc>'],
    ['signature delimiters: --\nAa Bb …', () => repeat('--\nAa Bb ', MB)],
    ['link words without tokens: /reset/a/reset/a …', () => repeat('/reset/a', MB)],
    ['reply attributions never closed: , Aa Bb <', () => repeat(', Aa Bb <x', MB)],
    ['sign-offs: Best,\nAa Best,\nAa …', () => repeat('Best,\nAa ', MB)],
    ['link words with long segments', () => repeat(`/verify/${'a1'.repeat(40)}/`, MB)],
    ['a name cue, a million tabs, no name', () => `Name${'\t'.repeat(MB)}: x Rahim`],
    ["quoted display names never closed: 'Aa Bb Cc <", () => repeat("'Aa Bb Cc Dd <x", MB)],
    ['self-introductions: ami Aa Bb ami Aa Bb …', () => repeat('ami Aa Bb I am Cc Dd ', MB)],
    ['Bengali self-introductions without a verb: আমি আমি …', () => repeat('আমি রহিম ', MB)],
    ['CPF shapes chained: 348.110.627-348.110.627-…', () => repeat('348.110.627-', MB)],
    ['CPF words then words, no number: CPF do titular …', () => repeat('CPF do titular ', MB)],
    [
      'dotted BD mobiles after phone words: contact 01536.259.764 …',
      () => repeat('contact 01536.259.764 ', MB),
    ],
    [
      'Chinese phone words before short numbers: 手机号手机号 1395495 …',
      () => repeat('手机号手机号 1395495 ', MB),
    ],
    ['wallet task arguments: wallet args:[018781087878 …', () => repeat('wallet.x args":[018781087878,', MB)],
    ['a birth word, a million spaces, no date', () => `born${' '.repeat(MB)}x 12/03/1990`],
    // Surfaces (src/surfaces): each pass on text built to make it re-read or backtrack.
    ['multi-word keys without a separator: a b c d …', () => repeat('ab cd ', MB)],
    ['multi-word keys, then a separator', () => repeat('date of birth: x ', MB)],
    ['keys of other scripts: пароль пароль …', () => repeat('пароль ', MB)],
    ['CJK per character with full-width colons', () => repeat('密码：', MB)],
    ['list values never closed', () => repeat("pin: ['a', ", MB)],
    ['list openers', () => repeat('pin=[', MB)],
    ['bytes prefixes', () => repeat("token=b'", MB)],
    ['cookie pairs', () => 'Cookie: ' + repeat('sessionid=a; ', MB)],
    ['cookie separators only', () => 'Cookie: ' + repeat('=;', MB)],
    ['cookie headers', () => repeat('cookie:', MB)],
    ['credential headers', () => repeat('Authorization: ', MB)],
    ['a quoted credential header never closed', () => "-H 'Authorization: Bearer " + 'a'.repeat(MB)],
    ['INSERT heads', () => repeat('INSERT INTO t (password) VALUES ', MB)],
    ['INSERT tuples', () => 'INSERT INTO t (password, b) VALUES ' + repeat("('a', 1), ", MB)],
    ['INSERT with an unclosed quote', () => "INSERT INTO t (pin) VALUES ('" + repeat("''", MB)],
    ['placeholders then args', () => repeat('password = %s AND ', MB) + 'args=(1)'],
    ['constraint error openers', () => repeat('Key (email)=(', MB)],
    ['duplicate entries never closed', () => repeat("Duplicate entry '", MB)],
    ['args openers', () => repeat('args=(', MB)],
    ['name and value cells', () => repeat('<td>password</td><td>', MB)],
    ['header cells and closing tags', () => repeat('<th>PIN:</th><td></b> ', MB)],
    ['labels with closing tags', () => repeat('<b>OTP:</b> <span>', MB)],
    ['cells never closed', () => '<td>password</td><td class="code"><pre>' + repeat('&#x27;', MB)],
    ['HTML-escaped keys', () => repeat('&#x27;password&#x27;: ', MB)],
    ['URL-encoded keys', () => repeat('%22password%22%3A', MB)],
    ['URL-encoded separators', () => repeat('a%3Db+', MB)],
    ['long options named by key phrases', () => repeat(' --password --token=', MB)],
    ['curl user options', () => repeat(' -u a:', MB)],
    ['home directories', () => repeat('/home/', MB)],
    ['Windows user directories', () => repeat('C:\\Users\\', MB)],
    ['masked-looking values', () => repeat('pin=XXXX-', MB)],
    ['masked-looking cards in groups', () => repeat('card=4321 49** ', MB)],
    ['bound columns then parameter lists', () => repeat("password = $1 DETAIL:  parameters: $1 = 'a', ", MB)],
    ['change objects never closed', () => 'password: {' + repeat('"old": "a", ', MB)],
    ['change objects under keys', () => repeat('token: {"new": 1} ', MB)],
    ['pydantic input values', () => repeat("password\n  m [type=x, input_value='a", MB)],
    ['input values on one long line', () => repeat('input_value=', MB)],
    ['a parameter list never closed', () => "password = $1 parameters: $1 = '" + repeat("a''", MB)],
    ['values joined by & without names', () => 'password: ' + repeat('a&', MB)],
    ['password phrases then adjectives', () => repeat('mot de passe actuel nouveau: ', MB)],
    ['repr class names', () => repeat('<GamePassport: <Token: ', MB)],
    ['options then prose words', () => repeat(' --password via', MB)],
    ['product-code words before cards', () => repeat('sku 4111111111111111 ', MB)],
    ['password literals never closed', () => repeat("PASSWORD 'a", MB)],
    ['IDENTIFIED WITH without BY', () => repeat('IDENTIFIED WITH x ', MB)],
    [
      'literal INSERT then a long args list',
      () => 'INSERT INTO t (pin) VALUES (1); args=[' + repeat('1, ', MB),
    ],
    ['authorization-code keys with long values', () => repeat(`?code=${'a1'.repeat(300)}`, MB)],
    ['value calls never closed', () => repeat('dob=datetime.date(1, ', MB)],
    ['auth schemes with long tokens and no end', () => repeat(`auth=Bearer ${'a'.repeat(5000)}=`, MB)],
    ['braced variables never closed', () => repeat('token=${{ a', MB)],
    ['hash arrows without values', () => repeat("'password' => ", MB)],
    ['pairs never closed', () => repeat("('password', ['a', ", MB)],
    ['compared literals then args', () => repeat("nid = '1' AND ", MB) + 'args=(1)'],
    ['credentials stated in sentences', () => repeat('code is 1 password was: ', MB)],
    ['the same in form bodies', () => repeat('code+is+1+', MB)],
    ['long identifiers then args', () => 'a'.repeat(MB) + " = 1; args=('x')"],
    ['pair keys before commas', () => repeat("('pin', ", MB)],
    [
      'one base64 run of text holding secrets',
      () => Buffer.from(repeat('password=hunter2&', MB)).toString('base64'),
    ],
    [
      'many base64 runs of text',
      () => repeat(`${Buffer.from('{"pin":"1234","x":1}').toString('base64')} `, MB),
    ],
    [
      'base64 of base64 of text',
      () => Buffer.from(Buffer.from(repeat('token=a ', MB >> 2)).toString('base64')).toString('base64'),
    ],
    ['password hash prefixes: pbkdf2_sha256$…', () => repeat(`pbkdf2_sha256$${'a'.repeat(290)}`, MB)],
    ['crypt prefixes: $6$$6$…', () => repeat('$6$rounds=1$', MB)],
    ['Werkzeug hash prefixes', () => repeat(`pbkdf2:sha256:1$a$${'a'.repeat(250)}`, MB)],
    ['passwords before unclosed guillemets', () => repeat('contraseña es «', MB)],
    ['HTML inputs never closed', () => repeat('<input type="password" value="a', MB)],
    ['argument lists of flags', () => repeat('"--token", ', MB)],
    ['mysql -p runs', () => 'mysql ' + repeat('-p', MB)],
    ['redis-cli -a runs', () => 'redis-cli ' + repeat('-a ', MB)],
    ['label aliases: a (b): a (b):', () => repeat('pin (pin): ', MB)],
    ['typographic quotes never closed', () => repeat('password: «', MB)],
    ['10,000-deep nested JSON', () => '{"a":'.repeat(10_000) + '"x@y.io"' + '}'.repeat(10_000)],
    ['10,000-deep nested JSON arrays', () => '['.repeat(10_000) + ']'.repeat(10_000)],
  ];

  it.each(inputs)('%s: redactString returns a string within the bound', (_name, make) => {
    const input = make();
    let output: unknown;
    const spent = cpuMs(() => {
      output = redactString(input);
    });
    expect(typeof output).toBe('string');
    expect(spent).toBeLessThan(BOUND_MS);
  });

  it.each(inputs.filter(([name]) => /key=value|capitals|JWT/.test(name)))(
    '%s: as an object key, redact returns within the bound',
    (_name, make) => {
      const input = make();
      let output: unknown;
      const spent = cpuMs(() => {
        output = redact({ [input]: 'value', note: 'ok' });
      });
      expect(output).toEqual(expect.objectContaining({ note: 'ok' }));
      expect(spent).toBeLessThan(BOUND_MS);
    },
  );
});

describe('nesting', () => {
  it('a string holding 10,000 levels of JSON is cut at the depth limit and marked, never thrown', () => {
    const input = '{"a":'.repeat(10_000) + '"x@y.io"' + '}'.repeat(10_000);
    const output = redactString(input);
    expect(output).toContain(TRUNCATED);
    expect(output).not.toContain('x@y.io');
    expect(() => JSON.parse(output) as unknown).not.toThrow();
  });

  it('a secret inside JSON inside a deep JSON string is still redacted', () => {
    const input = JSON.stringify({ a: { b: JSON.stringify({ password: 'hunter2', note: 'x@y.io' }) } });
    const output = redactString('['.repeat(5_000) + input + ']'.repeat(5_000));
    expect(output).not.toContain('hunter2');
    const shallow = redactString(input);
    expect(shallow).not.toContain('hunter2');
    expect(shallow).not.toContain('x@y.io');
  });

  it('a policy cannot set a depth limit that would overflow the stack', () => {
    expect(() => createRedactor({ limits: { maxDepth: 100_000 } })).toThrow(RedactionPolicyError);
    expect(() => createRedactor({ limits: { maxDepth: 256 } })).not.toThrow();
  });
});

describe('the per-value budget never lets a secret through', () => {
  const limit = 1_000;
  const redactor = createRedactor({ limits: { maxStringLength: limit } });
  // `secret` starts `before` characters ahead of the cut, so the cut falls inside it.
  const across = (secret: string, before: number, filler = 'x'): string =>
    filler.repeat(limit - before) + secret + ' tail '.repeat(50);

  it.each([
    ['a spaced card number', '4111 1111 1111 1111', '4111 1111', 9, ' '],
    ['an e-mail address', 'john.doe@example.com', 'john.doe@exam', 13, '-'],
    [
      'a JWT',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIi',
      29,
      ' ',
    ],
    ['an IBAN', 'GB82 WEST 1234 5698 7654 32', 'GB82 WEST 1234', 14, '-'],
  ])('%s that crosses the cut is dropped, not kept in part', (_name, secret, part, before, filler) => {
    const output = redactor.redactString(across(secret, before, filler));
    expect(output).not.toContain(part);
    expect(output).toMatch(/…\[Truncated \d+ chars\]$/);
  });

  it('text before a secret that crosses the cut is kept, and the kept length stays within the limit', () => {
    const output = redactor.redactString(across('4111 1111 1111 1111', 9, ' '));
    expect(output.startsWith(' '.repeat(limit - 20))).toBe(true);
    expect(output.indexOf('…[Truncated')).toBeLessThanOrEqual(limit);
  });

  it('a cut never leaves half a surrogate pair', () => {
    const output = redactor.redactString('x'.repeat(limit - 1) + '😀'.repeat(10));
    // encodeURIComponent throws on a lone surrogate.
    expect(() => encodeURIComponent(output)).not.toThrow();
  });

  it('the value of a sensitive key is redacted whole, however long', () => {
    expect(redactString(`token=${'a'.repeat(5_000)}b end`)).toBe(`token=${REDACTED} end`);
  });

  it('a quoted value with no closing quote is redacted to the end of its line', () => {
    expect(redactString('x password="hunter2 rest\nnext line')).toBe(`x password="${REDACTED}\nnext line`);
    expect(redactString(`{\\"token\\":\\"abc def`)).toBe(`{\\"token\\":\\"${REDACTED}`);
  });
});

describe('never throws', () => {
  const hostile = (): Record<string, unknown> => {
    const cycle: Record<string, unknown> = { name: 'cycle' };
    cycle.self = cycle;
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const getter = {};
    Object.defineProperty(getter, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const sparse: unknown[] = [];
    sparse.length = 1_000_000_000;
    return {
      cycle,
      trapped: new Proxy(
        {},
        {
          getPrototypeOf() {
            throw new Error('trap');
          },
          ownKeys() {
            throw new Error('trap');
          },
        },
      ),
      revoked: revocable.proxy,
      getter,
      sparse,
      badJson: {
        toJSON() {
          throw new Error('toJSON');
        },
      },
      lone: 'a \ud800 b \udc00 password=\u0000x',
      nul: 'a\u0000b',
    };
  };

  it('returns a copy for cycles, Proxy traps, revoked proxies, getters, huge arrays, lone surrogates, NUL', () => {
    const output = redact(hostile());
    expect(output).toMatchObject({
      cycle: { name: 'cycle', self: '[Circular]' },
      trapped: '[Unreadable]',
      revoked: '[Unreadable]',
      getter: { boom: '[Unreadable]' },
      lone: `a \ud800 b \udc00 password=${REDACTED}`,
      nul: 'a\u0000b',
    });
  });

  it('keeps `__proto__` keys as own fields and leaves the copy an ordinary object', () => {
    const input = JSON.parse('{"__proto__":{"password":"p","note":"x@y.io"},"b":1}') as object;
    const output = redact(input);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(JSON.stringify(output)).toBe(
      '{"__proto__":{"password":"[REDACTED]","note":"[REDACTED:email]"},"b":1}',
    );
  });

  it('errors with throwing getters and messages are reported, not thrown', () => {
    const error = new Error('x');
    Object.defineProperty(error, 'message', {
      get() {
        throw new Error('message');
      },
    });
    expect(() => redactError(error)).not.toThrow();
    expect(redactErrorMessage(error)).toBe('[Unreadable]');
    expect(redactErrorMessage(hostile().trapped)).toEqual(expect.any(String));
  });

  it('headers that throw while read give the ones read so far', () => {
    class ThrowingHeaders {
      *[Symbol.iterator](): Generator<[string, string]> {
        yield ['authorization', 'Bearer abc123def456'];
        throw new Error('iterator');
      }
    }
    const headers = new ThrowingHeaders();
    expect(redactHeaders(headers)).toEqual({ authorization: REDACTED, '…': '[Unreadable]' });
  });

  it('any string, and any JSON text in one, gives a string (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.json().map((json) => `{"k":${json}}`),
        ),
        (input) => {
          expect(typeof redactString(input)).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any JSON value gives a copy (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => redact(value)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('explain and policy-file rules: 1 MB of hostile text', () => {
  const policyRedactor = createRedactor(
    parseRedactionPolicy({
      text: JSON.stringify({
        rules: [
          { kind: 'ticket_ref', pattern: '(?<![\\w-])TKT-[0-9]{4,8}(?!\\d)' },
          { kind: 'host_ref', pattern: '[a-z]{1,64}\\.(?:internal|corp)' },
        ],
      }),
      source: 'adversarial',
    }),
  );
  const inputs: [string, () => string][] = [
    ['a finding every 7 characters (explain maps each one)', () => repeat('a@b.io ', MB)],
    ['findings of two passes interleaved', () => repeat('a@b.io 203.0.113.5 ', MB)],
    [
      'JSON with 60,000 sensitive keys',
      () => `[${repeat('{"password":"x"},', MB - 20).replace(/,[^,]*$/, '')}]`,
    ],
    ['letters for a bounded policy rule: aaaa…', () => repeat('a', MB)],
    ['rule prefixes without digits: TKT-TKT-…', () => repeat('TKT-', MB)],
  ];

  it.each(inputs)(
    '%s: explain, and redaction with the policy rules, each stay within the bound',
    (_name, make) => {
      const input = make();
      let findings = -1;
      expect(cpuMs(() => (findings = createRedactor().explain(input).findings.length))).toBeLessThan(
        BOUND_MS,
      );
      expect(findings).toBeGreaterThanOrEqual(0);
      expect(cpuMs(() => policyRedactor.redactString(input))).toBeLessThan(BOUND_MS);
    },
  );
});
