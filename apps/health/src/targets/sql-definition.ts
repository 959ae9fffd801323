import { z } from 'zod';

import { cronScheduleProblem, nextCronTime, type CronSchedule } from './cron-schedule';
import { readTargetSecret, TargetSecretError, type SecretEnvironment } from './target-secrets';
import type { TargetBase } from './target-definition';
import { valueConditionSchema, type ValueCondition } from './value-condition';

const NOT_IN_YAML =
  'must not be in the targets file (it holds a password): name the connection string with connection_env (an environment variable) or connection_file (a mounted file)';
const refused = z.undefined({ error: NOT_IN_YAML }).optional();

/**
 * The fields of a `type: sql` entry beyond the common ones (target-definition.ts spreads `common` in front).
 * `interval_s` is optional here: a check runs on an interval or on a cron schedule, never both.
 */
export const sqlFileFields = {
  type: z.literal('sql'),
  connection_env: z
    .string({ error: 'must be the name of an environment variable' })
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable')
    .optional(),
  connection_file: z.string({ error: 'must be a file path' }).min(1, 'must be a file path').optional(),
  connection: refused,
  url: refused,
  query: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .trim()
    .min(1, 'must not be empty'),
  condition: valueConditionSchema,
  interval_s: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(86_400, 'must be at most 86400')
    .optional(),
  cron: z.string({ error: 'must be a cron expression' }).optional(),
  timezone: z.string({ error: 'must be an IANA time zone' }).optional(),
};

interface SqlEntryFields {
  connection_env?: string;
  connection_file?: string;
  interval_s?: number;
  cron?: string;
  timezone?: string;
}

/** The rules zod's shape cannot say: one connection source, one schedule, a cron that parses. */
export function checkSqlEntry(entry: SqlEntryFields, ctx: z.RefinementCtx): void {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if ((entry.connection_env === undefined) === (entry.connection_file === undefined))
    problem('connection_env', 'exactly one of connection_env or connection_file is required');
  if (entry.interval_s !== undefined && entry.cron !== undefined)
    problem('cron', 'give either interval_s or cron, not both');
  if (entry.timezone !== undefined && entry.cron === undefined) problem('timezone', 'is only used with cron');
  const cron = cronOf(entry);
  const cronProblem = cron && cronScheduleProblem(cron);
  if (cronProblem) problem(entry.timezone !== undefined ? 'cron/timezone' : 'cron', cronProblem);
}

/** A checked SQL integrity query: one number, compared with `condition`. */
export interface SqlTarget extends TargetBase {
  kind: 'sql';
  /** Read from the environment or a file at load; never shown, logged or stored (url is `sql:<name>`). */
  connectionString: string;
  query: string;
  condition: ValueCondition;
  /** When set, the check runs at the cron's firings instead of every intervalMs. */
  cron: CronSchedule | null;
}

/** Checks run every 5 minutes unless the entry says otherwise. */
const DEFAULT_INTERVAL_S = 300;

function cronOf(entry: SqlEntryFields): CronSchedule | null {
  return entry.cron === undefined ? null : { expression: entry.cron, timeZone: entry.timezone ?? 'UTC' };
}

/**
 * The cadence used for the lease and for people: the interval, or the gap between the cron's next two
 * firings (a cron target is checked at its firings, see CheckScheduler).
 */
export function sqlIntervalS(entry: SqlEntryFields, now = new Date()): number {
  if (entry.interval_s !== undefined) return entry.interval_s;
  const cron = cronOf(entry);
  if (cron === null) return DEFAULT_INTERVAL_S;
  const first = nextCronTime(cron, now);
  const gapMs = nextCronTime(cron, first).getTime() - first.getTime();
  return Math.max(1, Math.round(gapMs / 1000));
}

/** The SQL-specific fields of a target, the connection string read from `environment` or its file. */
export function toSqlFields(
  entry: SqlEntryFields & { query: string; condition: ValueCondition },
  environment: SecretEnvironment,
): Pick<SqlTarget, 'kind' | 'connectionString' | 'query' | 'condition' | 'cron'> {
  const field = entry.connection_env !== undefined ? 'connection_env' : 'connection_file';
  let connectionString: string;
  try {
    connectionString = readTargetSecret(
      { env: entry.connection_env, file: entry.connection_file },
      environment,
    );
  } catch (error) {
    if (error instanceof TargetSecretError) throw new TargetSecretError(`${field}: ${error.message}`);
    throw error;
  }
  return {
    kind: 'sql',
    connectionString,
    query: entry.query,
    condition: entry.condition,
    cron: cronOf(entry),
  };
}
