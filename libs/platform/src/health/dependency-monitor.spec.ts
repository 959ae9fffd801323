import type { PlatformConfig } from '../config/platform-config';
import { DependencyMonitor } from './dependency-monitor';

const config = { HEALTH_CHECK_INTERVAL_MS: 1000, HEALTH_CHECK_TIMEOUT_MS: 100 } as PlatformConfig;

describe('DependencyMonitor', () => {
  it('starts unknown, which readiness treats as failing', () => {
    const monitor = new DependencyMonitor(config);
    monitor.register({ name: 'nats', run: () => Promise.resolve() });
    expect(monitor.failing().map((s) => s.status)).toEqual(['unknown']);
  });

  it('records up with a response time', async () => {
    const monitor = new DependencyMonitor(config);
    monitor.register({ name: 'postgres', run: () => Promise.resolve() });
    await monitor.runAll();
    expect(monitor.snapshot()[0]).toMatchObject({ status: 'up', last_error: null });
    expect(monitor.snapshot()[0].response_time_ms).toEqual(expect.any(Number));
  });

  it('marks a hanging check down at its timeout and does not stack a second call', async () => {
    const monitor = new DependencyMonitor(config);
    let calls = 0;
    monitor.register({ name: 'postgres', run: () => ((calls += 1), new Promise<void>(() => undefined)) });
    await monitor.runAll();
    expect(monitor.snapshot()[0]).toMatchObject({
      status: 'down',
      last_error: 'postgres check timed out after 100 ms',
    });
    await monitor.runAll();
    expect(calls).toBe(1);
  });

  it('redacts the error it keeps', async () => {
    const monitor = new DependencyMonitor(config);
    monitor.register({
      name: 'db',
      run: () => Promise.reject(new Error('login failed for ops@example.com')),
    });
    await monitor.runAll();
    expect(monitor.snapshot()[0].last_error).not.toContain('ops@example.com');
  });

  it('ignores non-critical components for readiness', async () => {
    const monitor = new DependencyMonitor(config);
    monitor.register({ name: 'smtp', critical: false, run: () => Promise.reject(new Error('down')) });
    await monitor.runAll();
    expect(monitor.failing()).toEqual([]);
  });

  it('shows a component’s details as they are when the snapshot is taken, and only for that component', async () => {
    const monitor = new DependencyMonitor(config);
    let waiting = 3;
    monitor.register({
      name: 'queue',
      critical: false,
      run: () => Promise.resolve(),
      details: () => ({ waiting }),
    });
    monitor.register({ name: 'postgres', run: () => Promise.resolve() });
    await monitor.runAll();
    waiting = 0;
    const [queue, postgres] = monitor.snapshot();
    expect(queue).toMatchObject({ name: 'queue', status: 'up', details: { waiting: 0 } });
    expect(postgres).not.toHaveProperty('details');
  });
});
