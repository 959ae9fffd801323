import type { CheckResult } from '../../checks/check-result';
import { nextCronTime } from '../../targets/cron-schedule';
import type { HeartbeatTarget } from '../../targets/heartbeat-definition';
import { describeValueCondition, evaluateValueCondition } from '../../targets/value-condition';

/** One row of heartbeat_pings, as the rules read it. */
export interface HeartbeatPing {
  id: number;
  kind: 'success' | 'start' | 'fail' | 'log' | 'exit';
  exitCode: number | null;
  rid: string | null;
  value: number | null;
  /** A duration the sender measured itself (Kuma `ping`, Sentry `duration`), used when no start pairs. */
  durationMs: number | null;
  receivedAt: Date;
}

/** A run that started and has not ended yet. */
export interface OpenRun {
  rid: string | null;
  startedAt: number;
  /** Its "still running past max_duration" failure was reported (once per run). */
  overrunReported: boolean;
}

/** What the evaluator keeps of a monitor between evaluations (table heartbeat_evaluations). Times in epoch ms. */
export interface HeartbeatEvaluationState {
  /** Id of the last ping read. */
  cursor: number;
  openRuns: OpenRun[];
  lastSuccessAt: number | null;
  /** The last reported value (the `previous` of `within P% of previous`). */
  lastValue: number | null;
  /** The due time whose missed deadline was last reported: each due time is reported once. */
  lastMissedDueAt: number | null;
}

export const INITIAL_EVALUATION_STATE: HeartbeatEvaluationState = {
  cursor: 0,
  openRuns: [],
  lastSuccessAt: null,
  lastValue: null,
  lastMissedDueAt: null,
};

/** Starts nobody ends are forgotten beyond this many (a job that crashes before its end ping every time). */
export const MAX_OPEN_RUNS = 20;
/** After a long outage of the evaluator only the latest missed deadlines are reported, not thousands. */
export const MAX_MISSED_PER_EVALUATION = 10;

export interface HeartbeatEvaluation {
  results: CheckResult[];
  state: HeartbeatEvaluationState;
}

/**
 * When the next success is expected: the last success (or, before any, the monitor's creation) plus the
 * period, or the cron schedule's next time after it. The monitor is late once `graceMs` has passed after it.
 */
export function nextDueAt(target: HeartbeatTarget, lastSuccessAt: Date | null, createdAt: Date): Date {
  return new Date(dueAfter(target, (lastSuccessAt ?? createdAt).getTime()));
}

function dueAfter(target: HeartbeatTarget, from: number): number {
  return target.schedule.kind === 'period'
    ? from + target.schedule.periodMs
    : nextCronTime(target.schedule, new Date(from)).getTime();
}

/**
 * Turns a monitor's new pings (id order) and the passing of time up to `now` into check results, in time
 * order. Pure: the evaluator stores the state and records the results.
 * - A start opens a run (replacing an open one of the same rid, or without a rid the previous start);
 *   an end (success, exit, fail) closes the run of its `rid`, or without one the latest open run. A run's duration is end - start (or the sender's own `durationMs`).
 * - fail, a non-zero exit, a run shorter than min_duration or longer than max_duration, a value outside
 *   the condition (or missing when one is set): `{ok: false, failure: 'failed'}`.
 * - Otherwise a success: ok, its value, responseTimeMs = the run's duration (0 when unknown).
 * - No success by a deadline (due time + grace, strictly after it): one `failure: 'missing'` per due time,
 *   checked before each ping at its arrival time and at `now`; a run open longer than max_duration fails once.
 * - log pings are notes: they only move the cursor.
 */
export function evaluateHeartbeat(
  target: HeartbeatTarget,
  createdAt: Date,
  state: HeartbeatEvaluationState,
  pings: readonly HeartbeatPing[],
  now: Date,
): HeartbeatEvaluation {
  const next: HeartbeatEvaluationState = { ...state, openRuns: state.openRuns.map((run) => ({ ...run })) };
  const results: CheckResult[] = [];
  const catchUp = (at: number) => {
    const due = [...missedDeadlines(target, createdAt.getTime(), next, at), ...overruns(target, next, at)];
    results.push(...due.sort((a, b) => a.checkedAt.getTime() - b.checkedAt.getTime()));
  };
  for (const ping of pings) {
    catchUp(ping.receivedAt.getTime());
    const result = applyPing(target, next, ping);
    if (result) results.push(result);
    next.cursor = Math.max(next.cursor, ping.id);
  }
  catchUp(now.getTime());
  return { results, state: next };
}

/** The result of one ping (null for start and log pings, and for the end of a run already failed as overrun). */
function applyPing(
  target: HeartbeatTarget,
  state: HeartbeatEvaluationState,
  ping: HeartbeatPing,
): CheckResult | null {
  const at = ping.receivedAt.getTime();
  if (ping.kind === 'log') return null;
  if (ping.kind === 'start') {
    // A new start replaces an open one of the same rid (or, without rids, the previous start: the job
    // was started again), as Healthchecks does; an overrun of the replaced one was reported before it.
    state.openRuns = [
      ...state.openRuns.filter((run) => run.rid !== ping.rid),
      { rid: ping.rid, startedAt: at, overrunReported: false },
    ].slice(-MAX_OPEN_RUNS);
    return null;
  }
  const run = closeRun(state, ping.rid);
  const previousValue = state.lastValue;
  if (ping.value !== null) state.lastValue = ping.value;
  if (run?.overrunReported) return null;
  const durationMs = run ? at - run.startedAt : ping.durationMs;
  const problem = runProblem(target, ping, durationMs, previousValue);
  const result = {
    target: target.name,
    statusCode: null,
    responseTimeMs: durationMs ?? 0,
    checkedAt: ping.receivedAt,
    value: ping.value,
  };
  if (problem !== null) return { ...result, ok: false, error: problem, failure: 'failed' };
  state.lastSuccessAt = at;
  return { ...result, ok: true, error: null };
}

/** Removes and returns the run an end ping closes: the one of its rid, or without a rid the latest one. */
function closeRun(state: HeartbeatEvaluationState, rid: string | null): OpenRun | null {
  const index = rid === null ? state.openRuns.length - 1 : state.openRuns.findIndex((run) => run.rid === rid);
  if (index < 0) return null;
  const [run] = state.openRuns.splice(index, 1);
  return run;
}

/** Why an end ping is a failure, or null when it is a success. */
function runProblem(
  target: HeartbeatTarget,
  ping: HeartbeatPing,
  durationMs: number | null,
  previousValue: number | null,
): string | null {
  if (ping.kind === 'fail') return 'the job reported a failure';
  if (ping.kind === 'exit' && ping.exitCode !== 0)
    return `the job exited with code ${ping.exitCode ?? 'unknown'}`;
  if (durationMs !== null && target.minDurationMs !== null && durationMs < target.minDurationMs)
    return `the run took ${formatDuration(durationMs)}, shorter than min_duration ${formatDuration(target.minDurationMs)}`;
  if (durationMs !== null && target.maxDurationMs !== null && durationMs > target.maxDurationMs)
    return `the run took ${formatDuration(durationMs)}, longer than max_duration ${formatDuration(target.maxDurationMs)}`;
  if (target.value === null) return null;
  if (ping.value === null) return `no value reported (expected ${describeValueCondition(target.value)})`;
  const verdict = evaluateValueCondition(target.value, ping.value, previousValue);
  return verdict.ok ? null : verdict.reason;
}

/**
 * One `missing` result per due time whose deadline (due + grace) passed strictly before `at` without a
 * success; each is reported once (`lastMissedDueAt`), and only the latest MAX_MISSED_PER_EVALUATION.
 */
function missedDeadlines(
  target: HeartbeatTarget,
  createdAt: number,
  state: HeartbeatEvaluationState,
  at: number,
): CheckResult[] {
  const from = state.lastSuccessAt ?? createdAt;
  let due = dueAfter(target, from);
  if (state.lastMissedDueAt !== null && state.lastMissedDueAt >= due)
    due = dueAfter(target, state.lastMissedDueAt);
  const missed: number[] = [];
  while (due + target.graceMs < at) {
    missed.push(due);
    if (missed.length > MAX_MISSED_PER_EVALUATION) missed.shift();
    due = dueAfter(target, due);
  }
  if (missed.length === 0) return [];
  state.lastMissedDueAt = missed[missed.length - 1];
  const since = state.lastSuccessAt === null ? 'no success yet' : `last success ${iso(state.lastSuccessAt)}`;
  return missed.map((dueAt) => ({
    target: target.name,
    ok: false,
    statusCode: null,
    responseTimeMs: 0,
    error: `no ping by ${iso(dueAt)} (grace ${formatDuration(target.graceMs)}); ${since}`,
    checkedAt: new Date(dueAt + target.graceMs),
    value: null,
    failure: 'missing',
  }));
}

/** A `failed` result for each open run that passed max_duration before `at` (once per run). */
function overruns(target: HeartbeatTarget, state: HeartbeatEvaluationState, at: number): CheckResult[] {
  const max = target.maxDurationMs;
  if (max === null) return [];
  return state.openRuns
    .filter((run) => !run.overrunReported && at - run.startedAt > max)
    .map((run) => {
      run.overrunReported = true;
      return {
        target: target.name,
        ok: false,
        statusCode: null,
        responseTimeMs: max,
        error: `the run started ${iso(run.startedAt)} is still running after max_duration ${formatDuration(max)}`,
        checkedAt: new Date(run.startedAt + max),
        value: null,
        failure: 'failed',
      };
    });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** `1h 2m 3s`, `250ms`: durations as people read them in a reason. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let seconds = Math.floor(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  const rest = seconds + (ms % 1000) / 1000;
  if (rest > 0 || parts.length === 0) parts.push(`${rest}s`);
  return parts.join(' ');
}
