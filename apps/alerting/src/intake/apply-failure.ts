import { DatabaseError } from 'pg';

import { isRefusedData } from '@vigil/platform';

import type { ApplyFailure } from './alert-intake.repository';
import { JournalEntryError } from './journal-entry';

/**
 * Why applying journal entries failed, as far as retrying is concerned:
 * - `permanent`: the entry itself is refused (Postgres data exceptions such as an invalid byte
 *   sequence or an untranslatable character, not-null and check violations, values past a limit such as the
 *   index row size, or a row that does not decode): applying it again fails again.
 * - `suspect`: a deterministic JavaScript error (TypeError, RangeError...) raised while applying: most
 *   likely caused by the entry, but possibly a bug; an entry is quarantined after a few of these.
 * - `transient`: everything else (a lost connection, a timeout, a serialization failure, a missing
 *   table): the entries stay journalled and are retried; the lag metric tells when that lasts.
 */
export type ApplyFailureKind = 'permanent' | 'suspect' | 'transient';

export function applyFailureKindOf(error: unknown): ApplyFailureKind {
  if (error instanceof JournalEntryError || isRefusedData(error)) return 'permanent';
  if (error instanceof DatabaseError) return 'transient';
  if (error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError) {
    return 'suspect';
  }
  return 'transient';
}

/** Longest error text kept with a quarantined entry. */
const MAX_REASON_LENGTH = 2000;

/**
 * What a quarantined entry is kept with: the error's text (Postgres's message and detail; well-formed,
 * without NUL, bounded, so that storing it cannot fail in turn) and a reason fit for a metric label
 * (the SQLSTATE, or the kind of failure).
 */
export function applyFailureOf(error: unknown): ApplyFailure {
  if (error instanceof DatabaseError) {
    const text = [error.message, error.detail].filter(Boolean).join(': ');
    return { error: storable(text), reason: error.code ?? 'database' };
  }
  if (error instanceof JournalEntryError) return { error: storable(error.message), reason: 'undecodable' };
  if (error instanceof Error)
    return { error: storable(`${error.name}: ${error.message}`), reason: 'repeated' };
  return { error: storable(String(error)), reason: 'repeated' };
}

function storable(text: string): string {
  // Cut first: the cut may split a surrogate pair, which toWellFormed then replaces with U+FFFD.
  const bounded = text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text;
  return bounded.toWellFormed().replaceAll('\u0000', '\\u0000');
}
