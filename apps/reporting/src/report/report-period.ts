const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** A half-open interval [start, end) a report covers, with the label used in subjects and logs. */
export interface ReportPeriod {
  start: Date;
  end: Date;
  /** `2026-W47` for an ISO week, else `2026-11-16..2026-11-20` (UTC dates, end exclusive). */
  label: string;
}

/** Monday 00:00 UTC of the ISO week containing `instant`. */
export function isoWeekStart(instant: Date): Date {
  const midnight = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
  const daysSinceMonday = (instant.getUTCDay() + 6) % 7;
  return new Date(midnight - daysSinceMonday * DAY_MS);
}

/** ISO-8601 week-numbering year and week of `instant` (UTC): the week belongs to the year of its Thursday. */
export function isoWeek(instant: Date): { year: number; week: number } {
  const thursday = new Date(isoWeekStart(instant).getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const dayOfYear = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
  return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

export function isoWeekLabel(instant: Date): string {
  const { year, week } = isoWeek(instant);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The last complete ISO week before `now`: Monday 00:00 UTC to the next Monday 00:00 UTC. */
export function previousIsoWeek(now: Date): ReportPeriod {
  const end = isoWeekStart(now);
  const start = new Date(end.getTime() - WEEK_MS);
  return { start, end, label: isoWeekLabel(start) };
}

/** An explicit period; labelled as an ISO week when it is exactly one. */
export function customPeriod(start: Date, end: Date): ReportPeriod {
  const isWholeIsoWeek =
    isoWeekStart(start).getTime() === start.getTime() && end.getTime() - start.getTime() === WEEK_MS;
  const label = isWholeIsoWeek
    ? isoWeekLabel(start)
    : `${utcDate(start)}..${utcDate(new Date(end.getTime() - 1))}`;
  return { start, end, label };
}

function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The previous whole UTC day before `now`. */
export function previousDay(now: Date): ReportPeriod {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const start = new Date(end.getTime() - DAY_MS);
  return { start, end, label: utcDate(start) };
}

/** The previous calendar month (UTC) before `now`. */
export function previousMonth(now: Date): ReportPeriod {
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1));
  return { start, end, label: start.toISOString().slice(0, 7) };
}

export function previousPeriod(kind: 'day' | 'week' | 'month', now: Date): ReportPeriod {
  switch (kind) {
    case 'day':
      return previousDay(now);
    case 'week':
      return previousIsoWeek(now);
    case 'month':
      return previousMonth(now);
  }
}

/**
 * A named period of `kind`: `2026-11-16` (day), `2026-W47` (ISO week), `2026-11` (month). Null when
 * the text is not a valid period of that kind.
 */
export function parsePeriod(kind: 'day' | 'week' | 'month', text: string): ReportPeriod | null {
  if (kind === 'day') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return null;
    const start = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (utcDate(start) !== text) return null;
    return { start, end: new Date(start.getTime() + DAY_MS), label: text };
  }
  if (kind === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(text);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
    const start = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
    return { start, end: new Date(Date.UTC(Number(m[1]), Number(m[2]), 1)), label: text };
  }
  const m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!m) return null;
  // ISO week 1 contains January 4th.
  const week1 = isoWeekStart(new Date(Date.UTC(Number(m[1]), 0, 4)));
  const start = new Date(week1.getTime() + (Number(m[2]) - 1) * WEEK_MS);
  if (Number(m[2]) < 1 || isoWeekLabel(start) !== text) return null;
  return { start, end: new Date(start.getTime() + WEEK_MS), label: text };
}

/** The period of `kind` that starts at `start` (as stored on a claim row). */
export function periodStarting(kind: 'day' | 'week' | 'month', start: Date): ReportPeriod {
  const label =
    kind === 'day' ? utcDate(start) : kind === 'week' ? isoWeekLabel(start) : start.toISOString().slice(0, 7);
  return parsePeriod(kind, label) ?? customPeriod(start, start);
}
