import type { CronSchedule } from './cron-schedule';
import type { TargetDefinition } from './target-definition';

/**
 * The cron schedule an actively checked target runs on instead of its interval, or null. Only SQL checks
 * have one today (a heartbeat's cron is its deadline, evaluated elsewhere, not a time to check).
 */
export function activeCronOf(target: TargetDefinition): CronSchedule | null {
  return target.kind === 'sql' ? target.cron : null;
}
