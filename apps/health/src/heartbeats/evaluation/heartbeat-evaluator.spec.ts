import type { CheckResult } from '../../checks/check-result';
import type { TargetLeases } from '../../leases/target-leases.service';
import type { TargetStateService } from '../../state/target-state.service';
import type { HeartbeatTarget } from '../../targets/heartbeat-definition';
import { TargetCatalog } from '../../targets/target-catalog';
import type { TargetDefinition } from '../../targets/target-definition';
import type { HeartbeatEvaluationRepository } from './heartbeat-evaluation.repository';
import { EVALUATION_INTERVAL_MS, HeartbeatEvaluator, SETTLE_MS } from './heartbeat-evaluator';
import {
  INITIAL_EVALUATION_STATE,
  type HeartbeatEvaluationState,
  type HeartbeatPing,
} from './heartbeat-rules';
import { defaultAlertRules } from '../../targets/common-fields';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');

function heartbeat(name: string): HeartbeatTarget {
  return {
    kind: 'heartbeat',
    name,
    url: `heartbeat:${name}`,
    intervalMs: 10_000,
    timeoutMs: 5000,
    ...defaultAlertRules(1),
    recoveryThreshold: 1,
    schedule: { kind: 'period', periodMs: 3_600_000 },
    graceMs: 0,
    minDurationMs: null,
    maxDurationMs: null,
    value: null,
    tokenSource: null,
    token: null,
  };
}

const web: TargetDefinition = {
  kind: 'tcp',
  name: 'cache',
  url: 'tcp://127.0.0.1:6379',
  intervalMs: 1000,
  timeoutMs: 500,
  ...defaultAlertRules(1),
  recoveryThreshold: 1,
  host: '127.0.0.1',
  port: 6379,
};

function setup(owned: string[], pings: HeartbeatPing[]) {
  const saved = new Map<string, HeartbeatEvaluationState>();
  const reads: { monitor: string; cursor: number; until: Date }[] = [];
  const recorded: CheckResult[] = [];
  const repository = {
    load: jest.fn((monitor: string) =>
      Promise.resolve({
        createdAt: new Date(NOW - 60_000),
        state: saved.get(monitor) ?? INITIAL_EVALUATION_STATE,
      }),
    ),
    save: jest.fn((monitor: string, state: HeartbeatEvaluationState) => {
      saved.set(monitor, state);
      return Promise.resolve();
    }),
    pingsAfter: jest.fn((monitor: string, cursor: number, until: Date, limit: number) => {
      reads.push({ monitor, cursor, until });
      return Promise.resolve(pings.filter((p) => p.id > cursor && p.receivedAt <= until).slice(0, limit));
    }),
  };
  const leases = {
    holds: jest.fn((target: TargetDefinition) => Promise.resolve(owned.includes(target.name))),
  };
  const states = {
    record: jest.fn((_target: TargetDefinition, result: CheckResult) => {
      recorded.push(result);
      return Promise.resolve();
    }),
  };
  const catalog = new TargetCatalog([web, heartbeat('mine'), heartbeat('theirs')]);
  const evaluator = new HeartbeatEvaluator(
    catalog,
    leases as unknown as TargetLeases,
    states as unknown as TargetStateService,
    repository as unknown as HeartbeatEvaluationRepository,
  );
  return { evaluator, repository, leases, saved, reads, recorded };
}

const ping = (id: number, agoMs: number): HeartbeatPing => ({
  id,
  kind: 'success',
  exitCode: null,
  rid: null,
  value: null,
  durationMs: null,
  receivedAt: new Date(NOW + EVALUATION_INTERVAL_MS - agoMs),
});

describe('HeartbeatEvaluator', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('evaluates only the heartbeats whose lease it holds, every 2 s, reading settled pings only', async () => {
    const { evaluator, leases, reads, recorded, saved } = setup(
      ['mine'],
      [ping(1, 5000), ping(2, SETTLE_MS - 1)],
    );
    evaluator.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(EVALUATION_INTERVAL_MS - 1);
    expect(leases.holds).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(leases.holds.mock.calls.map(([t]) => t.name)).toEqual(['mine', 'theirs']);
    expect(reads.map((r) => r.monitor)).toEqual(['mine']);
    expect(reads[0].until).toEqual(new Date(NOW + EVALUATION_INTERVAL_MS - SETTLE_MS));
    // Ping 2 arrived less than SETTLE_MS ago: it waits for the next round.
    expect(recorded.map((r) => r.ok)).toEqual([true]);
    expect(saved.get('mine')?.cursor).toBe(1);

    await jest.advanceTimersByTimeAsync(EVALUATION_INTERVAL_MS);
    expect(recorded).toHaveLength(2);
    expect(saved.get('mine')?.cursor).toBe(2);
    await evaluator.onModuleDestroy();
  });

  it('writes nothing for a monitor with no news', async () => {
    const { evaluator, repository } = setup(['mine'], []);
    evaluator.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3 * EVALUATION_INTERVAL_MS);
    expect(repository.load).toHaveBeenCalledTimes(3);
    expect(repository.save).not.toHaveBeenCalled();
    await evaluator.onModuleDestroy();
  });

  it('reads page after page until the pings are all read', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => ping(i + 1, 10_000));
    const { evaluator, reads, recorded, saved } = setup(['mine'], many);
    evaluator.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(EVALUATION_INTERVAL_MS);
    expect(reads.map((r) => r.cursor)).toEqual([0, 500, 1000]);
    expect(recorded).toHaveLength(1200);
    expect(saved.get('mine')?.cursor).toBe(1200);
    await evaluator.onModuleDestroy();
  });

  it('stops evaluating on shutdown', async () => {
    const { evaluator, leases } = setup(['mine'], []);
    evaluator.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(EVALUATION_INTERVAL_MS);
    expect(leases.holds).toHaveBeenCalledTimes(2);
    await evaluator.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(5 * EVALUATION_INTERVAL_MS);
    expect(leases.holds).toHaveBeenCalledTimes(2);
  });
});
