import { z } from 'zod';

import { timeProblem } from './storable';

const EDGE_YEAR = /^(?:0000|0001|9999)-/;

/**
 * An ISO-8601 / RFC 3339 timestamp with `Z` or a numeric offset, e.g. `2025-01-06T09:30:00+01:00`,
 * whose instant falls in years 1-9999 once converted to UTC: what Postgres and JavaScript both store and
 * print unchanged (`0001-01-01T00:30:00+01:00` is year 0 in UTC, `9999-12-31T23:00:00-05:00` year 10000).
 * `error` replaces zod's message for text that is no timestamp at all.
 */
export function isoDateTime(error?: string): z.ZodISODateTime {
  return z.iso.datetime({ offset: true, ...(error ? { error } : {}) }).check((ctx) => {
    // Only these four-digit years can leave 1-9999 once an offset is applied: the rest skip Date.parse.
    if (!EDGE_YEAR.test(ctx.value)) return;
    const problem = timeProblem(Date.parse(ctx.value));
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });
}

export const isoDateTimeSchema = isoDateTime();
