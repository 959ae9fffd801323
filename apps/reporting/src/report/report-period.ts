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
