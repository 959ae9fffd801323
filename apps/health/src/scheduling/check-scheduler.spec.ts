import type { Gauge } from 'prom-client';

import type { HealthConfig } from '../config/health-config';
import type { TargetStateService } from '../state/target-state.service';
import type { TargetDefinition } from '../targets/target-definition';
import { defaultAlertRules } from '../targets/common-fields';
import type { CheckResult } from '../checks/check-result';
import { TargetCatalog } from '../targets/target-catalog';
import { CheckScheduler } from './check-scheduler';
import type { TargetLeases } from '../leases/target-leases.service';
import type { TargetChecker } from '../checks/target-checker';
import type { CertificateExpiryAlerts } from '../certs/cert-expiry-alerts';

const gauge = { set: () => undefined } as unknown as Gauge<string>;
const certificates = { observe: () => Promise.resolve() } as unknown as CertificateExpiryAlerts;

/** A scheduler over `catalog` with at most 3 checks at once; `holds` answers the lease question (default: yes). */
function schedulerOf(
  catalog: TargetCatalog,
  checker: TargetChecker,
  states: TargetStateService,
  holds: () => Promise<boolean> = () => Promise.resolve(true),
): CheckScheduler {
  const leases = { holds, releaseAll: () => Promise.resolve() } as unknown as TargetLeases;
  const config = { HEALTH_MAX_CONCURRENT_CHECKS: 3 } as HealthConfig;
  return new CheckScheduler(
    catalog,
    config,
    checker,
    leases,
    states,
    gauge,
    gauge,
    gauge,
    gauge,
    gauge,
    certificates,
  );
}

function tcpTarget(i: number): TargetDefinition {
  return {
    kind: 'tcp',
    name: `t${i}`,
    url: `tcp://127.0.0.1:${1000 + i}`,
    host: '127.0.0.1',
    port: 1000 + i,
    intervalMs: 30_000,
    timeoutMs: 1000,
    ...defaultAlertRules(2),
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
    const scheduler = schedulerOf(new TargetCatalog(targets), checker, states);
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
    const scheduler = schedulerOf(catalog, checker, states);
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

function sqlTarget(cron: string, timeZone = 'UTC'): TargetDefinition {
  return {
    kind: 'sql',
    name: 'private-profiles',
    url: 'sql:private-profiles',
    connectionString: 'postgres://u:p@127.0.0.1:1/db',
    query: 'SELECT 0',
    condition: { op: '==', value: 0 },
    cron: { expression: cron, timeZone },
    intervalMs: 300_000,
    timeoutMs: 1000,
    ...defaultAlertRules(1),
    recoveryThreshold: 1,
  };
}

describe('CheckScheduler with cron targets', () => {
  afterEach(() => jest.useRealTimers());

  function schedulerFor(targets: TargetDefinition[], holds: () => Promise<boolean>, started: Date[]) {
    const checker = {
      check: (target: TargetDefinition) => {
        started.push(new Date());
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
    return schedulerOf(
      new TargetCatalog(targets),
      checker,
      { record: () => Promise.resolve() } as unknown as TargetStateService,
      holds,
    );
  }

  it('checks at each firing of the cron, in its time zone, and not in between', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-28T22:40:00Z') });
    const started: Date[] = [];
    // 00:00 Berlin each day: 23:00 UTC in winter, 22:00 UTC after the clocks go forward on 2026-03-29.
    const scheduler = schedulerFor(
      [sqlTarget('0 0 * * *', 'Europe/Berlin')],
      () => Promise.resolve(true),
      started,
    );
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(20 * 60_000 - 1); // 22:59:59.999 UTC
    expect(started).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(started.map((d) => d.toISOString())).toEqual(['2026-03-28T23:00:00.000Z']);
    await jest.advanceTimersByTimeAsync(23 * 3600_000 - 1); // just before 22:00 UTC on the 29th
    expect(started).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(started.map((d) => d.toISOString())).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
    const stop = scheduler.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(0);
    await stop;
  });

  it('retries a cron target refused its lease just after a dead owner`s lease expires, once', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T09:59:00Z') });
    const claims: Date[] = [];
    const started: Date[] = [];
    let owner = false;
    const holds = () => {
      claims.push(new Date());
      return Promise.resolve(owner);
    };
    const scheduler = schedulerFor([sqlTarget('0 * * * *')], holds, started);
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(60_000); // 10:00: refused (the other replica's lease runs to 10:01)
    expect(claims.map((d) => d.toISOString())).toEqual(['2026-01-01T10:00:00.000Z']);
    owner = true; // the lease expired: this replica takes it at the retry
    await jest.advanceTimersByTimeAsync(61_000);
    expect(claims.map((d) => d.toISOString())).toEqual([
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T10:01:01.000Z',
    ]);
    expect(started.map((d) => d.toISOString())).toEqual(['2026-01-01T10:01:01.000Z']);
    await jest.advanceTimersByTimeAsync(59 * 60_000);
    expect(started.map((d) => d.toISOString())).toEqual([
      '2026-01-01T10:01:01.000Z',
      '2026-01-01T11:00:00.000Z',
    ]);
    const stop = scheduler.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(0);
    await stop;
  });
});
