import type { PlatformConfig } from '../config/platform-config';
import { DependencyMonitor } from './dependency-monitor';
import type { EventLoopWatch } from './event-loop-watch';
import { LifecycleState } from './lifecycle-state';
import { ProbeResponder } from './probe-responder';

const config = {
  HEALTH_CHECK_INTERVAL_MS: 1000,
  HEALTH_CHECK_TIMEOUT_MS: 100,
  EVENT_LOOP_BLOCK_MS: 1000,
  SHUTDOWN_GRACE_MS: 1000,
} as PlatformConfig;

function setup(lagMs = 0) {
  const lifecycle = new LifecycleState();
  const monitor = new DependencyMonitor(config);
  const loop = { lagMs: () => lagMs } as EventLoopWatch;
  return { lifecycle, monitor, probes: new ProbeResponder(config, lifecycle, monitor, loop) };
}

const body = (answer: { body: string }) => JSON.parse(answer.body) as Record<string, unknown>;

describe('ProbeResponder', () => {
  it('is not ready or started before boot work is done', () => {
    const { probes } = setup();
    expect(probes.startup().status).toBe(503);
    expect(probes.readiness().status).toBe(503);
    expect(probes.liveness().status).toBe(200);
  });

  it('is ready once every critical check passed, and names the failing component when one fails', async () => {
    const { lifecycle, monitor, probes } = setup();
    let natsUp = true;
    monitor.register({ name: 'postgres', run: () => Promise.resolve() });
    monitor.register({
      name: 'nats',
      run: () => (natsUp ? Promise.resolve() : Promise.reject(new Error('connection refused'))),
    });
    lifecycle.markStarted();
    expect(probes.readiness().status).toBe(503);
    await monitor.runAll();
    expect(probes.startup().status).toBe(200);
    expect(probes.readiness()).toEqual({
      status: 200,
      body: JSON.stringify({ status: 'ok', components: { postgres: 'up', nats: 'up' } }),
    });
    natsUp = false;
    await monitor.runAll();
    const down = probes.readiness();
    expect(down.status).toBe(503);
    expect(body(down)).toMatchObject({
      error: 'dependency_down',
      message: 'not ready: nats down (connection refused)',
      details: { failing: [{ name: 'nats', status: 'down' }] },
    });
    expect(probes.liveness().status).toBe(200);
  });

  it('turns readiness 503 as soon as draining starts, with dependencies still up', async () => {
    const { lifecycle, monitor, probes } = setup();
    monitor.register({ name: 'postgres', run: () => Promise.resolve() });
    lifecycle.markStarted();
    await monitor.runAll();
    expect(probes.readiness().status).toBe(200);
    lifecycle.markDraining();
    expect(body(probes.readiness())).toMatchObject({ error: 'draining' });
    expect(probes.liveness().status).toBe(200);
  });

  it('fails liveness on a stalled event loop', () => {
    const { probes } = setup(1500);
    expect(probes.liveness().status).toBe(503);
    expect(body(probes.liveness())).toMatchObject({ error: 'event_loop_blocked' });
  });

  it('fails liveness once shutdown overran its grace period', () => {
    const { lifecycle, probes } = setup();
    const now = Date.now();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now);
    lifecycle.markDraining();
    spy.mockReturnValue(now + 1500);
    expect(body(probes.liveness())).toMatchObject({ error: 'shutdown_overrun' });
    spy.mockRestore();
  });
});
