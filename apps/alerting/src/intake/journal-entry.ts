import { textProblem } from '@vigil/contracts';

import type { IntakeAlert } from './alert-intake.repository';

/** A journal row that does not hold what AlertIntake writes: it can never be applied. */
export class JournalEntryError extends Error {
  override name = 'JournalEntryError';
}

const MAPS = ['labels', 'annotations'] as const;
const OPTIONAL_TIMES = ['startsAt', 'endsAt'] as const;

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
  for (let i = 0; i < decoded.length; i++) {
    // The field is named only when something is wrong: this runs for every alert applied.
    const problem = problemOf(decoded[i]);
    if (problem !== null) throw new JournalEntryError(problem.replace('@', `alerts[${i}]`));
  }
  return decoded as IntakeAlert[];
}

/** What is wrong with one alert, `@` standing for where it is; null when nothing is. */
function problemOf(alert: unknown): string | null {
  if (!isRecord(alert)) return '@ is not an object';
  if (typeof alert.fingerprint !== 'string' || alert.fingerprint === '')
    return '@.fingerprint is not a string';
  for (const field of MAPS) {
    const problem = mapProblemOf(alert[field], field);
    if (problem !== null) return problem;
  }
  for (const field of OPTIONAL_TIMES) {
    const value = alert[field];
    if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
      return `@.${field} is not a time`;
    }
  }
  const url = alert.generatorURL;
  if (url === undefined) return null;
  if (typeof url !== 'string') return '@.generatorURL is not a string';
  return unstorableProblem('@.generatorURL', url);
}

function mapProblemOf(map: unknown, field: (typeof MAPS)[number]): string | null {
  if (!isRecord(map)) return `@.${field} is not a map of strings`;
  for (const name in map) {
    const value = map[name];
    if (typeof value !== 'string') return `@.${field} is not a map of strings`;
    const problem =
      unstorableProblem(`a name in @.${field}`, name) ?? unstorableProblem(`@.${field}.${name}`, value);
    if (problem !== null) return problem;
  }
  return null;
}

/** Why Postgres cannot store `text` (libs/contracts' storable rules), naming `field`; null when it can. */
function unstorableProblem(field: string, text: string): string | null {
  const problem = textProblem(text);
  return problem === undefined ? null : `${field} ${problem}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
