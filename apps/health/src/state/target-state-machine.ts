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
}

export interface Thresholds {
  /** Consecutive failures that turn a target down. */
  failureThreshold: number;
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
  };
}

/**
 * The state machine of a target: it goes down after `failureThreshold` consecutive failures and up
 * after `recoveryThreshold` consecutive successes, from whatever state it was in (including
 * `unknown`). Returns the new state and the transition, if the status changed.
 */
export function applyCheck(
  state: TargetState,
  outcome: CheckOutcome,
  thresholds: Thresholds,
): { state: TargetState; transition: Transition | null } {
  const consecutiveFailures = outcome.ok ? 0 : state.consecutiveFailures + 1;
  const consecutiveSuccesses = outcome.ok ? state.consecutiveSuccesses + 1 : 0;

  let status = state.status;
  let reason = '';
  if (outcome.ok && status !== 'up' && consecutiveSuccesses >= thresholds.recoveryThreshold) {
    status = 'up';
    reason = `${consecutiveSuccesses} consecutive successful ${plural(consecutiveSuccesses, 'check')}`;
  } else if (!outcome.ok && status !== 'down' && consecutiveFailures >= thresholds.failureThreshold) {
    status = 'down';
    reason = `${consecutiveFailures} consecutive failed ${plural(consecutiveFailures, 'check')}: ${outcome.error ?? 'unknown error'}`;
  }
  const changed = status !== state.status;
  const next: TargetState = {
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
