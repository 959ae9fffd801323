import type { Gauge } from 'prom-client';

import type { HealthConfig } from '../config/health-config';
import type { TargetStateService } from '../state/target-state.service';
import type { TargetDefinition } from '../targets/target-definition';
import type { CheckResult } from '../checks/check-result';
import { TargetCatalog } from '../targets/target-catalog';
import { CheckScheduler } from './check-scheduler';
import type { TargetLeases } from '../leases/target-leases.service';
import type { TargetChecker } from '../checks/target-checker';
import type { CertificateExpiryAlerts } from '../certs/cert-expiry-alerts';

const gauge = { set: () => undefined } as unknown as Gauge<string>;
const certificates = { observe: () => Promise.resolve() } as unknown as CertificateExpiryAlerts;

function tcpTarget(i: number): TargetDefinition {
  return {
    kind: 'tcp',
    name: `t${i}`,
    url: `tcp://127.0.0.1:${1000 + i}`,
    host: '127.0.0.1',
    port: 1000 + i,
    intervalMs: 30_000,
    timeoutMs: 1000,
    failureThreshold: 2,
    recoveryThreshold: 1,
  };
}

describe('CheckScheduler', () => {
  afterEach(() => jest.useRealTimers());

  it('spreads first checks over the start window and runs at most HEALTH_MAX_CONCURRENT_CHECKS at once', async () => {
    jest.useFakeTimers();
    const pending: ((result: CheckResult) => void)[] = [];
    const started: string[] = [];
    const checker = {
      check: (target: TargetDefinition) =>
        new Promise<CheckResult>((resolve) => {
          started.push(target.name);
          pending.push(resolve);
        }),
    } as unknown as TargetChecker;
    const recorded: string[] = [];
    const states = {
      record: (target: TargetDefinition) => (recorded.push(target.name), Promise.resolve()),
    } as unknown as TargetStateService;
    const targets = Array.from({ length: 10 }, (_, i) => tcpTarget(i));
    const scheduler = new CheckScheduler(
      new TargetCatalog(targets),
      { HEALTH_MAX_CONCURRENT_CHECKS: 3 } as HealthConfig,
      checker,
      { holds: () => Promise.resolve(true), releaseAll: () => Promise.resolve() } as unknown as TargetLeases,
      states,
      gauge,
      gauge,
      gauge,
      gauge,
      gauge,
      certificates,
    );
    scheduler.onApplicationBootstrap();
    expect(started).toEqual([]);
    await jest.advanceTimersByTimeAsync(5000);
    expect(started).toHaveLength(3);

    const ok = (name: string): CheckResult => ({
      target: name,
      ok: true,
      statusCode: null,
      responseTimeMs: 1,
      error: null,
      checkedAt: new Date(),
    });
    for (let round = 0; round < 10 && pending.length > 0; round += 1) {
      const batch = pending.splice(0);
      batch.forEach((resolve, i) => resolve(ok(started[i])));
      await jest.advanceTimersByTimeAsync(0);
      expect(pending.length).toBeLessThanOrEqual(3);
    }
    expect(new Set(started)).toEqual(new Set(targets.map((t) => t.name)));
    expect(recorded).toHaveLength(10);
    const stop = scheduler.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(0);
    await stop;
  });

  it('checks a target added at run time and stops checking one removed', async () => {
    jest.useFakeTimers();
    const started: string[] = [];
    const checker = {
      check: (target: TargetDefinition) => {
        started.push(target.name);
        return Promise.resolve({
          target: target.name,
          ok: true,
          statusCode: null,
          responseTimeMs: 1,
          error: null,
          checkedAt: new Date(),
        });
      },
    } as unknown as TargetChecker;
    const states = { record: () => Promise.resolve() } as unknown as TargetStateService;
    const catalog = new TargetCatalog([tcpTarget(0)]);
    const scheduler = new CheckScheduler(
      catalog,
      { HEALTH_MAX_CONCURRENT_CHECKS: 3 } as HealthConfig,
      checker,
      { holds: () => Promise.resolve(true), releaseAll: () => Promise.resolve() } as unknown as TargetLeases,
      states,
      gauge,
      gauge,
      gauge,
      gauge,
      gauge,
      certificates,
    );
    scheduler.onApplicationBootstrap();
    catalog.put(tcpTarget(1));
    await jest.advanceTimersByTimeAsync(5000);
    expect(new Set(started)).toEqual(new Set(['t0', 't1']));
    catalog.remove('t0');
    started.length = 0;
    await jest.advanceTimersByTimeAsync(3 * tcpTarget(0).intervalMs);
    expect(started.length).toBeGreaterThanOrEqual(3);
    expect(new Set(started)).toEqual(new Set(['t1']));
    const stop = scheduler.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(0);
    await stop;
  });
});
