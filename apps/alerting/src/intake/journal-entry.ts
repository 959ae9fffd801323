import type { IntakeAlert } from './alert-intake.repository';

/** A journal row that does not hold what AlertIntake writes: it can never be applied. */
export class JournalEntryError extends Error {
  override name = 'JournalEntryError';
}

const OPTIONAL_TIMES = ['startsAt', 'endsAt'] as const;
/** A UTF-16 surrogate without its pair (with the u flag, a pair is one code point and does not match). */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/**
 * The alerts of a journal row (IntakeAlert[] as JSON), checked to be what AlertIntake writes and what
 * Postgres can store: a row written by an older version, by hand, or damaged, or carrying text that
 * slipped past validation, must fail here, with a reason naming the field, rather than half way
 * through a transaction that applies its neighbours.
 */
export function decodeJournalAlerts(text: string): IntakeAlert[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch (error) {
    throw new JournalEntryError(`alerts are not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(decoded)) throw new JournalEntryError('alerts are not an array');
  decoded.forEach(checkAlert);
  return decoded as IntakeAlert[];
}

function checkAlert(alert: unknown, index: number): void {
  const at = `alerts[${index}]`;
  if (!isRecord(alert)) throw new JournalEntryError(`${at} is not an object`);
  if (typeof alert.fingerprint !== 'string' || alert.fingerprint === '') {
    throw new JournalEntryError(`${at}.fingerprint is not a string`);
  }
  for (const field of ['labels', 'annotations'] as const) {
    const record = alert[field];
    if (!isStringRecord(record)) throw new JournalEntryError(`${at}.${field} is not a map of strings`);
    for (const [name, value] of Object.entries(record)) {
      if (unstorable(name)) throw unstorableError(`a name in ${at}.${field}`, name);
      if (unstorable(value)) throw unstorableError(`${at}.${field}.${name}`, value);
    }
  }
  for (const field of OPTIONAL_TIMES) {
    const value = alert[field];
    if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
      throw new JournalEntryError(`${at}.${field} is not a time`);
    }
  }
  if (alert.generatorURL !== undefined && typeof alert.generatorURL !== 'string') {
    throw new JournalEntryError(`${at}.generatorURL is not a string`);
  }
  if (alert.generatorURL !== undefined && unstorable(alert.generatorURL)) {
    throw unstorableError(`${at}.generatorURL`, alert.generatorURL);
  }
}

/** Text Postgres stores in no text or jsonb value: with NUL, or a lone surrogate. */
function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

function unstorableError(field: string, text: string): JournalEntryError {
  const what = text.includes('\u0000') ? 'a NUL character' : 'a lone UTF-16 surrogate';
  return new JournalEntryError(`${field} holds ${what}, which Postgres cannot store`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}
