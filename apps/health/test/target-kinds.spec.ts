// Every check kind against a real local server (TCP listener, Postgres, nats-server), thresholds and
// recovery, and the ServiceDown alert: fired once on DOWN, resolved once on recovery, never for a
// target that flaps inside its threshold.
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { ALERT_FIRED_SUBJECT, ALERT_RESOLVED_SUBJECT } from '@vigil/contracts';
import { startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, waitFor, type NatsServerHandle } from '@vigil/testing';

import { healthService } from '../src/service';
import { recordAlerts, type RecordedAlert } from './health-harness';

interface StatusBody {
  targets: { name: string; status: 'up' | 'down' | 'unknown'; last_error: string | null }[];
}

/** A TCP listener that can be closed and reopened on the same port. */
async function startTcpListener() {
  const port = await freePort();
  let server: net.Server | null = null;
  const open = async () => {
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  };
  const close = async () => {
    const current = server;
    server = null;
    if (current) await new Promise((resolve) => current.close(resolve));
  };
  await open();
  return { port, open, close };
}

/** An HTTP target answering the statuses of `script` in turn, then `steady` forever. */
async function startScriptedServer() {
  const control = { script: [] as number[], steady: 200 };
  const server = http.createServer((req, res) => {
    const status = control.script.shift() ?? control.steady;
    res.writeHead(status).end(status === 200 ? 'ok' : 'failing');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { control, port, stop };
}

describe('target kinds and ServiceDown alerts (real TCP, Postgres, NATS and HTTP servers)', () => {
  let nats: NatsServerHandle;
  let tcp: Awaited<ReturnType<typeof startTcpListener>>;
  let web: Awaited<ReturnType<typeof startScriptedServer>>;
  let app: INestApplication;
  let client: NatsConnection;
  let subscription: Subscription;
  let dir: string;
  let base: string;
  const alerts: RecordedAlert[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-health-kinds-'));
    nats = await startNatsServer();
    tcp = await startTcpListener();
    web = await startScriptedServer();
    // The flapping target: fail, pass, fail, pass... never two failures in a row.
    web.control.script = [500, 200, 500, 200, 500, 200, 500, 200];
    client = await connect({ servers: nats.url });
    subscription = recordAlerts(client, alerts);
    await client.flush();

    const databaseUrl = await testDatabaseUrl();
    const deadPort = await freePort();
    const file = path.join(dir, 'targets.yaml');
    fs.writeFileSync(
      file,
      `targets:
  - name: cache
    type: tcp
    host: 127.0.0.1
    port: ${tcp.port}
    interval_s: 1
    timeout_ms: 500
  - name: db
    type: postgres
    url: ${databaseUrl}
    interval_s: 1
    timeout_ms: 2000
  - name: db-gone
    type: postgres
    url: postgres://probe:pw@127.0.0.1:${deadPort}/none
    interval_s: 1
    timeout_ms: 1000
  - name: bus
    type: nats
    url: ${nats.url}
    interval_s: 1
    timeout_ms: 1000
  - name: bus-gone
    type: nats
    url: nats://127.0.0.1:${deadPort}
    interval_s: 1
    timeout_ms: 1000
  - name: web
    url: http://127.0.0.1:${web.port}/
    interval_s: 1
    timeout_ms: 800
`,
    );
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startService(
      healthService,
      {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: await testDatabaseUrl(),
        TARGETS_FILE: file,
        LOG_LEVEL: 'silent',
        HEALTH_CHECK_INTERVAL_MS: '200',
      },
      { logger: false },
    );
  });

  afterAll(async () => {
    await subscription?.drain();
    await client?.close();
    await app?.close();
    await web?.stop();
    await tcp?.close();
    await nats?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const statuses = async () => {
    const body = (await (await fetch(`${base}/api/status`)).json()) as StatusBody;
    return Object.fromEntries(body.targets.map((t) => [t.name, t]));
  };
  const statusOf = async (name: string) => (await statuses())[name];
  const serviceDown = (target: string, subject: string) =>
    alerts.filter((a) => a.subject === subject && a.event.labels.service === target);

  it('checks tcp, postgres and nats targets: up when they answer, down when nothing listens', async () => {
    await waitFor(
      async () => {
        const s = await statuses();
        return (
          s.cache?.status === 'up' &&
          s.db?.status === 'up' &&
          s.bus?.status === 'up' &&
          s['db-gone']?.status === 'down' &&
          s['bus-gone']?.status === 'down'
        );
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'every target settled' },
    );
    expect((await statusOf('db-gone')).last_error).toContain('ECONNREFUSED');
    expect((await statusOf('bus-gone')).last_error).toEqual(expect.any(String));
    // The gauges hold the latest check, which a loaded machine may have failed while the state stays up
    // (failure_threshold): wait for a scrape where every answering target's latest check passed.
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return ['db', 'bus', 'cache'].every((t) => text.includes(`probe_success{target="${t}"} 1`))
          ? text
          : null;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'a scrape with db, bus and cache passing' },
    );
    expect(metrics).toContain('probe_success{target="db"} 1');
    expect(metrics).toContain('probe_success{target="bus-gone"} 0');
    expect(metrics).toMatch(/probe_http_status_code\{target="web"\} (200|500)/);
    expect(metrics).toMatch(/probe_http_duration_seconds\{target="web",phase="processing"\} \d/);
  });

  it('fires ServiceDown (critical) once for a target that goes down from the start', async () => {
    await waitFor(() => serviceDown('db-gone', ALERT_FIRED_SUBJECT).length > 0, {
      timeoutMs: 10_000,
      description: 'ServiceDown for db-gone',
    });
    expect(serviceDown('db-gone', ALERT_FIRED_SUBJECT)[0].event).toMatchObject({
      labels: { alertname: 'ServiceDown', severity: 'critical', service: 'db-gone' },
      annotations: { summary: 'db-gone is down' },
    });
  });

  it('raises nothing for a target flapping inside its threshold', async () => {
    await waitFor(() => web.control.script.length === 0, {
      timeoutMs: 20_000,
      description: 'the flapping script played out',
    });
    expect((await statusOf('web')).status).toBe('up');
    expect(alerts.filter((a) => a.event.labels.service === 'web')).toEqual([]);
  });

  it('turns a closed TCP port down after two failures, fires once, and resolves once on recovery', async () => {
    await tcp.close();
    await waitFor(async () => (await statusOf('cache')).status === 'down', {
      timeoutMs: 10_000,
      description: 'cache down',
    });
    await waitFor(() => serviceDown('cache', ALERT_FIRED_SUBJECT).length > 0, {
      timeoutMs: 5_000,
      description: 'ServiceDown for cache',
    });
    await tcp.open();
    await waitFor(async () => (await statusOf('cache')).status === 'up', {
      timeoutMs: 10_000,
      description: 'cache up again',
    });
    await waitFor(() => serviceDown('cache', ALERT_RESOLVED_SUBJECT).length > 0, {
      timeoutMs: 5_000,
      description: 'ServiceDown resolved for cache',
    });
    const [fired] = serviceDown('cache', ALERT_FIRED_SUBJECT);
    const [resolved] = serviceDown('cache', ALERT_RESOLVED_SUBJECT);
    expect(serviceDown('cache', ALERT_FIRED_SUBJECT)).toHaveLength(1);
    expect(serviceDown('cache', ALERT_RESOLVED_SUBJECT)).toHaveLength(1);
    expect(resolved.event.labels).toEqual(fired.event.labels);
    expect(resolved.event.startsAt).toBe(fired.event.startsAt);
    expect(Date.parse(resolved.event.endsAt ?? '')).toBeGreaterThan(Date.parse(fired.event.startsAt));
  });
});
