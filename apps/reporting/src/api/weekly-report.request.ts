import { z } from 'zod';

import { isoDateTimeSchema } from '@vigil/contracts';

import { customPeriod, previousIsoWeek, type ReportPeriod } from '../model/report-period';

/** Body of POST /reports/weekly: both bounds or neither (then the previous ISO week in the report's time zone). */
export const weeklyReportBodySchema = z
  .strictObject({ from: isoDateTimeSchema.optional(), to: isoDateTimeSchema.optional() })
  .refine((body) => (body.from === undefined) === (body.to === undefined), {
    message: 'give both from and to, or neither for the previous ISO week',
    path: ['to'],
  })
  .refine((body) => !body.from || !body.to || Date.parse(body.from) < Date.parse(body.to), {
    message: 'from must be before to',
    path: ['to'],
  });

export type WeeklyReportBody = z.infer<typeof weeklyReportBodySchema>;

/** The request headers that say whether a body came and what it is. */
export interface BodyHeaders {
  'content-type'?: string;
  'content-length'?: string;
  'transfer-encoding'?: string;
}

/**
 * Why a request's body cannot be read as the JSON it must be, or null when it is JSON or there is
 * none. The JSON parser skips any other type, which would leave the body empty and run (and send)
 * the default week the caller never asked for.
 */
export function unsupportedBodyType(headers: BodyHeaders): string | null {
  const length = headers['content-length'];
  const hasBody = headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return null;
  const type = headers['content-type'];
  const mediaType = type?.split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json') return null;
  return type === undefined
    ? 'the body has no Content-Type; send application/json (or no body for the previous week)'
    : `the body must be application/json (or none for the previous week), not ${mediaType}`;
}

export type PeriodResult = { ok: true; period: ReportPeriod } | { ok: false; message: string };

/**
 * The period a request asks for. A period that has not ended yet is refused: claiming it would
 * make the scheduled report for that period a conflict.
 */
export function periodOf(body: WeeklyReportBody, now: Date, timeZone: string): PeriodResult {
  if (!body.from || !body.to) return { ok: true, period: previousIsoWeek(now, timeZone) };
  const start = new Date(body.from);
  const end = new Date(body.to);
  if (end.getTime() > now.getTime())
    return { ok: false, message: `to (${body.to}) is in the future: the period has not ended yet` };
  return { ok: true, period: customPeriod(start, end, timeZone) };
}
