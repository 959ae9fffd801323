import { z } from 'zod';

import { isoDateTime } from '@vigil/contracts';

import { cronScheduleProblem, nextCronTime, type CronSchedule } from './cron-schedule';
import { durationMsSchema } from './duration';

/**
 * A time during which a target's results raise and resolve no alert and do not count in its uptime:
 * a recurring one (active from each firing of `schedule` for `durationMs`) or a one-off [start, end).
 */
export type MaintenanceWindow =
  | { kind: 'recurring'; schedule: CronSchedule; durationMs: number }
  | { kind: 'once'; start: string; end: string };

const recurringWindowSchema = z
  .strictObject({
    cron: z.string({ error: 'must be a cron expression' }).min(1, 'must not be empty'),
    duration: durationMsSchema,
    timezone: z.string({ error: 'must be an IANA time zone' }).default('UTC'),
  })
  .superRefine((entry, ctx) => {
    const problem = cronScheduleProblem({ expression: entry.cron, timeZone: entry.timezone });
    if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem });
  })
  .transform((entry): MaintenanceWindow => ({
    kind: 'recurring',
    schedule: { expression: entry.cron, timeZone: entry.timezone },
    durationMs: entry.duration,
  }));

const onceWindowSchema = z
  .strictObject({
    start: isoDateTime('must be an ISO-8601 time with an offset, e.g. 2026-12-24T22:00:00Z'),
    end: isoDateTime('must be an ISO-8601 time with an offset, e.g. 2026-12-25T02:00:00Z'),
  })
  .superRefine((entry, ctx) => {
    if (Date.parse(entry.end) <= Date.parse(entry.start))
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
  })
  .transform((entry): MaintenanceWindow => ({
    kind: 'once',
    start: new Date(entry.start).toISOString(),
    end: new Date(entry.end).toISOString(),
  }));

/** One window as written in the targets file: `{cron, duration, timezone?}` or `{start, end}`. */
export const maintenanceWindowSchema = z.unknown().transform((raw, ctx): MaintenanceWindow => {
  const schema = raw && typeof raw === 'object' && 'cron' in raw ? recurringWindowSchema : onceWindowSchema;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue.code === 'unrecognized_keys')
    ctx.addIssue({ code: 'custom', path: [...issue.path, issue.keys[0]], message: 'unknown field' });
  else ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
});

export const maintenanceWindowsSchema = z
  .array(maintenanceWindowSchema, {
    error: 'must be a list of windows ({cron, duration, timezone?} or {start, end})',
  })
  .default([]);

/**
 * Whether `at` falls inside the window: [start, end) for a one-off window; for a recurring one, inside
 * [firing, firing + duration) of some firing. The latest firing at or before `at` that could still
 * cover it is the first one strictly after `at - duration`.
 */
export function isWindowActiveAt(window: MaintenanceWindow, at: Date): boolean {
  const t = at.getTime();
  if (window.kind === 'once') return Date.parse(window.start) <= t && t < Date.parse(window.end);
  const firing = nextCronTime(window.schedule, new Date(t - window.durationMs));
  return firing.getTime() <= t;
}

/** The window for people and log lines, e.g. `cron "0 2 * * *" Europe/Berlin for 1h`. */
export function describeMaintenanceWindow(window: MaintenanceWindow): string {
  if (window.kind === 'once') return `${window.start} to ${window.end}`;
  const { expression, timeZone } = window.schedule;
  return `cron "${expression}" ${timeZone} for ${describeMs(window.durationMs)}`;
}

function describeMs(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const)
    if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms / 1000}s`;
}
