import type { IncomingAlert } from '../model/alert';

/** The alert alerting raises itself when Prometheus' Watchdog stops arriving. */
export const WATCHDOG_MISSING_ALERTNAME = 'VigilWatchdogMissing';

/** The shared record of one watchdog (table `watchdog`). */
export interface WatchdogRecord {
  /** When the check started: the first Watchdog received, or the first check with WATCHDOG_REQUIRED. */
  armedAt: Date;
  lastSeenAt: Date | null;
  /** Since when VigilWatchdogMissing is raised; null while it is not. */
  raisedAt: Date | null;
}

export type WatchdogVerdict =
  /** Nothing heard for the timeout: (re-)send VigilWatchdogMissing, starting at `since`. */
  | { kind: 'missing'; since: Date }
  /** Heard again after VigilWatchdogMissing was raised: resolve it. */
  | { kind: 'recovered' }
  | { kind: 'healthy' };

/** A Watchdog counts as an arrival only while firing: a resolved one (its rule removed) is no sign of life. */
export function isLiveWatchdog(alert: IncomingAlert, alertname: string, now: Date): boolean {
  return alert.labels.alertname === alertname && (alert.endsAt === undefined || alert.endsAt > now);
}

/** Judges a watchdog at `now`: missing once `timeoutMs` passed since the last arrival (or since arming). */
export function judgeWatchdog(record: WatchdogRecord, now: Date, timeoutMs: number): WatchdogVerdict {
  const heard = record.lastSeenAt ?? record.armedAt;
  const since = new Date(heard.getTime() + timeoutMs);
  if (now >= since) return { kind: 'missing', since };
  return record.raisedAt ? { kind: 'recovered' } : { kind: 'healthy' };
}

/**
 * VigilWatchdogMissing as sent through the normal intake: firing until `validUntil` unless re-sent (so a
 * dead alerting replica does not leave it firing forever), or resolved now.
 */
export function watchdogMissingAlert(
  watchdog: string,
  verdict: Exclude<WatchdogVerdict, { kind: 'healthy' }>,
  record: WatchdogRecord,
  now: Date,
  validUntil: Date,
): IncomingAlert {
  const startsAt = verdict.kind === 'missing' ? verdict.since : (record.raisedAt ?? now);
  const lastSeen = record.lastSeenAt ? record.lastSeenAt.toISOString() : 'never';
  return {
    labels: { alertname: WATCHDOG_MISSING_ALERTNAME, severity: 'critical', service: 'alerting', watchdog },
    annotations: {
      summary: `No ${watchdog} alert from Prometheus since ${lastSeen}`,
      description:
        `Prometheus sends its always-firing ${watchdog} alert about every minute. Without it, no Prometheus ` +
        'alert can be trusted to arrive: check that Prometheus runs, evaluates its rules and reaches alerting.',
    },
    startsAt,
    endsAt: verdict.kind === 'missing' ? validUntil : now,
  };
}
