import { z } from 'zod';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION = /^(\d+)(s|m|h|d)$/;
const MAX_MS = 366 * UNIT_MS.d;

/** Milliseconds of "90s", "5m", "1h", "1d", or of a plain number of seconds; null when it is neither. */
export function parseDurationMs(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value * 1000 : null;
  const match = DURATION.exec(value.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** A positive duration of at most a year, as written in the targets file, in milliseconds. */
export const durationMsSchema = z
  .union([z.string(), z.number()], {
    error: (issue) =>
      issue.input === undefined ? 'is required' : 'must be a duration such as "90s", "5m", "1h", "1d"',
  })
  .transform((value, ctx) => {
    const ms = parseDurationMs(value);
    if (ms === null || ms <= 0 || ms > MAX_MS) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a duration such as "90s", "5m", "1h", "1d" (at most 366d)',
      });
      return z.NEVER;
    }
    return ms;
  });
