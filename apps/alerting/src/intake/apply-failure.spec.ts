import { DatabaseError } from 'pg';

import { applyFailureKindOf, applyFailureOf } from './apply-failure';
import { JournalEntryError } from './journal-entry';

function databaseError(code: string, message: string, detail?: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  error.detail = detail;
  return error;
}

describe('applyFailureKindOf', () => {
  it.each([
    ['22P05', 'unsupported Unicode escape sequence'],
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['22003', 'value out of range'],
    ['22001', 'value too long for type character varying(8)'],
    ['54000', 'index row requires 16040 bytes, maximum size is 8191'],
    ['23514', 'new row violates check constraint'],
  ])('calls Postgres refusing the data (%s) permanent', (code, message) => {
    expect(applyFailureKindOf(databaseError(code, message))).toBe('permanent');
  });

  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['08006', 'connection failure'],
    ['40001', 'could not serialize access'],
    ['53300', 'too many connections'],
    ['42P01', 'relation "alerts" does not exist'],
  ])('calls the database failing (%s) transient', (code, message) => {
    expect(applyFailureKindOf(databaseError(code, message))).toBe('transient');
  });

  it('calls a lost connection transient, an undecodable entry permanent and a TypeError suspect', () => {
    expect(applyFailureKindOf(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(applyFailureKindOf(new JournalEntryError('alerts are not an array'))).toBe('permanent');
    expect(applyFailureKindOf(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(
      'suspect',
    );
  });
});

describe('applyFailureOf', () => {
  it('keeps Postgres’s message and detail, with the SQLSTATE as reason', () => {
    expect(
      applyFailureOf(databaseError('22P02', 'invalid input syntax for type json', 'Token "x" is invalid.')),
    ).toEqual({ error: 'invalid input syntax for type json: Token "x" is invalid.', reason: '22P02' });
  });

  it('gives text Postgres can store: no NUL, no lone surrogate, bounded', () => {
    const { error, reason } = applyFailureOf(
      new JournalEntryError(`bad \u0000 and \ud800 and ${'x'.repeat(5000)}`),
    );
    expect(reason).toBe('undecodable');
    expect(error).not.toContain('\u0000');
    expect(error).not.toMatch(/[\ud800-\udfff]/u);
    expect(error.startsWith('bad \\u0000 and \ufffd and xxx')).toBe(true);
    expect(error.length).toBeLessThanOrEqual(2010);
  });

  it('does not split a surrogate pair into a lone half when it cuts', () => {
    const { error } = applyFailureOf(new TypeError(`${'x'.repeat(1988)}😀😀`));
    expect(error).not.toMatch(/[\ud800-\udfff]/u);
    // "TypeError: " and 1988 x: the cut at 2000 keeps only the first half of the first pair.
    expect(error).toMatch(/^TypeError: x{1988}\ufffd…$/u);
  });
});
