import { Gauge } from 'prom-client';

import { DependencyMonitor, type PlatformConfig } from '@vigil/platform';

import type { AlertIntakeRepository, JournalStats } from './alert-intake.repository';
import { JournalHealth } from './journal-health';

const config = { HEALTH_CHECK_INTERVAL_MS: 1000, HEALTH_CHECK_TIMEOUT_MS: 1000 } as PlatformConfig;

function journalHealthWith(stats: JournalStats) {
  const monitor = new DependencyMonitor(config);
  const lag = new Gauge({ name: 'lag', help: 'lag', registers: [] });
  const age = new Gauge({ name: 'age', help: 'age', registers: [] });
  const journal = { stats: () => Promise.resolve(stats) } as unknown as AlertIntakeRepository;
  new JournalHealth(monitor, journal, lag, age).onModuleInit();
  const component = async () => {
    await monitor.runAll();
    return monitor.snapshot().find((c) => c.name === 'intake-journal');
  };
  const value = async (gauge: Gauge) => (await gauge.get()).values[0]?.value;
  return { component, failing: () => monitor.failing(), lag: () => value(lag), age: () => value(age) };
}

describe('JournalHealth', () => {
  it('shows an empty journal as up, with lag 0, and how many entries were quarantined', async () => {
    const health = journalHealthWith({ lagEntries: 0, oldestReceivedAt: null, quarantinedEntries: 4 });
    expect(await health.component()).toMatchObject({
      status: 'up',
      critical: false,
      details: { lag_entries: 0, oldest_unapplied_age_s: 0, quarantined_entries: 4 },
    });
    expect(await health.lag()).toBe(0);
    expect(await health.age()).toBe(0);
  });

  it('is down, naming the lag, once the oldest entry has waited over a minute; readiness does not depend on it', async () => {
    const oldest = new Date(Date.now() - 90_000);
    const health = journalHealthWith({ lagEntries: 12, oldestReceivedAt: oldest, quarantinedEntries: 0 });
    const component = await health.component();
    expect(component).toMatchObject({
      status: 'down',
      critical: false,
      details: { lag_entries: 12, quarantined_entries: 0 },
    });
    expect(component?.last_error).toMatch(/12 accepted requests wait to be applied; the oldest for 9\d s/);
    expect(health.failing()).toEqual([]);
    expect(await health.lag()).toBe(12);
    expect(await health.age()).toBeGreaterThanOrEqual(90);
  });

  it('stays up while a burst is being applied (entries a few seconds old)', async () => {
    const oldest = new Date(Date.now() - 3_000);
    const health = journalHealthWith({ lagEntries: 400, oldestReceivedAt: oldest, quarantinedEntries: 0 });
    expect(await health.component()).toMatchObject({ status: 'up', details: { lag_entries: 400 } });
  });
});
