import { spawnSync } from 'node:child_process';

import { freePort, waitFor } from '@vigil/testing';

import { ManagementListener } from './management-listener';

const answer = (status: 200 | 503, body: object) => ({ status, body: JSON.stringify(body) });

/** A probe sent from another process, synchronously: it works while this thread is blocked. */
function probeBlocking(url: string): { status: number; body: { error?: string } } {
  const script = `fetch(${JSON.stringify(url)}).then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, body: await r.json() })))`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(result.stdout) as { status: number; body: { error?: string } };
}

describe('ManagementListener (a worker thread serving the probes)', () => {
  let listener: ManagementListener;
  let base: string;

  beforeEach(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    listener = new ManagementListener({
      port,
      host: '127.0.0.1',
      // 1 s, not the 200 ms a service might use: a loaded 2-core CI machine stalls a jest worker for a few hundred ms,
      // which would fail "liveness 200 from the start" for the wrong reason.
      eventLoopBlockMs: 1000,
      shutdownGraceMs: 1000,
    });
    await listener.start();
  });

  afterEach(() => listener.stop());

  it('answers startup and readiness 503 until the app feeds it, liveness 200 from the start', async () => {
    expect((await fetch(`${base}/health/startup`)).status).toBe(503);
    expect((await fetch(`${base}/health/readiness`)).status).toBe(503);
    expect((await fetch(`${base}/health/liveness`)).status).toBe(200);
    listener.follow(() => ({
      readiness: answer(200, { status: 'ok' }),
      startup: answer(200, { status: 'ok' }),
    }));
    // The worker gets the answers by message: the next probe may still race it.
    await waitFor(async () => (await fetch(`${base}/health/readiness`)).status === 200, {
      timeoutMs: 5000,
      intervalMs: 20,
      description: 'readiness 200 on the management port',
    });
    expect((await fetch(`${base}/health/startup`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it('turns readiness 503 the moment draining starts, without a message round trip', () => {
    listener.follow(() => ({
      readiness: answer(200, { status: 'ok' }),
      startup: answer(200, { status: 'ok' }),
    }));
    listener.markDraining();
    // This thread stays blocked in spawnSync: only shared memory can have told the worker.
    expect(probeBlocking(`${base}/health/readiness`)).toEqual({
      status: 503,
      body: expect.objectContaining({ error: 'draining' }),
    });
  });

  it('fails liveness while the main thread is blocked, and passes again once it runs', async () => {
    const until = Date.now() + 2000;
    while (Date.now() < until) {
      // Block this thread: no heartbeat for 2 s, twice the limit.
    }
    expect(probeBlocking(`${base}/health/liveness`)).toEqual({
      status: 503,
      body: expect.objectContaining({ error: 'event_loop_blocked' }),
    });
    await waitFor(async () => (await fetch(`${base}/health/liveness`)).status === 200, {
      timeoutMs: 5000,
      intervalMs: 50,
      description: 'liveness 200 again',
    });
  });

  it('refuses to start on a port that is taken, naming it', async () => {
    const second = new ManagementListener({
      port: listener.port,
      host: '127.0.0.1',
      eventLoopBlockMs: 200,
      shutdownGraceMs: 1000,
    });
    await expect(second.start()).rejects.toThrow(`management listener on port ${listener.port}: `);
    await second.stop();
  });
});
