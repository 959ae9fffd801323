const DAY_MS = 86_400_000;

export type PeriodKind = 'day' | 'week' | 'month';

/**
 * A half-open interval [start, end) a report covers, with the label used in subjects and logs.
 * Boundaries are local midnights in the report's IANA time zone, so a week across a DST change is
 * 167 or 169 hours long.
 */
export interface ReportPeriod {
  start: Date;
  end: Date;
  /** `2026-W47` for an ISO week, `2026-11-16` for a day, `2026-11` for a month, else `2026-11-16..2026-11-20` (local dates, end inclusive). */
  label: string;
}

/** A calendar date (month 1..12) with no time zone of its own. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'iso8601',
      numberingSystem: 'latn',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The wall clock in `timeZone` at `instant`, as if it were a UTC time (ms). */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The calendar date in `timeZone` at `instant`. */
export function localDate(instant: Date, timeZone: string): CalendarDate {
  return dateOf(wallClock(instant.getTime(), timeZone));
}

function dateOf(utcMs: number): CalendarDate {
  const d = new Date(utcMs);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** `date` moved by `days` (month and year roll over). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return dateOf(Date.UTC(date.year, date.month - 1, date.day + days));
}

function dayNumber(date: CalendarDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / DAY_MS;
}

/**
 * The first instant of `date` in `timeZone`: local midnight, or, where a DST change skips
 * midnight (America/Santiago, for one), the first wall-clock time that exists on that day.
 */
export function startOfDay(date: CalendarDate, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  // Two passes find midnight whenever the offset at midnight is the offset used to find it.
  let guess = wall - (wallClock(wall, timeZone) - wall);
  guess = wall - (wallClock(guess, timeZone) - guess);
  const isFirstInstant = wallClock(guess, timeZone) === wall && wallClock(guess - 1000, timeZone) < wall;
  if (isFirstInstant) return new Date(guess);
  // Midnight skipped or repeated: the earliest second whose local date is `date`. UTC offsets lie
  // within -12 h..+14 h, so the answer lies within these bounds.
  let before = wall - 15 * 3_600_000;
  let atOrAfter = wall + 13 * 3_600_000;
  while (atOrAfter - before > 1000) {
    const middle = before + Math.floor((atOrAfter - before) / 2000) * 1000;
    if (dayNumber(dateOf(wallClock(middle, timeZone))) >= dayNumber(date)) atOrAfter = middle;
    else before = middle;
  }
  return new Date(atOrAfter);
}

/** `2026-11-16`. */
export function formatDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, '0')}-${pad(date.month)}-${pad(date.day)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function mondayOf(date: CalendarDate): CalendarDate {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
}

/** ISO-8601 week-numbering year and week of a calendar date: the week belongs to the year of its Thursday. */
export function isoWeekOfDate(date: CalendarDate): { year: number; week: number } {
  const thursday = addDays(mondayOf(date), 3);
  const dayOfYear = dayNumber(thursday) - dayNumber({ year: thursday.year, month: 1, day: 1 });
  return { year: thursday.year, week: Math.floor(dayOfYear / 7) + 1 };
}

/** ISO week and year of `instant` as a calendar date in `timeZone`. */
export function isoWeek(instant: Date, timeZone: string): { year: number; week: number } {
  return isoWeekOfDate(localDate(instant, timeZone));
}

function isoWeekLabelOfDate(date: CalendarDate): string {
  const { year, week } = isoWeekOfDate(date);
  return `${year}-W${pad(week)}`;
}

export function isoWeekLabel(instant: Date, timeZone: string): string {
  return isoWeekLabelOfDate(localDate(instant, timeZone));
}

/** Monday 00:00 in `timeZone` of the ISO week containing `instant`. */
export function isoWeekStart(instant: Date, timeZone: string): Date {
  return startOfDay(mondayOf(localDate(instant, timeZone)), timeZone);
}

function weekFrom(monday: CalendarDate, timeZone: string): ReportPeriod {
  return {
    start: startOfDay(monday, timeZone),
    end: startOfDay(addDays(monday, 7), timeZone),
    label: isoWeekLabelOfDate(monday),
  };
}

function dayFrom(date: CalendarDate, timeZone: string): ReportPeriod {
  return {
    start: startOfDay(date, timeZone),
    end: startOfDay(addDays(date, 1), timeZone),
    label: formatDate(date),
  };
}

function monthFrom(year: number, month: number, timeZone: string): ReportPeriod {
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return {
    start: startOfDay({ year, month, day: 1 }, timeZone),
    end: startOfDay({ ...next, day: 1 }, timeZone),
    label: `${year}-${pad(month)}`,
  };
}

/** The last complete ISO week before `now`: Monday 00:00 to the next Monday 00:00 in `timeZone`. */
export function previousIsoWeek(now: Date, timeZone: string): ReportPeriod {
  return weekFrom(addDays(mondayOf(localDate(now, timeZone)), -7), timeZone);
}

/** The previous whole day before `now` in `timeZone`. */
export function previousDay(now: Date, timeZone: string): ReportPeriod {
  return dayFrom(addDays(localDate(now, timeZone), -1), timeZone);
}

/** The previous calendar month before `now` in `timeZone`. */
export function previousMonth(now: Date, timeZone: string): ReportPeriod {
  const today = localDate(now, timeZone);
  return today.month === 1
    ? monthFrom(today.year - 1, 12, timeZone)
    : monthFrom(today.year, today.month - 1, timeZone);
}

export function previousPeriod(kind: PeriodKind, now: Date, timeZone: string): ReportPeriod {
  switch (kind) {
    case 'day':
      return previousDay(now, timeZone);
    case 'week':
      return previousIsoWeek(now, timeZone);
    case 'month':
      return previousMonth(now, timeZone);
  }
}

/** An explicit period; labelled as an ISO week when it is exactly one in `timeZone`. */
export function customPeriod(start: Date, end: Date, timeZone: string): ReportPeriod {
  const week = weekFrom(mondayOf(localDate(start, timeZone)), timeZone);
  if (week.start.getTime() === start.getTime() && week.end.getTime() === end.getTime()) return week;
  const first = formatDate(localDate(start, timeZone));
  const last = formatDate(localDate(new Date(end.getTime() - 1), timeZone));
  return { start, end, label: `${first}..${last}` };
}

/**
 * A named period of `kind` in `timeZone`: `2026-11-16` (day), `2026-W47` (ISO week), `2026-11`
 * (month). Null when the text is not a valid period of that kind.
 */
export function parsePeriod(kind: PeriodKind, text: string, timeZone: string): ReportPeriod | null {
  if (kind === 'day') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!m) return null;
    const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    if (formatDate(addDays(date, 0)) !== text) return null;
    return dayFrom(date, timeZone);
  }
  if (kind === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(text);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
    return monthFrom(Number(m[1]), Number(m[2]), timeZone);
  }
  const m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!m || Number(m[2]) < 1) return null;
  // ISO week 1 contains January 4th.
  const monday = addDays(mondayOf({ year: Number(m[1]), month: 1, day: 4 }), (Number(m[2]) - 1) * 7);
  if (isoWeekLabelOfDate(monday) !== text) return null;
  return weekFrom(monday, timeZone);
}

/** The period of `kind` in `timeZone` that starts at `start` (as stored on a claim row). */
export function periodStarting(kind: PeriodKind, start: Date, timeZone: string): ReportPeriod {
  const date = localDate(start, timeZone);
  switch (kind) {
    case 'day':
      return dayFrom(date, timeZone);
    case 'week':
      return weekFrom(mondayOf(date), timeZone);
    case 'month':
      return monthFrom(date.year, date.month, timeZone);
  }
}

/** The local days of `period` in `timeZone`, each with its own bounds (23, 24 or 25 hours long). */
export function daysOf(period: ReportPeriod, timeZone: string): ReportPeriod[] {
  const days: ReportPeriod[] = [];
  let date = localDate(period.start, timeZone);
  for (let day = dayFrom(date, timeZone); day.start < period.end; day = dayFrom(date, timeZone)) {
    days.push({
      start: day.start < period.start ? period.start : day.start,
      end: day.end > period.end ? period.end : day.end,
      label: day.label,
    });
    date = addDays(date, 1);
  }
  return days;
}

/**
 * The period `period` is compared with: the calendar month before a month, else as many local
 * days before it as it has (a DST week is compared with the whole week before it), or the same
 * duration before a span that does not start at local midnight.
 */
export function precedingPeriod(period: ReportPeriod, timeZone: string): ReportPeriod {
  const month = /^(\d{4})-(\d{2})$/.exec(period.label);
  if (month) {
    const [year, number] = [Number(month[1]), Number(month[2])];
    return number === 1 ? monthFrom(year - 1, 12, timeZone) : monthFrom(year, number - 1, timeZone);
  }
  const first = localDate(period.start, timeZone);
  if (startOfDay(first, timeZone).getTime() === period.start.getTime()) {
    const days = daysOf(period, timeZone).length;
    const start = startOfDay(addDays(first, -days), timeZone);
    return customPeriod(start, period.start, timeZone);
  }
  const length = period.end.getTime() - period.start.getTime();
  return customPeriod(new Date(period.start.getTime() - length), period.start, timeZone);
}
