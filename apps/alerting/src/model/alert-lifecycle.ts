import type { AlertState, AlertStatus, IncomingAlert } from './alert';

export interface AlertChange {
  /** The state to store. */
  next: AlertState;
  /** Whether the status changed (a new firing episode, or firing → resolved): someone must be told. */
  transition: boolean;
  /** When it happened, when that differs from the batch's clock (an alert applied from the intake journal). */
  at?: Date;
}

/**
 * Merges a reported alert into what we know, the way Alertmanager does:
 * - a missing endsAt means "firing until now + resolve timeout" (a re-send extends it);
 * - a missing startsAt means now (or endsAt, when the alert arrives already resolved);
 * - a report whose time range overlaps the current episode continues it, keeping the earliest
 *   startsAt; one that does not (e.g. it fires again after resolving) starts a new episode.
 * A new alert that arrives already resolved is stored but is not a transition: nobody was told it fired.
 */
export function applyIncoming(
  fingerprint: string,
  previous: AlertState | null,
  incoming: IncomingAlert,
  now: Date,
  resolveTimeoutMs: number,
): AlertChange {
  const endsAt = incoming.endsAt ?? new Date(now.getTime() + resolveTimeoutMs);
  let startsAt = incoming.startsAt ?? (endsAt < now ? endsAt : now);
  if (previous && overlaps(previous, startsAt, endsAt) && previous.startsAt < startsAt) {
    startsAt = previous.startsAt;
  }
  const next: AlertState = {
    fingerprint,
    labels: incoming.labels,
    annotations: incoming.annotations,
    generatorURL: incoming.generatorURL ?? null,
    startsAt,
    endsAt,
    status: statusAt(endsAt, now),
  };
  return { next, transition: next.status !== (previous?.status ?? 'resolved') };
}

/** A firing alert whose endsAt has passed without a re-send is resolved (Alertmanager's resolve_timeout). */
export function expire(current: AlertState, now: Date): AlertChange | null {
  if (current.status !== 'firing' || current.endsAt > now) return null;
  return { next: { ...current, status: 'resolved' }, transition: true };
}

export function statusAt(endsAt: Date, now: Date): AlertStatus {
  return endsAt > now ? 'firing' : 'resolved';
}

function overlaps(previous: AlertState, startsAt: Date, endsAt: Date): boolean {
  return startsAt <= previous.endsAt && endsAt >= previous.startsAt;
}
