import type { HeartbeatTarget } from '../../targets/heartbeat-definition';
import {
  evaluateHeartbeat,
  formatDuration,
  INITIAL_EVALUATION_STATE,
  MAX_MISSED_PER_EVALUATION,
  MAX_OPEN_RUNS,
  nextDueAt,
  type HeartbeatEvaluationState,
  type HeartbeatPing,
} from './heartbeat-rules';
import { defaultAlertRules } from '../../targets/common-fields';

const T0 = Date.parse('2026-12-07T00:00:00.000Z');
const S = 1000;
const M = 60 * S;
const H = 60 * M;

function monitor(overrides: Partial<HeartbeatTarget> = {}): HeartbeatTarget {
  return {
    kind: 'heartbeat',
    name: 'backup',
    url: 'heartbeat:backup',
    intervalMs: 10_000,
    timeoutMs: 5000,
    ...defaultAlertRules(1),
    recoveryThreshold: 1,
    schedule: { kind: 'period', periodMs: H },
    graceMs: 10 * M,
    minDurationMs: null,
    maxDurationMs: null,
    value: null,
    tokenSource: null,
    token: null,
    ...overrides,
  };
}

let nextId = 1;
function ping(kind: HeartbeatPing['kind'], at: number, extra: Partial<HeartbeatPing> = {}): HeartbeatPing {
  return {
    id: nextId++,
    kind,
    exitCode: null,
    rid: null,
    value: null,
    durationMs: null,
    receivedAt: new Date(at),
    ...extra,
  };
}

const created = new Date(T0);
const run = (
  target: HeartbeatTarget,
  pings: HeartbeatPing[],
  now: number,
  state: HeartbeatEvaluationState = INITIAL_EVALUATION_STATE,
) => evaluateHeartbeat(target, created, state, pings, new Date(now));

describe('heartbeat rules: deadlines', () => {
  it('is not late exactly at the deadline, and late 1 ms after it (counted from creation before any ping)', () => {
    const target = monitor();
    expect(run(target, [], T0 + H + 10 * M).results).toEqual([]);
    const late = run(target, [], T0 + H + 10 * M + 1).results;
    expect(late).toHaveLength(1);
    expect(late[0]).toMatchObject({
      ok: false,
      failure: 'missing',
      checkedAt: new Date(T0 + H + 10 * M),
      error: 'no ping by 2026-12-07T01:00:00.000Z (grace 10m); no success yet',
    });
  });

  it('counts the deadline from the last success', () => {
    const target = monitor();
    const success = ping('success', T0 + 30 * M);
    const { results, state } = run(target, [success], T0 + 30 * M + H + 10 * M);
    expect(results.map((r) => r.ok)).toEqual([true]);
    expect(state.lastSuccessAt).toBe(T0 + 30 * M);
    const later = run(target, [], T0 + 30 * M + H + 10 * M + 1, state).results;
    expect(later.map((r) => r.failure)).toEqual(['missing']);
    expect(later[0].error).toContain('last success 2026-12-07T00:30:00.000Z');
  });

  it('reports one missing result per missed deadline, not one per evaluation', () => {
    const target = monitor();
    const first = run(target, [], T0 + H + 10 * M + 1);
    expect(first.results).toHaveLength(1);
    // Evaluations every 2 s until just before the second deadline add nothing.
    let state = first.state;
    for (let at = T0 + H + 10 * M + 2 * S; at <= T0 + 2 * H + 10 * M; at += 2 * S) {
      const again = run(target, [], at, state);
      expect(again.results).toEqual([]);
      state = again.state;
    }
    const second = run(target, [], T0 + 2 * H + 10 * M + 1, state);
    expect(second.results).toHaveLength(1);
    expect(second.results[0].checkedAt).toEqual(new Date(T0 + 2 * H + 10 * M));
  });

  it('reports the N-th missed period at its own deadline when evaluated late', () => {
    const target = monitor();
    // Exactly at the 3rd deadline: two missed; 1 ms later: three, the 3rd at its due time + grace.
    expect(run(target, [], T0 + 3 * H + 10 * M).results).toHaveLength(2);
    const three = run(target, [], T0 + 3 * H + 10 * M + 1).results;
    expect(three.map((r) => r.checkedAt.getTime() - T0)).toEqual([
      H + 10 * M,
      2 * H + 10 * M,
      3 * H + 10 * M,
    ]);
  });

  it('reports only the latest deadlines after a long outage of the evaluator', () => {
    const target = monitor({ graceMs: 0 });
    const { results, state } = run(target, [], T0 + 1000 * H + 1);
    expect(results).toHaveLength(MAX_MISSED_PER_EVALUATION);
    expect(results.at(-1)?.checkedAt).toEqual(new Date(T0 + 1000 * H));
    expect(run(target, [], T0 + 1000 * H + 2, state).results).toEqual([]);
  });

  it('notices a deadline missed before a late ping arrives in the same evaluation', () => {
    const target = monitor();
    const late = ping('success', T0 + H + 10 * M + 1);
    const { results } = run(target, [late], T0 + H + 11 * M);
    expect(results.map((r) => [r.ok, r.failure])).toEqual([
      [false, 'missing'],
      [true, undefined],
    ]);
  });

  it('is on time for a ping exactly at the deadline', () => {
    const target = monitor();
    const { results } = run(target, [ping('success', T0 + H + 10 * M)], T0 + H + 11 * M);
    expect(results.map((r) => r.ok)).toEqual([true]);
  });

  it('uses the cron schedule in its time zone after the last success', () => {
    const target = monitor({
      schedule: { kind: 'cron', expression: '0 2 * * *', timeZone: 'Europe/Berlin' },
      graceMs: H,
    });
    // 2026-12-07 02:00 Berlin is 01:00 UTC; the monitor was created at 00:00 UTC.
    expect(nextDueAt(target, null, created).toISOString()).toBe('2026-12-07T01:00:00.000Z');
    expect(run(target, [], Date.parse('2026-12-07T02:00:00.000Z')).results).toEqual([]);
    const late = run(target, [], Date.parse('2026-12-07T02:00:00.001Z'));
    expect(late.results).toHaveLength(1);
    const success = ping('success', Date.parse('2026-12-07T02:30:00.000Z'));
    const after = run(target, [success], Date.parse('2026-12-08T02:00:00.000Z'), late.state);
    expect(after.results.map((r) => r.ok)).toEqual([true]);
    expect(nextDueAt(target, new Date(success.receivedAt), created).toISOString()).toBe(
      '2026-12-08T01:00:00.000Z',
    );
    expect(run(target, [], Date.parse('2026-12-08T02:00:00.001Z'), after.state).results).toHaveLength(1);
  });

  it('gives the next due time from the last success, or from creation', () => {
    const target = monitor();
    expect(nextDueAt(target, null, created)).toEqual(new Date(T0 + H));
    expect(nextDueAt(target, new Date(T0 + 5 * M), created)).toEqual(new Date(T0 + H + 5 * M));
  });
});

describe('heartbeat rules: runs and outcomes', () => {
  it('turns fail pings and non-zero exit codes into failures, exit 0 into a success', () => {
    const target = monitor();
    const { results, state } = run(
      target,
      [
        ping('fail', T0 + M),
        ping('exit', T0 + 2 * M, { exitCode: 3 }),
        ping('exit', T0 + 3 * M, { exitCode: 0 }),
      ],
      T0 + 4 * M,
    );
    expect(results.map((r) => [r.ok, r.failure, r.error])).toEqual([
      [false, 'failed', 'the job reported a failure'],
      [false, 'failed', 'the job exited with code 3'],
      [true, undefined, null],
    ]);
    expect(state.lastSuccessAt).toBe(T0 + 3 * M);
  });

  it('does not move the deadline on a failure', () => {
    const target = monitor();
    const { state } = run(target, [ping('fail', T0 + M)], T0 + 2 * M);
    expect(state.lastSuccessAt).toBeNull();
    expect(run(target, [], T0 + H + 10 * M + 1, state).results.map((r) => r.failure)).toEqual(['missing']);
  });

  it('ignores log pings but moves the cursor past them', () => {
    const log = ping('log', T0 + M);
    const { results, state } = run(monitor(), [log], T0 + 2 * M);
    expect(results).toEqual([]);
    expect(state.cursor).toBe(log.id);
  });

  it('fails a run shorter than min_duration, and accepts one of exactly min_duration', () => {
    const target = monitor({ minDurationMs: 5 * M });
    const short = run(target, [ping('start', T0), ping('success', T0 + 5 * M - 1)], T0 + 6 * M).results;
    expect(short).toHaveLength(1);
    expect(short[0]).toMatchObject({
      ok: false,
      failure: 'failed',
      responseTimeMs: 5 * M - 1,
      error: 'the run took 4m 59.999s, shorter than min_duration 5m',
    });
    const exact = run(target, [ping('start', T0), ping('success', T0 + 5 * M)], T0 + 6 * M).results;
    expect(exact).toMatchObject([{ ok: true, responseTimeMs: 5 * M }]);
  });

  it('fails a run longer than max_duration, and accepts one of exactly max_duration', () => {
    const target = monitor({ maxDurationMs: 2 * M });
    const exact = run(target, [ping('start', T0), ping('success', T0 + 2 * M)], T0 + 3 * M).results;
    expect(exact).toMatchObject([{ ok: true, responseTimeMs: 2 * M }]);
    const long = run(target, [ping('start', T0), ping('success', T0 + 2 * M + 1)], T0 + 3 * M).results;
    expect(long).toHaveLength(1);
    expect(long[0]).toMatchObject({ ok: false, failure: 'failed' });
  });

  it('fails a run still running past max_duration once, and not again when it ends', () => {
    const target = monitor({ maxDurationMs: 2 * M });
    const started = run(target, [ping('start', T0)], T0 + 2 * M);
    expect(started.results).toEqual([]);
    const over = run(target, [], T0 + 2 * M + 1, started.state);
    expect(over.results).toHaveLength(1);
    expect(over.results[0]).toMatchObject({
      ok: false,
      failure: 'failed',
      checkedAt: new Date(T0 + 2 * M),
      error: 'the run started 2026-12-07T00:00:00.000Z is still running after max_duration 2m',
    });
    const again = run(target, [], T0 + 10 * M, over.state);
    expect(again.results).toEqual([]);
    const ended = run(target, [ping('success', T0 + 11 * M)], T0 + 12 * M, again.state);
    expect(ended.results).toEqual([]);
    expect(ended.state.openRuns).toEqual([]);
    // The next run is judged on its own.
    const next = run(
      target,
      [ping('start', T0 + 20 * M), ping('success', T0 + 21 * M)],
      T0 + 22 * M,
      ended.state,
    );
    expect(next.results).toMatchObject([{ ok: true, responseTimeMs: M }]);
  });

  it('pairs start and end by rid, and without one with the latest open start', () => {
    const target = monitor();
    const { results, state } = run(
      target,
      [
        ping('start', T0, { rid: 'a' }),
        ping('start', T0 + M, { rid: 'b' }),
        ping('success', T0 + 3 * M, { rid: 'a' }),
        ping('start', T0 + 4 * M),
        ping('start', T0 + 5 * M),
        ping('success', T0 + 7 * M),
      ],
      T0 + 8 * M,
    );
    expect(results.map((r) => r.responseTimeMs)).toEqual([3 * M, 2 * M]);
    // The start at 4m was replaced by the one at 5m (started again), which the end at 7m closed.
    expect(state.openRuns.map((r) => [r.rid, r.startedAt - T0])).toEqual([['b', M]]);
  });

  it("uses the sender's own duration when no start pairs", () => {
    const target = monitor({ minDurationMs: 10 * S });
    const { results } = run(target, [ping('success', T0 + M, { durationMs: 9 * S })], T0 + 2 * M);
    expect(results).toMatchObject([{ ok: false, failure: 'failed', responseTimeMs: 9 * S }]);
  });

  it('keeps at most MAX_OPEN_RUNS open runs', () => {
    const starts = Array.from({ length: MAX_OPEN_RUNS + 5 }, (_, i) =>
      ping('start', T0 + i * S, { rid: `r${i}` }),
    );
    const { state } = run(monitor(), starts, T0 + M);
    expect(state.openRuns).toHaveLength(MAX_OPEN_RUNS);
    expect(state.openRuns[0].rid).toBe('r5');
  });
});

describe('heartbeat rules: values', () => {
  it('checks the value against the condition and keeps it on the result', () => {
    const target = monitor({ value: { op: '>', value: 0 } });
    const { results } = run(
      target,
      [
        ping('success', T0 + M, { value: 0 }),
        ping('success', T0 + 2 * M, { value: 12 }),
        ping('success', T0 + 3 * M),
      ],
      T0 + 4 * M,
    );
    expect(results.map((r) => [r.ok, r.value, r.error])).toEqual([
      [false, 0, 'value 0 is not > 0'],
      [true, 12, null],
      [false, null, 'no value reported (expected > 0)'],
    ]);
  });

  it('compares with the previous value, kept across evaluations', () => {
    const target = monitor({ value: { op: 'within_pct_of_previous', pct: 10 } });
    const first = run(target, [ping('success', T0 + M, { value: 100 })], T0 + 2 * M);
    expect(first.results).toMatchObject([{ ok: true }]);
    expect(first.state.lastValue).toBe(100);
    const within = run(target, [ping('success', T0 + 3 * M, { value: 110 })], T0 + 4 * M, first.state);
    expect(within.results).toMatchObject([{ ok: true }]);
    const outside = run(target, [ping('success', T0 + 5 * M, { value: 121.5 })], T0 + 6 * M, within.state);
    expect(outside.results).toMatchObject([
      { ok: false, failure: 'failed', error: 'value 121.5 is not within 10% of previous (previous 110)' },
    ]);
  });
});

describe('formatDuration', () => {
  it('writes durations as people read them', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(90 * S)).toBe('1m 30s');
    expect(formatDuration(H + 1)).toBe('1h 0.001s');
    expect(formatDuration(86_400_000 + 2 * H)).toBe('1d 2h');
  });
});
