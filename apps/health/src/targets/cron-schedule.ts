import { CronTime } from 'cron';

/** A cron expression (5 fields, or 6 with seconds) read in an IANA time zone. */
export interface CronSchedule {
  expression: string;
  timeZone: string;
}

/** Why `schedule` cannot be used, or null when it can (for the targets file's validation). */
export function cronScheduleProblem(schedule: CronSchedule): string | null {
  const { valid, error } = CronTime.validateCronExpression(schedule.expression);
  if (!valid) return `is not a cron expression: ${error?.message ?? 'unreadable'}`;
  try {
    new CronTime(schedule.expression, schedule.timeZone).getNextDateFrom(new Date(0));
  } catch {
    return `time zone ${JSON.stringify(schedule.timeZone)} is not an IANA time zone`;
  }
  return null;
}

/**
 * The first time after `after` (strictly) at which the schedule fires, in the schedule's zone, so
 * `0 2 * * *` in Europe/Berlin is 02:00 Berlin time on both sides of a daylight-saving change.
 */
export function nextCronTime(schedule: CronSchedule, after: Date): Date {
  const time = new CronTime(schedule.expression, schedule.timeZone);
  return time.getNextDateFrom(after, schedule.timeZone).toJSDate();
}
