import fc from 'fast-check';

/**
 * Generators of the inputs that broke intakes before (issue "poison-proof"): text Postgres refuses
 * (NUL, lone surrogates), times outside what Postgres and JavaScript both represent, regular
 * expressions that backtrack, oversized and deeply nested values, prototype keys, header-breaking
 * characters, and their mixes with ordinary values, so a property sees both sides.
 */

/** Text that is valid and storable: what the intakes must accept unchanged. */
export const ordinaryText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom('db-1', 'checkout', 'বাংলা', '😀 ok', 'wallet 01711-000000', 'a b c', "O'Brien", '50%'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
  );

/** One hostile text, from each class in turn. */
export const hostileText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfff',
      '\udc00\ud800',
      '😀'.slice(0, 1),
      '__proto__',
      'constructor',
      'line\r\nInjected: header',
      '../../etc/passwd',
      "'; DROP TABLE alerts; --",
      '(a+)+$',
      '(a|aa)+b',
      '([a-z]+)*X',
      '\\1',
      '(?=a)',
      '{"a":'.repeat(2_000),
      '['.repeat(5_000),
      'a='.repeat(20_000),
      '4111 1111 1111 1111',
      '%00',
      '%ff',
      '',
    ),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${s}\u0000`),
    fc.nat({ max: 70_000 }).map((n) => 'a'.repeat(n)),
    fc.nat({ max: 40 }).map((n) => `${'a'.repeat(n)}!`),
  );

/** Mostly ordinary, sometimes hostile: a request then mixes valid and invalid fields. */
export const mixedText = (): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: ordinaryText(), weight: 2 }, { arbitrary: hostileText(), weight: 1 });

/** RFC 3339 texts, valid and not: out of range once in UTC, far years, garbage. */
export const hostileTime = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2030-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    fc.constantFrom(
      '0001-01-01T00:00:00Z',
      '0001-01-01T00:30:00+01:00',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '9999-12-31T23:00:00-05:00',
      '+275760-09-13T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-12-07T10:00:00+25:00',
      'now',
      '',
      '\u0000',
    ),
  );

/** A label or matcher name: mostly valid Prometheus names, sometimes not. */
export const labelName = (): fc.Arbitrary<string> =>
  fc.oneof(
    {
      arbitrary: fc.constantFrom('alertname', 'severity', 'service', 'instance', 'env', 'host', 'job'),
      weight: 4,
    },
    { arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/), weight: 2 },
    { arbitrary: hostileText(), weight: 1 },
  );

/** JSON values with hostile keys, strings and nesting, up to `maxDepth` levels (or one deep chain). */
export const hostileJson = (maxDepth = 4): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', maxDepth },
        mixedText(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(mixedText(), tie('value'), { maxKeys: 4 }),
      ),
    })).value,
    fc.integer({ min: 17, max: 3_000 }).map((depth) => {
      let nested: unknown = 'leaf';
      for (let i = 0; i < depth; i++) nested = { n: nested };
      return nested;
    }),
  );

/** A JSON text that JSON.parse reads as an object with an own `__proto__` key. */
export function withProtoKey(json: Record<string, unknown>): string {
  const text = JSON.stringify(json);
  return text === '{}'
    ? '{"__proto__":{"polluted":true}}'
    : text.replace(/^\{/, '{"__proto__":{"polluted":true},');
}

/** `arbitrary`, or sometimes no value at all (an optional field left out). */
export const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(arbitrary, { nil: undefined });

/**
 * Throws unless `res` is what every intake owes hostile input: no 5xx, and a 4xx only with a JSON body
 * `{error, message}`. Returns the body's text.
 */
export async function expectHandledAnswer(res: Response): Promise<string> {
  const text = await res.text();
  if (res.status >= 500) throw new Error(`answered ${res.status}: ${text.slice(0, 300)}`);
  if (res.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`answered ${res.status} without a JSON body: ${text.slice(0, 300)}`);
    }
    const { error, message } = (body ?? {}) as { error?: unknown; message?: unknown };
    if (typeof error !== 'string' || typeof message !== 'string') {
      throw new Error(`answered ${res.status} without {error, message}: ${text.slice(0, 300)}`);
    }
  }
  return text;
}
