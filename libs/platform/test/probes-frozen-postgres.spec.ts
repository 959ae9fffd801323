// A hung dependency must not hang the probes: Postgres is frozen with SIGSTOP (the postmaster and
// every backend, so pooled connections hang too) and readiness keeps answering at once from the
// cached check results, turning 503 once the background check times out. Uses its own Postgres,
// not the one the other suites of this run share.
import fs from 'node:fs';
import path from 'node:path';

import type { INestApplication } from '@nestjs/common';

import { freePort, startPostgres, waitFor, type PostgresHandle } from '@vigil/testing';

import { hashApiKey, LifecycleState } from '../src';
import { startTestService, testService, type TestServiceHandle } from './test-service';

const definition = testService('audit');

/** The postmaster (first line of postmaster.pid) and every process it forked (backends, workers). */
function postgresPids(dataDir: string): number[] {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(path.join('/proc', pid, 'stat'), 'utf8');
        // Fields after the command name "(...)": state, ppid, ...
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

interface Probe {
  status: number;
  elapsedMs: number;
  body: { error?: string; message?: string };
}

async function probe(url: string): Promise<Probe> {
  const started = performance.now();
  // The abort is the acceptance bound itself: a probe slower than 1 s fails the test.
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  const body = (await res.json()) as Probe['body'];
  return { status: res.status, elapsedMs: performance.now() - started, body };
}

describe('probes while Postgres is frozen (SIGSTOP)', () => {
  let service: TestServiceHandle;
  let pg: PostgresHandle;
  let app: INestApplication;
  let base: string;
  let management: string;
  let frozen: number[] = [];

  const thaw = () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    frozen = [];
  };

  beforeAll(async () => {
    pg = await startPostgres();
    const managementPort = await freePort();
    management = `http://127.0.0.1:${managementPort}`;
    service = await startTestService(definition, {
      MANAGEMENT_PORT: String(managementPort),
      DATABASE_URL: await pg.createDatabase(),
      HEALTH_CHECK_TIMEOUT_MS: '300',
      API_KEYS: JSON.stringify([
        {
          name: 'ops',
          hash: hashApiKey('detailed-key-0123456789', { N: 1024 }),
          scopes: ['health:detailed'],
        },
      ]),
    });
    ({ app, base } = service);
  });

  afterAll(async () => {
    thaw();
    await service?.stop();
    await pg?.stop();
  });

  it('keeps answering readiness at once, 503 naming postgres after the check times out, and recovers', async () => {
    await waitFor(async () => (await probe(`${base}/health/readiness`)).status === 200, {
      timeoutMs: 15_000,
      description: 'readiness 200 before the freeze',
    });

    frozen = postgresPids(pg.dataDir);
    expect(frozen.length).toBeGreaterThan(1);
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');

    const answers: Probe[] = [];
    const down = await waitFor(
      async () => {
        const answer = await probe(`${base}/health/readiness`);
        answers.push(answer);
        return answer.status === 503 ? answer : null;
      },
      { timeoutMs: 10_000, intervalMs: 50, description: 'readiness 503 while Postgres is frozen' },
    );
    expect(down?.body).toMatchObject({
      error: 'dependency_down',
      message: expect.stringContaining('postgres down (postgres check timed out after 300 ms)'),
    });
    expect(down?.body.message).not.toContain('nats');
    // Every probe during the freeze answered (within the 1 s abort above); liveness stays 200.
    expect(answers.every((a) => a.elapsedMs < 1000)).toBe(true);
    expect((await probe(`${base}/health/liveness`)).status).toBe(200);
    expect((await probe(`${base}/health/startup`)).status).toBe(200);
    // The management port (a worker thread) says the same, as fast.
    await waitFor(async () => (await probe(`${management}/health/readiness`)).status === 503, {
      timeoutMs: 5000,
      intervalMs: 50,
      description: 'management readiness 503',
    });
    expect((await probe(`${management}/health/liveness`)).status).toBe(200);
    // It stays 503 for as long as Postgres hangs: the hung check is not stacked, nor forgotten.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await probe(`${base}/health/readiness`)).status).toBe(503);

    thaw();
    await waitFor(async () => (await probe(`${base}/health/readiness`)).status === 200, {
      timeoutMs: 15_000,
      description: 'readiness 200 after SIGCONT',
    });
    await waitFor(async () => (await probe(`${management}/health/readiness`)).status === 200, {
      timeoutMs: 5000,
      description: 'management readiness 200 after SIGCONT',
    });
  });

  it('details every component (status, response time, last check) behind the API key', async () => {
    expect((await fetch(`${base}/health/detailed`)).status).toBe(401);
    expect(
      (await fetch(`${base}/health/detailed`, { headers: { authorization: 'Bearer wrong-key-0123456789' } }))
        .status,
    ).toBe(401);
    const res = await fetch(`${base}/health/detailed`, {
      headers: { authorization: 'Bearer detailed-key-0123456789' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { components: Record<string, unknown>[] };
    const postgres = body.components.find((c) => c.name === 'postgres');
    expect(postgres).toMatchObject({
      status: 'up',
      critical: true,
      response_time_ms: expect.any(Number),
      checked_at: expect.any(String),
    });
    expect(body.components.map((c) => c.name).sort()).toEqual(['nats', 'postgres']);
  });

  it('turns readiness 503 at once when draining starts', async () => {
    expect((await probe(`${base}/health/readiness`)).status).toBe(200);
    app.get(LifecycleState).markDraining();
    const answer = await probe(`${base}/health/readiness`);
    expect(answer).toMatchObject({ status: 503, body: { error: 'draining' } });
    expect(await probe(`${management}/health/readiness`)).toMatchObject({
      status: 503,
      body: { error: 'draining' },
    });
    expect((await probe(`${base}/health/liveness`)).status).toBe(200);
  });
});
