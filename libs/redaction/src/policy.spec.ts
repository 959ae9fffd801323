import {
  createRedactor,
  DEFAULT_LIMITS,
  redact,
  REDACTED,
  RedactionPolicyError,
  redactString,
  TRUNCATED,
} from './index';

const HASH_KEY = 'k'.repeat(32);

describe('strategies per entity', () => {
  it('remove names the kind for values found in text and uses [REDACTED] for sensitive keys', () => {
    expect(redact({ note: 'from 203.0.113.5', phone: '+8801712345678' })).toEqual({
      note: 'from [REDACTED:ipv4]',
      phone: REDACTED,
    });
  });

  it('mask keeps the last 4 of cards, phones and account numbers, in text and under keys', () => {
    const redactor = createRedactor({ strategies: { card: 'mask', phone: 'mask', account_number: 'mask' } });
    expect(
      redactor.redact({
        note: 'card 4111 1111 1111 1111, call +8801712345678',
        cardNumber: '5500 0000 0000 0004',
        bkash_number: '01712345678',
        walletAccountNumber: 1712345678,
        mobile_number: '123',
      }),
    ).toEqual({
      note: 'card ****1111, call ****5678',
      cardNumber: '****0004',
      bkash_number: '****5678',
      walletAccountNumber: '****5678',
      // too short to be a phone number: a count, kept
      mobile_number: '123',
    });
  });

  it('hash gives the same unreadable token for the same e-mail in every event, whatever its case', () => {
    const redactor = createRedactor({ strategies: { email: 'hash' }, hashKey: HASH_KEY });
    const a = redactor.redactString('login by Rahim@Example.com');
    const b = redactor.redact({ user_email: 'rahim@example.com' }).user_email;
    const token = /\[HASH:email:([a-p]{16})\]/.exec(a)?.[0];
    expect(token).toBeDefined();
    expect(b).toBe(token);
    expect(a).not.toContain('rahim');
    expect(redactor.redactString('login by other@example.com')).not.toContain(token);
  });

  it('hash depends on the key, so another deployment cannot correlate', () => {
    const one = createRedactor({ strategies: { email: 'hash' }, hashKey: HASH_KEY });
    const two = createRedactor({ strategies: { email: 'hash' }, hashKey: 'x'.repeat(32) });
    expect(one.redactString('a@b.io')).not.toBe(two.redactString('a@b.io'));
  });

  it('a hashed or masked output is left alone by a second pass', () => {
    const redactor = createRedactor({ strategies: { email: 'hash', card: 'mask' }, hashKey: HASH_KEY });
    const once = redactor.redactString('a@b.io paid with 4111111111111111');
    expect(redactor.redactString(once)).toBe(once);
    expect(redactString(once)).toBe(once);
  });
});

describe('policy', () => {
  it('adds key phrases with their kind, and removes or allows keys', () => {
    const redactor = createRedactor({
      extraKeys: { 'employee number': 'employee_id' },
      allowKeys: ['phone'],
      strategies: { employee_id: 'mask' },
    });
    expect(redactor.redact({ employeeNumber: 'EMP-00123456', phone: 'desk 12', phone_number: '+1' })).toEqual(
      {
        employeeNumber: '****3456',
        phone: 'desk 12',
        phone_number: REDACTED,
      },
    );
  });

  it('custom rules find values by pattern and run before the built-ins', () => {
    const redactor = createRedactor({ rules: [{ kind: 'employee_id', pattern: /\bEMP-\d{6}\b/ }] });
    expect(redactor.redactString('by EMP-123456 and EMP-654321')).toBe(
      'by [REDACTED:employee_id] and [REDACTED:employee_id]',
    );
  });

  it('disabled detectors leave their values, key names still apply', () => {
    const redactor = createRedactor({ disabled: ['ipv4'] });
    expect(redactor.redact({ note: 'from 203.0.113.5', password: 'p' })).toEqual({
      note: 'from 203.0.113.5',
      password: REDACTED,
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown field', { extraKeyz: ['x'] }, /extraKeyz is not a policy field/],
    [
      'an unknown strategy',
      { strategies: { email: 'scramble' } },
      /strategies\.email must be one of remove, mask, hash/,
    ],
    ['an unknown kind', { strategies: { emails: 'mask' } }, /strategies\.emails is not a known kind/],
    [
      'hash without a key',
      { strategies: { email: 'hash' } },
      /hashKey is required: email use the hash strategy/,
    ],
    [
      'a short hash key',
      { strategies: { email: 'hash' }, hashKey: 'short' },
      /hashKey must be at least 16 bytes/,
    ],
    [
      'a rule matching the empty string',
      { rules: [{ kind: 'x', pattern: /a*/ }] },
      /rules\[0\]\.pattern .* matches the empty string/,
    ],
    [
      'a rule without a RegExp',
      { rules: [{ kind: 'x', pattern: 'abc' }] },
      /rules\[0\]\.pattern must be a RegExp/,
    ],
    [
      'a bad rule kind',
      { rules: [{ kind: 'Employee ID', pattern: /E\d/ }] },
      /rules\[0\]\.kind must be lower snake_case/,
    ],
    ['a bad limit', { limits: { maxDepth: 0 } }, /limits\.maxDepth must be a positive integer/],
    ['an unknown limit', { limits: { maxBytes: 10 } }, /limits\.maxBytes is not a limit/],
    ['an unknown detector', { disabled: ['ipv5'] }, /disabled\[0\] "ipv5" is not a value detector/],
    ['an empty key phrase', { extraKeys: ['--'] }, /extraKeys\[0\] must be a key phrase/],
  ])('rejects %s at construction', (_what, policy, message) => {
    expect(() => createRedactor(policy as never)).toThrow(RedactionPolicyError);
    expect(() => createRedactor(policy as never)).toThrow(message);
  });
});

describe('size limits', () => {
  it('cuts long strings and says how much is gone', () => {
    const redactor = createRedactor({ limits: { maxStringLength: 10 } });
    expect(redactor.redactString('x'.repeat(25))).toBe(`${'x'.repeat(10)}…[Truncated 15 chars]`);
  });

  it('cuts long arrays, wide objects and Sets', () => {
    const redactor = createRedactor({ limits: { maxArrayLength: 2, maxKeys: 2 } });
    expect(redactor.redact([1, 2, 3, 4])).toEqual([1, 2, '[Truncated 2 items]']);
    expect(redactor.redact({ a: 1, b: 2, c: 3 })).toEqual({ a: 1, b: 2, '…': '[Truncated 1 keys]' });
    expect([...redactor.redact(new Set([1, 2, 3]))]).toEqual([1, 2]);
  });

  it('stops after maxNodes objects and strings with a marker', () => {
    const redactor = createRedactor({ limits: { maxNodes: 3 } });
    expect(redactor.redact({ a: 'x', b: 'y', c: 'z', d: 'w' })).toEqual({
      a: 'x',
      b: 'y',
      c: TRUNCATED,
      d: TRUNCATED,
    });
  });

  it('honours a custom depth', () => {
    expect(createRedactor({ limits: { maxDepth: 2 } }).redact({ a: { b: { c: 1 } } })).toEqual({
      a: { b: TRUNCATED },
    });
  });

  it('documents its defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxDepth: 32,
      maxStringLength: 1_000_000,
      maxArrayLength: 10_000,
      maxKeys: 1_000,
      maxNodes: 100_000,
    });
  });
});
