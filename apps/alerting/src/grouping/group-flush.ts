import type { AlertState } from '../model/alert';

/** What one flush of a group found: members that fire (and are not muted) and members resolved. */
export interface FlushInput {
  firing: readonly AlertState[];
  resolved: readonly AlertState[];
  /** Members firing but silenced or inhibited: not told, but they keep the group alive. */
  mutedCount: number;
  notifiedFiring: readonly string[];
  lastNotifiedAt: Date | null;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  now: Date;
}

export interface FlushDecision {
  notify: boolean;
  /** Alerts of the notification: firing ones, then resolved ones that had been told they fired. */
  alerts: AlertState[];
  /** The notification log after this flush; null when unchanged. */
  notifiedFiring: string[] | null;
  /** When the group is next due if nothing changes meanwhile (changes make it due sooner). */
  nextFlushInMs: number;
}

/** A floor so that groups with muted members are re-checked without spinning (group_interval may be 0). */
const MIN_RECHECK_MS = 1000;

/**
 * Alertmanager's notification decision (its DedupStage), per group: tell the receiver when an alert
 * fires that it was not told about, when alerts it was told about resolved, or, while anything
 * fires, when repeat_interval has passed since the last notification. Resolved alerts nobody was told
 * about are dropped silently.
 */
export function decideFlush(input: FlushInput): FlushDecision {
  const told = new Set(input.notifiedFiring);
  const firingIds = input.firing.map((a) => a.fingerprint).sort();
  const resolvedTold = input.resolved.filter((a) => told.has(a.fingerprint));
  const newFiring = firingIds.some((id) => !told.has(id));
  const repeatDue =
    input.lastNotifiedAt !== null &&
    input.now.getTime() - input.lastNotifiedAt.getTime() >= input.repeatIntervalMs;
  let notify: boolean;
  if (firingIds.length === 0) notify = resolvedTold.length > 0;
  else notify = newFiring || resolvedTold.length > 0 || repeatDue;
  const stillTold = input.notifiedFiring.filter((id) => !input.resolved.some((a) => a.fingerprint === id));
  let nextFlushInMs = input.repeatIntervalMs;
  if (!notify && input.lastNotifiedAt !== null) {
    nextFlushInMs = input.lastNotifiedAt.getTime() + input.repeatIntervalMs - input.now.getTime();
  }
  if (input.mutedCount > 0) nextFlushInMs = Math.min(nextFlushInMs, input.groupIntervalMs);
  nextFlushInMs = Math.max(nextFlushInMs, MIN_RECHECK_MS);
  return {
    notify,
    alerts: notify ? [...input.firing, ...resolvedTold] : [],
    notifiedFiring: notify ? firingIds : stillTold.length !== input.notifiedFiring.length ? stillTold : null,
    nextFlushInMs,
  };
}
