import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { register } from 'prom-client';

import {
  HEALTH_STATUS_SUBJECT,
  HEALTH_SUMMARY_SUBJECT,
  healthStatusChangedV1Schema,
  healthSummaryReplyV1Schema,
  type HealthStatusChangedV1,
} from '@vigil/contracts';
import { ConfigError, startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, waitFor, type NatsServerHandle } from '@vigil/testing';

import { healthService } from '../src/service';

interface StatusBody {
  targets: {
    name: string;
    url: string;
    status: 'up' | 'down' | 'unknown';
    since: string;
    last_checked_at: string | null;
    response_time_ms: number | null;
    last_error: string | null;
  }[];
}

/** A target service we control: GET /healthz answers `status`; /private wants Basic auth. */
async function startTargetServer() {
  const control = { status: 200 };
  const server = http.createServer((req, res) => {
    if (req.url === '/private') {
      const ok = req.headers.authorization === `Basic ${Buffer.from('probe:hunter22').toString('base64')}`;
      res.writeHead(ok ? 200 : 401).end();
      return;
    }
    res
      .writeHead(control.status, { 'content-type': 'text/plain' })
      .end(control.status === 200 ? 'ok' : 'broken');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { control, port, stop };
}

function writeTargetsFile(dir: string, yaml: string): string {
  const file = path.join(dir, `targets-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, yaml);
  return file;
}

describe('health checks (real HTTP target, NATS JetStream and Postgres)', () => {
  let nats: NatsServerHandle;
  let target: Awaited<ReturnType<typeof startTargetServer>>;
  let app: INestApplication;
  let client: NatsConnection;
  let subscription: Subscription;
  let dir: string;
  let base: string;
  let env: Record<string, string>;
  const changes: HealthStatusChangedV1[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-health-'));
    nats = await startNatsServer();
    target = await startTargetServer();
    client = await connect({ servers: nats.url });
    subscription = client.subscribe(HEALTH_STATUS_SUBJECT, {
      callback: (error, msg) => {
        if (!error) changes.push(healthStatusChangedV1Schema.parse(msg.json()));
      },
    });
    await client.flush();

    const targetsFile = writeTargetsFile(
      dir,
      `targets:
  - name: web
    url: http://127.0.0.1:${target.port}/healthz
    interval_s: 1
    timeout_ms: 800
    keyword: ok
  - name: private
    url: http://probe:hunter22@127.0.0.1:${target.port}/private
    interval_s: 1
    timeout_ms: 800
`,
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: await testDatabaseUrl(),
      TARGETS_FILE: targetsFile,
      LOG_LEVEL: 'warn',
      HEALTH_CHECK_INTERVAL_MS: '200',
    };
    app = await startService(healthService, env, { logger: false });
  });

  afterAll(async () => {
    await subscription?.drain();
    await client?.close();
    await app?.close();
    await target?.stop();
    await nats?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const status = async () => (await (await fetch(`${base}/api/status`)).json()) as StatusBody;
  const web = async () => (await status()).targets.find((t) => t.name === 'web');
  const changeOf = async (from: string, to: string): Promise<HealthStatusChangedV1> => {
    const found = () => changes.find((c) => c.target === 'web' && c.from === from && c.to === to);
    await waitFor(() => found() !== undefined, {
      timeoutMs: 10_000,
      description: `web ${from} -> ${to} published`,
    });
    return found()!;
  };

  it('shows a healthy target as up, with its response time', async () => {
    const up = await waitFor(async () => ((await web())?.status === 'up' ? web() : null), {
      timeoutMs: 10_000,
      description: 'web up',
    });
    expect(up).toMatchObject({ url: `http://127.0.0.1:${target.port}/healthz`, last_error: null });
    expect(up?.response_time_ms).toEqual(expect.any(Number));
    expect(Date.parse(up?.last_checked_at ?? '')).not.toBeNaN();
    await changeOf('unknown', 'up');
  });

  it('sends URL credentials as Basic auth and never shows them', async () => {
    await waitFor(async () => (await status()).targets.find((t) => t.name === 'private')?.status === 'up', {
      timeoutMs: 10_000,
      description: 'private up',
    });
    const body = JSON.stringify(await status());
    expect(body).not.toContain('hunter22');
    expect(body).toContain(`http://probe:[REDACTED]@127.0.0.1:${target.port}/private`);
  });

  it('exports probe_success and probe_duration_seconds per target', async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('probe_success{target="web"} 1');
    expect(metrics).toMatch(/probe_duration_seconds\{target="web"\} \d/);
  });

  it('turns a failing target down after two failures and publishes health.v1.status up -> down', async () => {
    target.control.status = 500;
    const change = await changeOf('up', 'down');
    expect(change.reason).toBe('2 consecutive failed checks: expected status 200, got 500');
    expect(Date.parse(change.at)).not.toBeNaN();

    const down = await web();
    expect(down).toMatchObject({
      status: 'down',
      since: change.at,
      last_error: 'expected status 200, got 500',
    });
  });

  it('recovers on the next success and publishes down -> up', async () => {
    target.control.status = 200;
    const change = await changeOf('down', 'up');
    expect(change.reason).toBe('1 consecutive successful check');
    expect(await web()).toMatchObject({ status: 'up', since: change.at, last_error: null });
    expect(changes.filter((c) => c.target === 'web').map((c) => `${c.from}->${c.to}`)).toEqual([
      'unknown->up',
      'up->down',
      'down->up',
    ]);
  });

  it('answers health.v1.summary with the uptime over the window from the stored checks', async () => {
    const request = {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 1000).toISOString(),
    };
    const msg = await client.request(HEALTH_SUMMARY_SUBJECT, JSON.stringify(request), { timeout: 5000 });
    const reply = healthSummaryReplyV1Schema.parse(msg.json());
    const webSummary = reply.targets.find((t) => t.name === 'web');
    expect(webSummary?.status).toBe('up');
    expect(webSummary?.checks).toBeGreaterThanOrEqual(4);
    expect(webSummary?.uptime_pct).toBeGreaterThan(0);
    expect(webSummary?.uptime_pct).toBeLessThan(100);
    expect(webSummary?.p50_ms).toEqual(expect.any(Number));
    expect(webSummary?.p95_ms).toBeGreaterThanOrEqual(webSummary?.p50_ms ?? 0);
    const webIncidents = (reply.incidents ?? []).filter((i) => i.target === 'web');
    expect(webIncidents).toHaveLength(1);
    expect(webIncidents[0].ended_at).not.toBeNull();
    expect(webIncidents[0].duration_s).toBeGreaterThanOrEqual(0);

    const empty = { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' };
    const none = healthSummaryReplyV1Schema.parse(
      (await client.request(HEALTH_SUMMARY_SUBJECT, JSON.stringify(empty))).json(),
    );
    expect(none.targets).toEqual([
      { name: 'web', status: 'up', uptime_pct: null, checks: 0, p50_ms: null, p95_ms: null, kind: 'http' },
      {
        name: 'private',
        status: 'up',
        uptime_pct: null,
        checks: 0,
        p50_ms: null,
        p95_ms: null,
        kind: 'http',
      },
    ]);
    expect(none.incidents).toEqual([]);
    expect(none.late_or_failed_jobs).toEqual([]);
  });

  it('keeps target states across a restart (restored from target_states)', async () => {
    const before = await web();
    await app.close();
    // One process, one prom-client registry: the second app would re-register the default metrics.
    register.clear();
    app = await startService(healthService, env, { logger: false });
    const after = await web();
    expect(after).toMatchObject({ status: 'up', since: before?.since });
    expect(changes.filter((c) => c.target === 'web')).toHaveLength(3);
  });

  it('refuses to start on a bad targets file, naming the target and the field', async () => {
    const file = writeTargetsFile(
      dir,
      'targets:\n  - name: web\n    url: http://127.0.0.1:1/\n  - name: api\n    url: not-a-url\n',
    );
    const bad = {
      NATS_URL: nats.url,
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      TARGETS_FILE: file,
    };
    const failure = startService(healthService, bad, { logger: false });
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(
      `invalid configuration: TARGETS_FILE: ${file}: targets[1] (name "api"): url: must be an http(s) URL`,
    );

    const duplicate = writeTargetsFile(
      dir,
      'targets:\n  - name: web\n    url: http://a.test/\n  - name: web\n    url: http://b.test/\n',
    );
    await expect(
      startService(healthService, { ...bad, TARGETS_FILE: duplicate }, { logger: false }),
    ).rejects.toThrow('targets[1] (name "web"): name: duplicates targets[0]');
    await expect(
      startService(healthService, { ...bad, TARGETS_FILE: undefined }, { logger: false }),
    ).rejects.toThrow('invalid configuration: TARGETS_FILE: is required');
  });
});
