import { describe, expect, it } from '@jest/globals';

import { isoDateTimeSchema } from './iso-datetime';
import { findUnstorable, storableString, textProblem, timeProblem } from './storable';

describe('textProblem', () => {
  it('accepts ordinary text, astral characters and well-formed surrogate pairs', () => {
    expect(textProblem('wallet 01711-000000 ✓ 😀 বাংলা')).toBeUndefined();
  });

  it('refuses NUL and lone surrogates, which Postgres text and jsonb cannot hold', () => {
    expect(textProblem('a\u0000b')).toMatch(/U\+0000/);
    expect(textProblem('a\ud800b')).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('\udc00')).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('😀'.slice(0, 1))).toMatch(/surrogate/);
  });
});

describe('timeProblem and isoDateTimeSchema', () => {
  it('accepts years 1 to 9999 in UTC', () => {
    expect(timeProblem(Date.parse('0001-01-01T00:00:00Z'))).toBeUndefined();
    expect(timeProblem(Date.parse('9999-12-31T23:59:59Z'))).toBeUndefined();
    expect(isoDateTimeSchema.safeParse('2026-12-07T10:00:00+06:00').success).toBe(true);
  });

  it('refuses an instant outside them once converted to UTC, and an invalid one', () => {
    expect(timeProblem(Date.parse('0000-06-01T00:00:00Z'))).toMatch(/years 1-9999/);
    expect(isoDateTimeSchema.safeParse('0001-01-01T00:30:00+01:00').success).toBe(false);
    expect(isoDateTimeSchema.safeParse('9999-12-31T23:00:00-05:00').success).toBe(false);
    expect(isoDateTimeSchema.safeParse('0000-01-01T00:00:00Z').success).toBe(false);
    expect(timeProblem(Number.NaN)).toMatch(/valid time/);
  });
});

describe('findUnstorable', () => {
  it('returns nothing for an ordinary JSON value', () => {
    expect(findUnstorable({ a: [1, 'x', { b: null, c: true }], d: 'e' })).toBeUndefined();
  });

  it('names the path of a bad string, array item or key', () => {
    expect(findUnstorable({ a: { b: ['ok', 'x\u0000'] } })).toEqual({
      path: 'a.b[1]',
      message: 'must not contain U+0000 (NUL)',
    });
    expect(findUnstorable({ a: { ['k\ud800']: 1 } })?.path).toBe('a.k\\ud800');
    expect(findUnstorable(JSON.parse('{"meta":{"__proto__":{"x":1}}}'))).toEqual({
      path: 'meta.__proto__',
      message: 'key the key __proto__ is not accepted',
    });
    expect(findUnstorable(['\ud800'], undefined, 'labels')?.path).toBe('labels[0]');
  });

  it('bounds depth and entries without recursion, even thousands of levels deep', () => {
    const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`) as unknown;
    expect(findUnstorable(deep, { maxDepth: 16, maxEntries: 10 })?.message).toMatch(/deeper than 16/);
    expect(findUnstorable(deep)).toBeUndefined();
    const wide = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    expect(findUnstorable({ wide }, { maxDepth: 16, maxEntries: 10 })).toEqual({
      path: 'wide',
      message: 'must hold at most 10 entries',
    });
  });
});

describe('storableString', () => {
  it('applies the length and the text checks', () => {
    const schema = storableString(4);
    expect(schema.safeParse('abcd').success).toBe(true);
    expect(schema.safeParse('abcde').success).toBe(false);
    expect(schema.safeParse('a\u0000').error?.issues[0]?.message).toMatch(/U\+0000/);
  });
});
