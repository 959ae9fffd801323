import { ibanValid, luhnValid, ssnPossible } from './checksums';
import { redact, redactString } from './index';

const marker = (kind: string) => `[REDACTED:${kind}]`;

describe('value detectors: each entity is found inside free text', () => {
  it.each([
    // e-mail, also percent-encoded (once and twice)
    ['email', 'ping rahim.uddin+ops@example.com.bd today', `ping ${marker('email')} today`],
    ['email', '/unsubscribe?e=rahim%40example.com', `/unsubscribe?e=${marker('email')}`],
    ['email', 'next=%2Fx%3Fe%3Drahim%2540example.com', `next=${marker('email')}`],
    // phones: E.164 and national formats
    ['phone', 'call +8801712345678 now', `call ${marker('phone')} now`],
    ['phone', 'call +1 415 555 2671', `call ${marker('phone')}`],
    ['phone', 'call +44 20 7946 0958.', `call ${marker('phone')}.`],
    ['phone', 'call (415) 555-2671', `call ${marker('phone')}`],
    ['phone', 'call 415-555-2671', `call ${marker('phone')}`],
    ['phone', 'call 415.555.2671', `call ${marker('phone')}`],
    ['phone', 'bKash 01712-345678', `bKash ${marker('phone')}`],
    ['phone', 'Nagad 01812345678 sent', `Nagad ${marker('phone')} sent`],
    ['phone', 'office 020 7946 0958', `office ${marker('phone')}`],
    // payment cards when the Luhn check passes
    ['card', 'card 4111 1111 1111 1111 declined', `card ${marker('card')} declined`],
    ['card', 'card 5500-0000-0000-0004', `card ${marker('card')}`],
    ['card', 'amex 378282246310005', `amex ${marker('card')}`],
    ['card', 'pan=6011111111111117', `pan=${marker('card')}`],
    // US SSN outside the impossible ranges
    ['ssn', 'ssn 123-45-6789', `ssn ${marker('ssn')}`],
    ['ssn', 'id 078 05 1120 on file', `id ${marker('ssn')} on file`],
    // IBAN when mod 97 passes
    ['iban', 'pay GB82 WEST 1234 5698 7654 32 now', `pay ${marker('iban')} now`],
    ['iban', 'to DE89370400440532013000', `to ${marker('iban')}`],
    // IP addresses
    ['ipv4', 'login from 203.0.113.5', `login from ${marker('ipv4')}`],
    ['ipv4', 'upstream 10.0.0.5:8080 reset', `upstream ${marker('ipv4')}:8080 reset`],
    ['ipv4', 'http://192.168.1.20/admin', `http://${marker('ipv4')}/admin`],
    ['ipv6', 'login from 2001:db8::8a2e:370:7334', `login from ${marker('ipv6')}`],
    ['ipv6', 'peer [fe80::1ff:fe23:4567:890a]:443', `peer [${marker('ipv6')}]:443`],
    ['ipv6', 'mapped ::ffff:203.0.113.5', `mapped ${marker('ipv6')}`],
    // tokens and credentials
    [
      'jwt',
      'got eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      `got ${marker('jwt')}`,
    ],
    ['bearer_token', 'sent Bearer abc.DEF-123_456~xyz', `sent Bearer ${marker('bearer_token')}`],
    ['basic_auth', 'sent Basic dXNlcjpwYXNz', `sent Basic ${marker('basic_auth')}`],
    ['url_password', 'amqp://app:s3cr3t@mq:5672/vhost', 'amqp://app:[REDACTED]@mq:5672/vhost'],
    [
      'private_key',
      'key -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY----- loaded',
      `key -----BEGIN RSA PRIVATE KEY-----\n${marker('private_key')}\n-----END RSA PRIVATE KEY----- loaded`,
    ],
    [
      'private_key',
      'truncated -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      `truncated -----BEGIN PRIVATE KEY-----\n${marker('private_key')}`,
    ],
    ['aws_access_key', 'key AKIAIOSFODNN7EXAMPLE used', `key ${marker('aws_access_key')} used`],
    [
      'aws_secret_key',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      `aws_secret_access_key = ${marker('aws_secret_key')}`,
    ],
    ['github_token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789', `token ${marker('github_token')}`],
    ['github_token', 'github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz', marker('github_token')],
    ['slack_token', 'xoxb-123456789012-1234567890123-abcdefghijklmnop', marker('slack_token')],
    [
      'slack_webhook',
      'POST https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXX failed',
      `POST https://hooks.slack.com/services/${marker('slack_webhook')} failed`,
    ],
    ['stripe_key', 'stripe sk_live_abcdefghijklmnop1234', `stripe ${marker('stripe_key')}`],
  ])('%s: %p', (_kind, input, expected) => {
    expect(redactString(input)).toBe(expected);
  });
});

describe('value detectors: look-alikes are kept exactly', () => {
  it.each([
    ['Luhn-invalid 16 digits', 'card 4111 1111 1111 1112 declined'],
    ['Luhn-invalid run', 'ref 4000123456789 shipped'],
    ['13-digit epoch in ms', 'at 1736150400123'],
    ['10-digit epoch', 'at 1736150400'],
    ['numeric id', 'user 1234567890123 and 98765432101'],
    ['order numbers', 'order 123-456-78 and ORD-2025-000123 and #100234'],
    ['ISO timestamp', '2025-01-06T09:30:00.123+01:00'],
    ['dates', 'from 2025-01-06 to 06/01/2025, 2025/01/06'],
    ['times', 'at 09:30:00 and 23:59'],
    ['versions that look like IPs', 'version 1.2.3.4, v10.0.0.1, Chrome/120.0.0.0, 1.2.3.4.5'],
    ['semver and npm specs', 'node 20.19.0 zod@4.6.7 @vigil/contracts'],
    ['loopback and wildcard', 'listening on 127.0.0.1:3001, 0.0.0.0 and [::1]:3000'],
    ['MAC address', 'nic 00:1a:2b:3c:4d:5e'],
    ['impossible SSNs', '000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000'],
    ['IBAN failing mod 97', 'DE89370400440532013001'],
    ['UUID', '0b5f7c1e-4c8a-4d7e-9f1a-2b3c4d5e6f70'],
    ['UUID made of digits', '41111111-1111-4111-8111-111111111111'],
    ['trace ids', 'trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7'],
    ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['git SHA', 'commit 9fceb02d0ae598e95dc970b74767f19372d61af8'],
    ['digest', 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['prices', 'price $1,234.56, total 12345.67 BDT, +100.50'],
    ['counts and durations', 'took 1234 ms, 200 OK, 15000 events, 3.5s'],
    ['HTTP path', 'GET /api/v2/users/12345/orders/67890?limit=50&page=2 200'],
    ['hostname with port', 'billing-api.default.svc.cluster.local:8080'],
    ['URL without credentials', 'https://status.example.com:8443/health?verbose=1'],
    ['non-sensitive keys', 'max_tokens=256 token_type=Bearer password_changed_at=2025-01-06 author: Ada'],
    ['plain words', 'basic authentication required; the bearer of bad news'],
    ['timezone offsets', 'UTC+05:30, +0600'],
    ['user names and ids', 'user rahim_01 (id u-1001) viewed admin.profile'],
  ])('%s: %p', (_what, input) => {
    expect(redactString(input)).toBe(input);
  });
});

describe('sensitive keys inside strings', () => {
  it.each([
    [
      'query string',
      '/login?user=u1&password=hunter2&next=/home',
      '/login?user=u1&password=[REDACTED]&next=/home',
    ],
    [
      'URL query',
      'https://h.example/p?access_token=abc123&page=2',
      'https://h.example/p?access_token=[REDACTED]&page=2',
    ],
    ['form body', 'username=rahim&pin=4321', 'username=rahim&pin=[REDACTED]'],
    ['logfmt', 'level=info api_key=k-123 msg=ok', 'level=info api_key=[REDACTED] msg=ok'],
    [
      'header list',
      'Host: a\r\nCookie: sid=abc123; theme=dark\r\nAccept: */*',
      'Host: a\r\nCookie: sid=[REDACTED]; theme=dark\r\nAccept: */*',
    ],
    ['header line', 'x-api-key: abcd1234efgh', 'x-api-key: [REDACTED]'],
    ['JSON in free text', 'body {"otp":"123456","ok":true}', 'body {"otp":"[REDACTED]","ok":true}'],
    [
      'escaped JSON in text',
      'payload={\\"token\\":\\"abc123\\",\\"x\\":1}',
      'payload={\\"token\\":\\"[REDACTED]\\",\\"x\\":1}',
    ],
  ])('%s', (_what, input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('parses JSON strings, also JSON encoded twice, and redacts them by key', () => {
    const once = JSON.stringify({
      password: 'hunter2',
      user: 'u1',
      nested: { phone_number: '+8801712345678' },
    });
    expect(JSON.parse(redactString(once))).toEqual({
      password: '[REDACTED]',
      user: 'u1',
      nested: { phone_number: '[REDACTED]' },
    });
    const twice = JSON.stringify(once);
    const out = redactString(twice);
    expect(JSON.parse(JSON.parse(out) as string)).toEqual({
      password: '[REDACTED]',
      user: 'u1',
      nested: { phone_number: '[REDACTED]' },
    });
    expect(redact({ body: twice }).body).not.toContain('hunter2');
  });

  // Parsed JSON is encoded again (compact) and a number under a sensitive key is replaced: the text
  // scan keeps the spacing and sees no number as a secret.
  it.each([
    ['{\n  "password": "hunter2"}', '{"password":"[REDACTED]"}'],
    ['{ "pin": 4321 }', '{"pin":"[REDACTED]"}'],
    ['[ \t{"token": "abc123"}, 1]', '[{"token":"[REDACTED]"},1]'],
    ['[ -1, "x", {"pin": 4321} ]', '[-1,"x",{"pin":"[REDACTED]"}]'],
    ['[\n  true, {"pin": 4321}]', '[true,{"pin":"[REDACTED]"}]'],
  ])('parses JSON with whitespace before its first token: %j', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('leaves empty JSON objects and arrays as they are', () => {
    expect(redactString('{ }')).toBe('{ }');
    expect(redactString('[]  ')).toBe('[]  ');
  });

  it.each([
    ['an Alertmanager group key', '{}/{team="pay"}:{alertname="X", owner="rahim@example.com"}'],
    ['a Go label set', '{alertname="X", owner="rahim@example.com"}'],
    ['a Python dict', "{'owner': 'rahim@example.com'}"],
    ['an empty object with more after it', '{} owner=rahim@example.com {}'],
    ['a list of words', '[owner rahim@example.com]'],
  ])('scans %s as text (it is no JSON): its values are still scrubbed', (_what, input) => {
    const out = redactString(input);
    expect(out).not.toContain('rahim@example.com');
    expect(out).toBe(input.replace('rahim@example.com', '[REDACTED:email]'));
  });

  it('leaves JSON without anything sensitive byte for byte', () => {
    const pretty = JSON.stringify({ user: 'u1', count: 3 }, null, 2);
    expect(redactString(pretty)).toBe(pretty);
  });

  it('gives the same answer the second time a string is seen (clean strings are remembered)', () => {
    const clean = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.0.0 Safari/537.36';
    const dirty = 'retry for rahim@example.com in 250 ms, attempt 2 of 5';
    for (let i = 0; i < 3; i++) {
      expect(redactString(clean)).toBe(clean);
      expect(redactString(dirty)).toBe('retry for [REDACTED:email] in 250 ms, attempt 2 of 5');
    }
  });

  it('is idempotent: a second pass leaves markers alone', () => {
    const once = redactString('password=hunter2 mail a@b.io card 4111111111111111 from 203.0.113.5');
    expect(redactString(once)).toBe(once);
  });
});

describe('checksums', () => {
  it('Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('41x1')).toBe(false);
  });

  it('IBAN mod 97', () => {
    expect(ibanValid('GB82WEST12345698765432')).toBe(true);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
    expect(ibanValid('GB82')).toBe(false);
  });

  it('SSN ranges', () => {
    expect(ssnPossible('123', '45', '6789')).toBe(true);
    for (const [a, g, s] of [
      ['000', '45', '6789'],
      ['666', '45', '6789'],
      ['900', '45', '6789'],
      ['123', '00', '6789'],
      ['123', '45', '0000'],
    ])
      expect(ssnPossible(a, g, s)).toBe(false);
  });
});

describe('product codes pass the card check but are kept', () => {
  const card = '4111111111111111';
  it.each([
    `ean=${card}`,
    `EAN-13: ${card} upc: 036000291452`,
    `sku=${card}`,
    `{"gtin":"${card}","ean_13":"${card}","product_barcode":${card}}`,
    `isbn 978-0-306-40615-7 barcode #${card}`,
  ])('keeps %s', (input) => {
    expect(redactString(input)).toBe(input);
  });

  it('in objects', () => {
    const item = { gtin: card, barcode: Number(card), isbn13: card, sku: '4111 1111 1111 1111' };
    expect(redact(item)).toEqual(item);
  });

  it.each([
    [`card=${card} sku ok`, `card=${marker('card')} sku ok`],
    [
      `{"eans":"${card}","skus_total":"${card}"}`,
      `{"eans":"${marker('card')}","skus_total":"${marker('card')}"}`,
    ],
    [`sku ${card.slice(0, 4)} paid with ${card}`, `sku ${card.slice(0, 4)} paid with ${marker('card')}`],
  ])('a card after another word still goes: %s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('a card under a product key beside other text still goes', () => {
    expect(redact({ sku: `see ${card}` })).toEqual({ sku: `see ${marker('card')}` });
  });
});
