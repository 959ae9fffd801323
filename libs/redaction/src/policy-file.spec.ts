import fs from 'node:fs';
import path from 'node:path';

import {
  configureDefaultRedactor,
  createRedactor,
  defaultRedactor,
  linearPatternProblem,
  parseRedactionPolicy,
  readRedactionPolicy,
  redact,
  RedactionPolicyError,
  redactString,
} from './index';
import { literalGate, requiredLiteral } from './policy-file';

const HASH_KEY = 'k'.repeat(32);
const source = 'policy.json';
const parse = (policy: unknown, hashKey?: string): ReturnType<typeof parseRedactionPolicy> =>
  parseRedactionPolicy({ text: JSON.stringify(policy), source }, hashKey);

describe('parseRedactionPolicy', () => {
  it('reads every field of a policy file, rules as strings, and adds the hash key from its own setting', () => {
    const policy = parse(
      {
        extraKeys: { 'employee number': 'employee_id' },
        allowKeys: ['phone'],
        strategies: { email: 'hash', card: 'mask' },
        disabled: ['ipv4'],
        rules: [{ kind: 'ticket_ref', pattern: 'TKT-\\d{6}', flags: 'i', strategy: 'mask' }],
        limits: { maxDepth: 16 },
      },
      HASH_KEY,
    );
    const redactor = createRedactor(policy);
    const out = redactor.redact({
      note: 'a@b.io paid 4111 1111 1111 1111 from 203.0.113.5 re tkt-123456',
      employeeNumber: 'E-1',
      phone: 'front desk',
    });
    expect(out.note).toMatch(
      /^\[HASH:email:[a-p]{16}\] paid \*\*\*\*1111 from 203\.0\.113\.5 re \*\*\*\*3456$/,
    );
    expect(out.employeeNumber).toBe('[REDACTED]');
    expect(out.phone).toBe('front desk');
  });

  it('keeps "same user" countable: the keyed hash of one e-mail is the same in every event', () => {
    const redactor = createRedactor(parse({ strategies: { email: 'hash' } }, HASH_KEY));
    const first = redactor.redactString('login Rahim@Example.com');
    expect(redactor.redact({ email: 'rahim@example.com' }).email).toBe(first.replace('login ', ''));
    expect(first).not.toContain('ahim');
  });

  it.each([
    ['not JSON', '{strategies:', /policy is not JSON/],
    ['not an object', '[1]', /policy must be a JSON object/],
    [
      'a hash key in the file',
      '{"hashKey":"kkkkkkkkkkkkkkkkkkkk"}',
      /hashKey must not be written in a policy: set REDACTION_HASH_KEY/,
    ],
    ['an unknown field', '{"stratgies":{}}', /stratgies is not a policy field/],
    [
      'an unknown strategy',
      '{"strategies":{"email":"blur"}}',
      /strategies\.email must be one of remove, mask, hash/,
    ],
    ['an unknown kind', '{"strategies":{"emial":"mask"}}', /strategies\.emial is not a known kind/],
    [
      'hash without a key',
      '{"strategies":{"email":"hash"}}',
      /hashKey is required: email use the hash strategy/,
    ],
    ['rules not a list', '{"rules":{}}', /rules must be a list/],
    [
      'a rule without a pattern',
      '{"rules":[{"kind":"x"}]}',
      /rules\[0\]\.pattern must be a regular expression as a string/,
    ],
    [
      'a RegExp flag that breaks the scan',
      '{"rules":[{"kind":"x","pattern":"a{2}","flags":"y"}]}',
      /rules\[0\]\.flags must be made of i, m, s, u/,
    ],
    ['a repeated flag', '{"rules":[{"kind":"x","pattern":"a{2}","flags":"ii"}]}', /rules\[0\]\.flags/],
    [
      'an unknown rule field',
      '{"rules":[{"kind":"x","pattern":"a{2}","name":"n"}]}',
      /rules\[0\]\.name is not a rule field/,
    ],
    [
      'a pattern that does not compile',
      '{"rules":[{"kind":"x","pattern":"a{2}(?<"}]}',
      /rules\[0\]\.pattern/,
    ],
    [
      'a pattern matching the empty string',
      '{"rules":[{"kind":"x","pattern":"a{0,3}"}]}',
      /rules\[0\]\.pattern .* matches the empty string/,
    ],
    [
      'a bad kind',
      '{"rules":[{"kind":"Ticket","pattern":"T-\\\\d{4}"}]}',
      /rules\[0\]\.kind must be lower snake_case/,
    ],
    [
      'an exponential pattern',
      '{"rules":[{"kind":"x","pattern":"(a+)+b"}]}',
      /rules\[0\]\.pattern has an unbounded quantifier/,
    ],
  ])('refuses %s, naming the field and the file', (_, text, message) => {
    const attempt = (): unknown => parseRedactionPolicy({ text, source });
    expect(attempt).toThrow(RedactionPolicyError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/\(policy\.json\)$/);
  });
});

describe('the README example policy', () => {
  it('is a valid policy file that does what its comments say', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Policy from configuration'));
    const text = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const redactor = createRedactor(parseRedactionPolicy({ text, source: 'README.md' }, HASH_KEY));
    expect(redactor.redactString('ticket tkt-123456 for a@b.io from 203.0.113.5')).toMatch(
      /^ticket \*\*\*\*3456 for \[HASH:email:[a-p]{16}\] from 203\.0\.113\.5$/,
    );
  });
});

describe('linearPatternProblem', () => {
  it.each([
    ['EMP-\\d{6}'],
    ['\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}'.replace('(?: ?', '(?:-')],
    ['(?:\\d{4}-){3}\\d{4}'],
    ['(?:foo|bar)-\\d{1,9}'],
    ['[a-z]{1,64}\\.(?:com|org)'],
    ['(?<![\\w-])TKT-[0-9]{4,8}(?!\\d)'],
    ['\\p{L}{2,20}-\\u00e9{1}'],
    ['a\\{2,\\}b'],
    ['[+*(]{1,4}x'],
    ['(?<name>ab)c'],
  ])('accepts %s', (pattern) => {
    expect(linearPatternProblem(pattern)).toBeUndefined();
  });

  it.each([
    ['(a+)+$', /unbounded quantifier "\+"/],
    ['\\w+@x', /unbounded quantifier "\+"/],
    ['x.*y', /unbounded quantifier "\*"/],
    ['a{2,}', /unbounded quantifier "\{2,\}"/],
    ['a{1,5000}', /repeats up to 5000 times/],
    ['(a|a){1,30}b', /repeats a group that can match in several ways/],
    ['(a{1,2}){1,30}b', /repeats a group that can match in several ways/],
    ['(?:(?:a|b)c){2}', /repeats a group that can match in several ways/],
    ['(a)\\1', /backreference/],
    ['(?<q>a)\\k<q>', /backreference/],
    ['(ab', /unclosed \(/],
    ['ab)', /unopened \)/],
    ['[ab', /unclosed \[/],
    ['{1,2}', /nothing to repeat/],
  ])('refuses %s', (pattern, problem) => {
    expect(linearPatternProblem(pattern)).toMatch(problem);
  });
});

describe('requiredLiteral and the gate of a rule', () => {
  it.each([
    ['(?<![\\w-])TKT-[0-9]{4,8}(?!\\d)', 'TKT-'],
    ['\\bEMP\\-\\d{6}\\b', 'EMP-'],
    ['ab?cde', 'cde'],
    ['x{2}yz', 'yz'],
    ['(?:foo|bar)-id=\\d{1,9}', '-id='],
    ['[a-z]{1,64}\\.(?:internal|corp)', '.'],
    ['a+?bc', 'bc'],
    ['\\u0041BC', 'BC'],
  ])('%s needs %s', (pattern, literal) => {
    expect(requiredLiteral(pattern)).toBe(literal);
  });

  it.each([['foo|bar'], ['\\d{4}'], ['[A-Z]{2}\\d{2}'], ['(TKT)']])('%s needs no literal', (pattern) => {
    expect(requiredLiteral(pattern)).toBeUndefined();
  });

  it('rules strings out by the literal, also without case under the i flag, and never drops a match', () => {
    const exact = literalGate(/TKT-\d{6}/);
    expect(exact?.('see TKT-123456')).toBe(true);
    expect(exact?.('see tkt-123456')).toBe(false);
    const folded = literalGate(/TKT-\d{6}/i);
    expect(folded?.('see tkt-123456')).toBe(true);
    expect(folded?.('nothing here')).toBe(false);
    expect(literalGate(/\d{6}/)).toBeUndefined();
    const redactor = createRedactor({ rules: [{ kind: 'ticket_ref', pattern: /tkt-\d{6}/i }] });
    expect(redactor.redactString('TKT-123456 and tKt-654321')).toBe(
      '[REDACTED:ticket_ref] and [REDACTED:ticket_ref]',
    );
  });
});

describe('readRedactionPolicy', () => {
  it('takes inline JSON as it is and reads anything else as a file path', () => {
    expect(readRedactionPolicy(' {"disabled":["ipv4"]}', 'REDACTION_POLICY')).toEqual({
      text: ' {"disabled":["ipv4"]}',
      source: 'REDACTION_POLICY',
    });
    const read = jest.fn(() => '{}');
    expect(readRedactionPolicy('/etc/vigil/redaction.json', 'REDACTION_POLICY', read)).toEqual({
      text: '{}',
      source: '/etc/vigil/redaction.json',
    });
    expect(read).toHaveBeenCalledWith('/etc/vigil/redaction.json');
  });

  it('names a file it cannot read', () => {
    expect(() => readRedactionPolicy('/nonexistent/redaction.json', 'REDACTION_POLICY')).toThrow(
      'invalid redaction policy: cannot read /nonexistent/redaction.json (ENOENT)',
    );
  });
});

describe('configureDefaultRedactor', () => {
  afterEach(() => configureDefaultRedactor(undefined));

  it('makes the service policy the one redact() and redactString() use, and undefined restores the defaults', () => {
    configureDefaultRedactor(parse({ strategies: { email: 'hash' }, disabled: ['ipv4'] }, HASH_KEY));
    expect(redactString('a@b.io from 203.0.113.5')).toMatch(/^\[HASH:email:[a-p]{16}\] from 203\.0\.113\.5$/);
    expect(redact({ note: 'a@b.io' }).note).toMatch(/^\[HASH:email:/);
    configureDefaultRedactor(undefined);
    expect(redactString('a@b.io from 203.0.113.5')).toBe('[REDACTED:email] from [REDACTED:ipv4]');
  });

  it('changes nothing when the policy is bad', () => {
    const before = defaultRedactor;
    expect(() => configureDefaultRedactor({ strategies: { email: 'hash' } })).toThrow(RedactionPolicyError);
    expect(defaultRedactor).toBe(before);
  });
});
