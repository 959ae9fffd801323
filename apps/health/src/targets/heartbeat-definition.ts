import { z } from 'zod';

import { cronScheduleProblem, type CronSchedule } from './cron-schedule';
import type { TargetBase } from './target-definition';
import {
  readTargetSecret,
  TargetSecretError,
  type SecretEnvironment,
  type SecretSource,
} from './target-secrets';
import { valueConditionSchema, type ValueCondition } from './value-condition';

/** Heartbeats are evaluated every 2 s; `intervalMs` only sizes the lease of the replica that evaluates one. */
export const HEARTBEAT_LEASE_INTERVAL_MS = 10_000;

const DURATION_HELP = 'must be a duration like "90s", "5m", "1h", "1d" or a number of seconds';
const DURATION = /^(\d+)\s*(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A year: longer periods are typing mistakes, and they would overflow nothing but people's patience. */
const MAX_DURATION_MS = 366 * UNIT_MS.d;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Milliseconds of a duration written as `90s`, `5m`, `1h`, `1d` or a plain number of seconds; null if unreadable. */
export function parseDurationMs(input: unknown): number | null {
  if (typeof input === 'number')
    return Number.isFinite(input) && input >= 0 ? Math.round(input * 1000) : null;
  if (typeof input !== 'string') return null;
  const match = DURATION.exec(input.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : null;
}

/** A duration field, as milliseconds; `positive` refuses zero (a period or a run bound of 0 means nothing). */
const duration = (positive: boolean) =>
  z
    .union([z.number(), z.string()], {
      error: (issue) => (issue.input === undefined ? 'is required' : DURATION_HELP),
    })
    .transform((input, ctx) => {
      const ms = parseDurationMs(input);
      if (ms === null) ctx.addIssue({ code: 'custom', message: DURATION_HELP });
      else if (positive && ms === 0) ctx.addIssue({ code: 'custom', message: 'must be longer than 0' });
      else if (ms > MAX_DURATION_MS) ctx.addIssue({ code: 'custom', message: 'must be at most 366d' });
      else return ms;
      return z.NEVER;
    });

/**
 * The fields of `type: heartbeat` beside the common ones (target-definition.ts spreads both into the
 * kind's schema). Durations become milliseconds here.
 */
export const heartbeatFields = {
  period: duration(true).optional(),
  cron: z.string({ error: 'must be a cron expression' }).optional(),
  timezone: z.string({ error: 'must be an IANA time zone' }).optional(),
  grace: duration(false).default(0),
  min_duration: duration(true).optional(),
  max_duration: duration(true).optional(),
  value: valueConditionSchema.optional(),
  token_env: z
    .string({ error: 'must be an environment variable name' })
    .regex(ENV_NAME, 'must be an environment variable name')
    .optional(),
  token_file: z.string({ error: 'must be a file path' }).min(1, 'must be a file path').optional(),
};

type HeartbeatFields = z.output<z.ZodObject<typeof heartbeatFields>>;

/** The checks across fields of a heartbeat entry: one schedule, a usable cron and zone, min <= max, one token source. */
export function checkHeartbeatEntry(entry: HeartbeatFields, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (entry.period !== undefined && entry.cron !== undefined)
    issue('cron', 'must not be given with period (a heartbeat has one schedule)');
  else if (entry.period === undefined && entry.cron === undefined)
    ctx.addIssue({ code: 'custom', path: [], message: 'needs a schedule: period or cron' });
  else if (entry.cron !== undefined) {
    const problem = cronScheduleProblem({ expression: entry.cron, timeZone: entry.timezone ?? 'UTC' });
    if (problem) issue(problem.startsWith('time zone') ? 'timezone' : 'cron', problem);
  } else if (entry.timezone !== undefined) issue('timezone', 'needs cron (a period has no time zone)');
  if (
    entry.min_duration !== undefined &&
    entry.max_duration !== undefined &&
    entry.min_duration > entry.max_duration
  )
    issue('min_duration', 'must not be longer than max_duration');
  if (entry.token_env !== undefined && entry.token_file !== undefined)
    issue('token_file', 'must not be given with token_env (a heartbeat has one token)');
}

export type HeartbeatSchedule = { kind: 'period'; periodMs: number } | ({ kind: 'cron' } & CronSchedule);

/** A job that pings the service (push monitor): late when no success arrives by its deadline. */
export interface HeartbeatTarget extends TargetBase {
  kind: 'heartbeat';
  schedule: HeartbeatSchedule;
  graceMs: number;
  /** A run (start -> end) shorter than this fails; null: no lower bound. */
  minDurationMs: number | null;
  /** A run longer than this fails, also while it is still running; null: no upper bound. */
  maxDurationMs: number | null;
  /** Condition on the number a success ping reports; null: none. */
  value: ValueCondition | null;
  /** Where the ping token comes from (token_env / token_file); null: generated and kept in heartbeat_monitors. */
  tokenSource: SecretSource | null;
  /** The token read from `tokenSource` at load (never shown, logged or put in `url`); null when generated. */
  token: string | null;
}

/**
 * The heartbeat-specific part of a HeartbeatTarget; a token_env/token_file is read from `environment`
 * now, so a missing secret stops boot (TargetSecretError names the field).
 */
export function heartbeatSettings(
  entry: HeartbeatFields,
  environment: SecretEnvironment,
): Omit<HeartbeatTarget, keyof TargetBase | 'kind'> {
  const tokenSource =
    entry.token_env !== undefined
      ? { env: entry.token_env }
      : entry.token_file !== undefined
        ? { file: entry.token_file }
        : null;
  let token: string | null = null;
  if (tokenSource) {
    try {
      token = readTargetSecret(tokenSource, environment);
    } catch (error) {
      if (!(error instanceof TargetSecretError)) throw error;
      throw new TargetSecretError(`${tokenSource.env ? 'token_env' : 'token_file'}: ${error.message}`);
    }
  }
  return {
    schedule:
      entry.cron !== undefined
        ? { kind: 'cron', expression: entry.cron, timeZone: entry.timezone ?? 'UTC' }
        : { kind: 'period', periodMs: entry.period ?? 0 },
    graceMs: entry.grace,
    minDurationMs: entry.min_duration ?? null,
    maxDurationMs: entry.max_duration ?? null,
    value: entry.value ?? null,
    tokenSource,
    token,
  };
}
