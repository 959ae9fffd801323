import type { TargetStatus } from '@vigil/contracts';

/** Where a target stands after its latest check. Timestamps are ISO-8601 strings. */
export interface TargetState {
  status: TargetStatus;
  /** When the target entered `status` (for `unknown`: when the service first saw it). */
  since: string;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  lastCheckedAt: string | null;
  lastResponseTimeMs: number | null;
  /** Error of the latest failed check; cleared once the target is up again. Already redacted. */
  lastError: string | null;
  /** The last `failureWindow` outcomes, oldest first (true = ok): "N of the last M" counts them. */
  recentOutcomes: boolean[];
  /** Name of the alert of the current (or last) down episode, chosen when the target went down. */
  alertname: string | null;
  /** startsAt of the alert fired and not yet resolved; null while none is open (never fired, held, or resolved). */
  alertStartsAt: string | null;
}

export interface Thresholds {
  /** N: failures among the last `failureWindow` outcomes that turn a target down. */
  failureThreshold: number;
  /** M (at least N; when absent, N): how many recent outcomes are counted. */
  failureWindow?: number;
  /** Consecutive successes that turn a target up. */
  recoveryThreshold: number;
}

export interface CheckOutcome {
  ok: boolean;
  /** Redacted error of a failed check. */
  error: string | null;
  responseTimeMs: number;
  checkedAt: string;
}

export interface Transition {
  from: TargetStatus;
  to: TargetStatus;
  at: string;
  reason: string;
}

export function initialTargetState(now: string): TargetState {
  return {
    status: 'unknown',
    since: now,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    lastCheckedAt: null,
    lastResponseTimeMs: null,
    lastError: null,
    recentOutcomes: [],
    alertname: null,
    alertStartsAt: null,
  };
}

/**
 * The state machine of a target: it goes down once `failureThreshold` (N) of its last `failureWindow`
 * (M, default N: N consecutive failures) outcomes failed, and up after `recoveryThreshold` consecutive
 * successes, from whatever state it was in (including `unknown`). Returns the new state and the
 * transition, if the status changed.
 */
export function applyCheck(
  state: TargetState,
  outcome: CheckOutcome,
  thresholds: Thresholds,
): { state: TargetState; transition: Transition | null } {
  const consecutiveFailures = outcome.ok ? 0 : state.consecutiveFailures + 1;
  const consecutiveSuccesses = outcome.ok ? state.consecutiveSuccesses + 1 : 0;
  const window = thresholds.failureWindow ?? thresholds.failureThreshold;
  const recentOutcomes = [...state.recentOutcomes, outcome.ok].slice(-window);
  const failures = recentOutcomes.filter((ok) => !ok).length;

  let status = state.status;
  let reason = '';
  if (outcome.ok && status !== 'up' && consecutiveSuccesses >= thresholds.recoveryThreshold) {
    status = 'up';
    reason = `${consecutiveSuccesses} consecutive successful ${plural(consecutiveSuccesses, 'check')}`;
  } else if (!outcome.ok && status !== 'down' && failures >= thresholds.failureThreshold) {
    status = 'down';
    const count =
      window === thresholds.failureThreshold
        ? `${consecutiveFailures} consecutive failed ${plural(consecutiveFailures, 'check')}`
        : `${failures} of the last ${recentOutcomes.length} checks failed`;
    reason = `${count}: ${outcome.error ?? 'unknown error'}`;
  }
  const changed = status !== state.status;
  const next: TargetState = {
    ...state,
    recentOutcomes,
    status,
    since: changed ? outcome.checkedAt : state.since,
    consecutiveFailures,
    consecutiveSuccesses,
    lastCheckedAt: outcome.checkedAt,
    lastResponseTimeMs: outcome.responseTimeMs,
    lastError: outcome.ok ? (status === 'up' ? null : state.lastError) : outcome.error,
  };
  return {
    state: next,
    transition: changed ? { from: state.status, to: status, at: outcome.checkedAt, reason } : null,
  };
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
