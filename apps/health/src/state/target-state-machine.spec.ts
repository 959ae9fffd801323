import {
  applyCheck,
  initialTargetState,
  type CheckOutcome,
  type TargetState,
  type Thresholds,
} from './target-state-machine';

const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** Runs `checks` ('+' success, '-' failure), one per second, and returns every state and transition. */
function run(checks: string, thresholds: Thresholds, start: TargetState = initialTargetState(at(0))) {
  let state = start;
  const transitions: string[] = [];
  [...checks].forEach((c, i) => {
    const outcome: CheckOutcome = {
      ok: c === '+',
      error: c === '+' ? null : 'expected status 200, got 500',
      responseTimeMs: 12,
      checkedAt: at(i + 1),
    };
    const next = applyCheck(state, outcome, thresholds);
    state = next.state;
    if (next.transition) transitions.push(`${next.transition.from}->${next.transition.to}@${i + 1}`);
  });
  return { state, transitions };
}

const defaults: Thresholds = { failureThreshold: 2, recoveryThreshold: 1 };

describe('applyCheck', () => {
  it('starts unknown', () => {
    expect(initialTargetState(at(0))).toMatchObject({ status: 'unknown', since: at(0), lastCheckedAt: null });
  });

  it('goes up on the first success with recovery_threshold 1', () => {
    expect(run('+', defaults).transitions).toEqual(['unknown->up@1']);
  });

  it('goes down only after failure_threshold consecutive failures', () => {
    const { state, transitions } = run('+-', defaults);
    expect(transitions).toEqual(['unknown->up@1']);
    expect(state).toMatchObject({
      status: 'up',
      consecutiveFailures: 1,
      lastError: 'expected status 200, got 500',
    });

    expect(run('+--', defaults).transitions).toEqual(['unknown->up@1', 'up->down@3']);
  });

  it('resets the failure count on a success in between', () => {
    expect(run('+-+-+-', defaults).transitions).toEqual(['unknown->up@1']);
  });

  it('recovers after recovery_threshold consecutive successes', () => {
    const thresholds = { failureThreshold: 3, recoveryThreshold: 2 };
    expect(run('++---+-++', thresholds).transitions).toEqual(['unknown->up@2', 'up->down@5', 'down->up@9']);
  });

  it('applies the failure threshold from unknown as well', () => {
    expect(run('-', defaults).transitions).toEqual([]);
    expect(run('--', defaults).transitions).toEqual(['unknown->down@2']);
  });

  it('keeps since until the status changes, and records the latest check', () => {
    const { state } = run('+--', defaults);
    expect(state).toMatchObject({
      status: 'down',
      since: at(3),
      lastCheckedAt: at(3),
      lastResponseTimeMs: 12,
    });
    const { state: later } = run('-', defaults, state);
    expect(later.since).toBe(at(3));
  });

  it('explains the transition and clears the last error once up again', () => {
    const down = applyCheck(
      run('+-', defaults).state,
      { ok: false, error: 'timed out after 5000 ms', responseTimeMs: 5000, checkedAt: at(3) },
      defaults,
    );
    expect(down.transition).toEqual({
      from: 'up',
      to: 'down',
      at: at(3),
      reason: '2 consecutive failed checks: timed out after 5000 ms',
    });
    const up = applyCheck(
      down.state,
      { ok: true, error: null, responseTimeMs: 8, checkedAt: at(4) },
      defaults,
    );
    expect(up.transition).toMatchObject({ from: 'down', to: 'up', reason: '1 consecutive successful check' });
    expect(up.state.lastError).toBeNull();
  });

  it('keeps the last error while a down target has not recovered yet', () => {
    const { state } = run('--+', { failureThreshold: 2, recoveryThreshold: 2 });
    expect(state).toMatchObject({
      status: 'down',
      consecutiveSuccesses: 1,
      lastError: 'expected status 200, got 500',
    });
  });
});

describe('applyCheck with N of the last M (failure_window)', () => {
  const threeOfFive: Thresholds = { failureThreshold: 3, failureWindow: 5, recoveryThreshold: 1 };

  it('stays up with N-1 failures among the last M', () => {
    // Two failures among the last five: up; one more would be three.
    const { state, transitions } = run('+-+-+', threeOfFive);
    expect(transitions).toEqual(['unknown->up@1']);
    expect(state.recentOutcomes).toEqual([true, false, true, false, true]);
  });

  it('goes down on the Nth failure among the last M, not necessarily consecutive', () => {
    const { state, transitions } = run('+-+-+-', threeOfFive);
    expect(transitions).toEqual(['unknown->up@1', 'up->down@6']);
    expect(state.recentOutcomes).toEqual([false, true, false, true, false]);
  });

  it('says how many of the last M failed when M is larger than N', () => {
    const thresholds = { failureThreshold: 2, failureWindow: 4, recoveryThreshold: 1 };
    const { transition } = applyCheck(
      run('+-+', thresholds).state,
      { ok: false, error: 'timeout', responseTimeMs: 5000, checkedAt: at(9) },
      thresholds,
    );
    expect(transition?.reason).toBe('2 of the last 4 checks failed: timeout');
  });

  it('lets an old failure slide out of the window', () => {
    // Failures at checks 2, 4 and 7: within the last 5 at check 7 are 3..7 (two failures): up.
    expect(run('+-+-++-', threeOfFive).transitions).toEqual(['unknown->up@1']);
    // With a window of 6, the failure of check 2 still counts at check 7: down.
    expect(run('+-+-++-', { ...threeOfFive, failureWindow: 6 }).transitions).toEqual([
      'unknown->up@1',
      'up->down@7',
    ]);
  });

  it('keeps only the last M outcomes', () => {
    expect(run('---++++++', threeOfFive).state.recentOutcomes).toHaveLength(5);
  });

  it('without failure_window behaves as N consecutive failures (M = N)', () => {
    expect(run('+-+-+-+-', { failureThreshold: 2, recoveryThreshold: 1 }).transitions).toEqual([
      'unknown->up@1',
    ]);
    expect(run('+--', { failureThreshold: 2, recoveryThreshold: 1 }).transitions).toEqual([
      'unknown->up@1',
      'up->down@3',
    ]);
  });

  it('carries the alert of the episode through checks', () => {
    const start = { ...initialTargetState(at(0)), alertname: 'ServiceDown', alertStartsAt: at(0) };
    expect(run('-', defaults, start).state).toMatchObject({ alertname: 'ServiceDown', alertStartsAt: at(0) });
  });
});
