import type { AlertState } from '../model/alert';
import type { GroupNotification } from '../delivery/notification-outbox';
import { inhibitedBy, type RoutingConfig } from '../routing/routing-config';
import type { SilenceMatcher } from '../silences/silence';
import type { AlertGroupRow, GroupMember } from './alert-group.repository';
import { decideFlush, type FlushDecision } from './group-flush';

/** What deciding a group's flush needs besides the group and its members. */
export interface FlushContext {
  routing: RoutingConfig;
  silences: SilenceMatcher;
  /** Firing alerts that may inhibit others (unused without inhibit rules). */
  inhibitionSources: readonly AlertState[];
  now: Date;
}

export interface GroupFlush {
  /** What to tell the group's receiver; null when nothing, or when the receiver is gone. */
  notification: GroupNotification | null;
  /** The decision was to notify, but the receiver is no longer configured. */
  receiverMissing: boolean;
  /** Members to remove: resolved, or of an older episode. */
  over: string[];
  decision: FlushDecision;
  /** No member fires any more: the group can go. */
  empty: boolean;
}

/**
 * One group's flush, decided (no I/O): drops silenced and inhibited members, applies Alertmanager's
 * notification decision (decideFlush) and names the notification after the group's incarnation and
 * how many notifications it has had, so that a retried flush is queued once.
 */
export function decideGroupFlush(
  group: AlertGroupRow,
  members: readonly GroupMember[],
  { routing, silences, inhibitionSources, now }: FlushContext,
): GroupFlush {
  const over = members.filter((m) => !m.current || m.status === 'resolved');
  const firing = members.filter((m) => m.current && m.status === 'firing');
  const muted = (alert: AlertState) =>
    silences.silencedBy(alert.labels).length > 0 ||
    (routing.inhibitRules.length > 0 &&
      inhibitedBy(routing.inhibitRules, alert, inhibitionSources).length > 0);
  const told = firing.filter((a) => !muted(a));
  const decision = decideFlush({
    firing: told,
    resolved: over.filter((m) => m.current),
    mutedCount: firing.length - told.length,
    notifiedFiring: group.notifiedFiring,
    lastNotifiedAt: group.lastNotifiedAt,
    groupIntervalMs: group.groupIntervalMs,
    repeatIntervalMs: group.repeatIntervalMs,
    now,
  });
  const receiver = routing.receivers.get(group.receiver);
  const notification: GroupNotification | null =
    decision.notify && receiver
      ? {
          groupKey: group.groupKey,
          groupLabels: group.groupLabels,
          receiver,
          key: `${group.receiver}:${group.groupKey}:${group.createdAt.getTime()}.${group.notifications + 1}`,
          alerts: decision.alerts,
        }
      : null;
  return {
    notification,
    receiverMissing: decision.notify && !receiver,
    over: over.map((m) => m.fingerprint),
    decision,
    empty: firing.length === 0,
  };
}
