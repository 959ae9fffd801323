// Severity and labels on alerts, depends_on holding a child's alert, and maintenance windows (a target's
// own cron window, and a one-off window by API), against the in-process service with a real
// nats-server and Postgres; the alerts are read where alerting reads them, on alerts.v1.fired/resolved.
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

import {
  ALERTS_WILDCARD,
  HEALTH_STATUS_SUBJECT,
  HEALTH_SUMMARY_SUBJECT,
  alertEventV1Schema,
  healthStatusChangedV1Schema,
  healthSummaryReplyV1Schema,
  type AlertEventV1,
  type HealthStatusChangedV1,
} from '@vigil/contracts';
import { hashApiKey } from '@vigil/platform';
import { startNatsServer, waitFor, type NatsServerHandle } from '@vigil/testing';

import { ALERT_RECHECK_MS } from '../src/scheduling/suppressed-alert-recheck';
import { startHealthInProcess } from './health-harness';

const KEYS = { writer: 'test-health-monitors-writer-0123456789', reader: 'test-health-reader-0123456789' };
const API_KEYS = JSON.stringify([
  { name: 'ops', hash: hashApiKey(KEYS.writer, { N: 1024 }), scopes: ['monitors:write'] },
  { name: 'reader', hash: hashApiKey(KEYS.reader, { N: 1024 }), scopes: [] },
]);

interface ReceivedAlert {
  subject: 'fired' | 'resolved';
  event: AlertEventV1;
  receivedAt: number;
}

const rule = (name: string, extra: string) => `  - name: ${name}
    url: http://127.0.0.1:PORT/${name}
    interval_s: 1
    timeout_ms: 800
    failure_threshold: 1
${extra}`;

describe('alert rules: severity, labels, depends_on and maintenance (real NATS and Postgres)', () => {
  let nats: NatsServerHandle;
  let server: http.Server;
  const statusOf: Record<string, number> = { quiet: 500 };
  let app: INestApplication;
  let client: NatsConnection;
  let subscriptions: Subscription[];
  let db: Client;
  let dir: string;
  let base: string;
  const alerts: ReceivedAlert[] = [];
  const changes: HealthStatusChangedV1[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-alert-rules-'));
    nats = await startNatsServer();
    server = http.createServer((req, res) => {
      res.writeHead(statusOf[(req.url ?? '/').slice(1)] ?? 200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const targetPort = (server.address() as AddressInfo).port;
    const file = path.join(dir, 'targets.yaml');
    const yaml = `targets:
${rule('db', '')}${rule('api', '    depends_on: [db]\n    severity: high\n    labels: {team: payments}\n')}${rule(
      'shop',
      '    severity: low\n    labels: {team: storefront, tier: "3"}\n',
    )}${rule('quiet', '    maintenance:\n      - cron: "* * * * *"\n        duration: 1m\n')}`;
    fs.writeFileSync(file, yaml.replaceAll('PORT', String(targetPort)));

    client = await connect({ servers: nats.url });
    subscriptions = [
      client.subscribe(ALERTS_WILDCARD, {
        callback: (error, msg) => {
          if (error) return;
          alerts.push({
            subject: msg.subject.endsWith('resolved') ? 'resolved' : 'fired',
            event: alertEventV1Schema.parse(msg.json()),
            receivedAt: Date.now(),
          });
        },
      }),
      client.subscribe(HEALTH_STATUS_SUBJECT, {
        callback: (error, msg) => {
          if (!error) changes.push(healthStatusChangedV1Schema.parse(msg.json()));
        },
      }),
    ];
    await client.flush();
    const health = await startHealthInProcess(file, nats.url, { API_KEYS });
    ({ app, base } = health);
    db = new Client({ connectionString: health.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    for (const subscription of subscriptions ?? []) await subscription.drain();
    await client?.close();
    await app?.close();
    await db?.end();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await nats?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const alertsOf = (name: string) => alerts.filter((a) => a.event.labels.service === name);
  /** Waits until `find` finds something, and returns it. */
  const found = async <T>(find: () => T | undefined, description: string): Promise<T> => {
    let value: T | undefined;
    await waitFor(() => (value = find()) !== undefined, { timeoutMs: 15_000, description });
    return value as T;
  };
  const waitForAlert = (name: string, subject: 'fired' | 'resolved', after = 0) =>
    found(
      () =>
        alertsOf(name)
          .slice(after)
          .find((a) => a.subject === subject),
      `${name} ${subject}`,
    );
  const statusOfTarget = async (name: string) => {
    const body = (await (await fetch(`${base}/api/status`)).json()) as {
      targets: { name: string; status: string }[];
    };
    return body.targets.find((t) => t.name === name)?.status;
  };
  const waitForStatus = (name: string, status: string) =>
    waitFor(async () => (await statusOfTarget(name)) === status, {
      timeoutMs: 15_000,
      description: `${name} ${status}`,
    });
  const changeOf = (name: string, to: string, after = 0) =>
    found(
      () =>
        changes
          .filter((c) => c.target === name)
          .slice(after)
          .find((c) => c.to === to),
      `${name} -> ${to} published`,
    );
  const api = (route: string, key: string, init: RequestInit = {}) =>
    fetch(`${base}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });

  it('fires with the target severity, kind and labels, and resolves with the same labels and startsAt', async () => {
    await waitForStatus('shop', 'up');
    statusOf.shop = 500;
    const fired = await waitForAlert('shop', 'fired');
    expect(fired.event.labels).toEqual({
      alertname: 'ServiceDown',
      severity: 'low',
      service: 'shop',
      target: 'shop',
      kind: 'http',
      team: 'storefront',
      tier: '3',
    });
    statusOf.shop = 200;
    const resolved = await waitForAlert('shop', 'resolved');
    expect(resolved.event.labels).toEqual(fired.event.labels);
    expect(resolved.event.startsAt).toBe(fired.event.startsAt);
    expect(Date.parse(resolved.event.endsAt ?? '')).toBeGreaterThan(Date.parse(fired.event.startsAt));
  });

  it('holds the alert of a target whose dependency is down and fires it once the parent recovers', async () => {
    await Promise.all([waitForStatus('db', 'up'), waitForStatus('api', 'up')]);
    const apiChanges = changes.filter((c) => c.target === 'api').length;
    statusOf.db = 500;
    await waitForAlert('db', 'fired');
    statusOf.api = 500;
    const down = await changeOf('api', 'down', apiChanges);
    expect(down.reason).toBe(
      '1 consecutive failed check: expected status 200, got 500; alert held: depends on "db", which is down',
    );
    // db's alert went out on the same path; api's is held through several checks and rechecks.
    await new Promise((resolve) => setTimeout(resolve, 2 * ALERT_RECHECK_MS + 500));
    expect(alertsOf('api')).toEqual([]);

    const since = Date.now();
    statusOf.db = 200;
    await waitForAlert('db', 'resolved');
    const fired = await waitForAlert('api', 'fired');
    expect(fired.receivedAt).toBeGreaterThanOrEqual(since);
    expect(fired.event.labels).toEqual({
      alertname: 'ServiceDown',
      severity: 'high',
      service: 'api',
      target: 'api',
      kind: 'http',
      team: 'payments',
    });
    expect(fired.event.startsAt).toBe(down.at);
    statusOf.api = 200;
    const resolved = await waitForAlert('api', 'resolved');
    expect(resolved.event).toMatchObject({ labels: fired.event.labels, startsAt: down.at });
  });

  it('sends no resolve for a child that recovered before its held alert fired', async () => {
    await Promise.all([waitForStatus('db', 'up'), waitForStatus('api', 'up')]);
    const before = { api: alertsOf('api').length, db: alertsOf('db').length };
    const apiChanges = changes.filter((c) => c.target === 'api').length;
    statusOf.db = 500;
    await waitForAlert('db', 'fired', before.db);
    statusOf.api = 500;
    await changeOf('api', 'down', apiChanges);
    statusOf.api = 200;
    await changeOf('api', 'up', apiChanges);
    statusOf.db = 200;
    // db's resolve comes after api recovered and after a recheck: api's would have come by then.
    const resolved = await waitForAlert('db', 'resolved', before.db);
    await new Promise((resolve) => setTimeout(resolve, ALERT_RECHECK_MS + 500));
    expect(resolved.receivedAt).toBeGreaterThan(0);
    expect(alertsOf('api').slice(before.api)).toEqual([]);
  });

  it('keeps a target inside its own cron window from alerting, and its results out of uptime', async () => {
    await waitForStatus('quiet', 'down');
    const down = await changeOf('quiet', 'down');
    expect(down.reason).toMatch(/alert held: maintenance window cron "\* \* \* \* \*" UTC for 1m$/);
    // Other targets' alerts went out meanwhile; quiet has been failing since boot.
    expect(alerts.length).toBeGreaterThan(0);
    expect(alertsOf('quiet')).toEqual([]);
    const { rows } = await db.query<{ in_maintenance: boolean; n: string }>(
      `SELECT in_maintenance, count(*) AS n FROM check_results WHERE target = 'quiet' GROUP BY in_maintenance`,
    );
    expect(rows).toEqual([{ in_maintenance: true, n: expect.any(String) }]);
    const request = {
      from: new Date(Date.now() - 600_000).toISOString(),
      to: new Date(Date.now() + 1000).toISOString(),
    };
    const reply = healthSummaryReplyV1Schema.parse(
      (await client.request(HEALTH_SUMMARY_SUBJECT, JSON.stringify(request), { timeout: 5000 })).json(),
    );
    expect(reply.targets.find((t) => t.name === 'quiet')).toMatchObject({ checks: 0, uptime_pct: null });
    expect(reply.targets.find((t) => t.name === 'shop')?.checks).toBeGreaterThan(0);
  });

  it('creates, lists and deletes one-off windows by API, with scope monitors:write for writes', async () => {
    const window = {
      start: new Date().toISOString(),
      end: new Date(Date.now() + 60_000).toISOString(),
      reason: 'database upgrade',
    };
    const denied = await api('/api/maintenance', KEYS.reader, {
      method: 'POST',
      body: JSON.stringify(window),
    });
    expect(denied.status).toBe(403);
    const anonymous = await fetch(`${base}/api/maintenance`);
    expect(anonymous.status).toBe(401);

    const bad = await api('/api/maintenance', KEYS.writer, {
      method: 'POST',
      body: JSON.stringify({ ...window, end: window.start }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: expect.any(String),
      message: 'end: must be after start',
    });
    const unknown = await api('/api/maintenance', KEYS.writer, {
      method: 'POST',
      body: JSON.stringify({ ...window, targets: ['nope'] }),
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      message: 'targets: unknown target names',
      details: { unknown: ['nope'] },
    });

    const created = await api('/api/maintenance', KEYS.writer, {
      method: 'POST',
      body: JSON.stringify({ ...window, targets: ['db'] }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string };
    expect(body).toMatchObject({ targets: ['db'], reason: 'database upgrade', created_by: 'ops' });
    const listed = (await (await api('/api/maintenance', KEYS.reader)).json()) as {
      windows: { id: string }[];
    };
    expect(listed.windows.map((w) => w.id)).toEqual([body.id]);

    expect((await api(`/api/maintenance/${body.id}`, KEYS.reader, { method: 'DELETE' })).status).toBe(403);
    expect((await api(`/api/maintenance/${body.id}`, KEYS.writer, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/maintenance/${body.id}`, KEYS.writer, { method: 'DELETE' })).status).toBe(404);
    const after = (await (await api('/api/maintenance', KEYS.reader)).json()) as { windows: unknown[] };
    expect(after.windows).toEqual([]);
  });

  it('holds the alert of a target down in an API window and fires it when the window ends', async () => {
    await waitForStatus('shop', 'up');
    const before = alertsOf('shop').length;
    const shopChanges = changes.filter((c) => c.target === 'shop').length;
    const end = new Date(Date.now() + 6000);
    const created = await api('/api/maintenance', KEYS.writer, {
      method: 'POST',
      body: JSON.stringify({
        start: new Date().toISOString(),
        end: end.toISOString(),
        targets: ['shop'],
        reason: 'deploy',
      }),
    });
    expect(created.status).toBe(201);
    statusOf.shop = 500;
    const down = await changeOf('shop', 'down', shopChanges);
    expect(down.reason).toMatch(/alert held: maintenance window [0-9a-f-]{36} \(deploy\)$/);
    const fired = await waitForAlert('shop', 'fired', before);
    expect(fired.receivedAt).toBeGreaterThanOrEqual(end.getTime());
    expect(fired.event.startsAt).toBe(down.at);
    statusOf.shop = 200;
    await waitForAlert('shop', 'resolved', before);
  });
});
