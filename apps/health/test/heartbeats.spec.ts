// Heartbeat monitors end to end on a real Postgres and nats-server: the API (create, list, get, delete),
// the file's monitors and their tokens, and the evaluator turning pings and missed deadlines into states,
// incidents and alerts. Pings are inserted into heartbeat_pings as the ping routes commit them.
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';

import { ALERT_FIRED_SUBJECT, ALERT_RESOLVED_SUBJECT } from '@vigil/contracts';
import { hashApiKey } from '@vigil/platform';
import { startNatsServer, testDatabaseUrl, waitFor, type NatsServerHandle } from '@vigil/testing';

import type { CheckResult } from '../src/checks/check-result';
import { HeartbeatMonitorRepository } from '../src/heartbeats/monitors/heartbeat-monitor.repository';
import {
  HeartbeatMonitors,
  type HeartbeatMonitorView,
} from '../src/heartbeats/monitors/heartbeat-monitors.service';
import { TargetStateService } from '../src/state/target-state.service';
import { TargetCatalog } from '../src/targets/target-catalog';
import { type RecordedAlert, recordAlerts, startHealthInProcess } from './health-harness';

const WRITER_KEY = 'heartbeat-writer-key-0123456789abcdef';
const READER_KEY = 'heartbeat-reader-key-0123456789abcdef';
const NIGHTLY_TOKEN = 'nightly-token-from-env-0123456789';
const PUBLIC_URL = 'https://health.example.test';

describe('heartbeat monitors (API, evaluation, alerts; real Postgres and NATS)', () => {
  let nats: NatsServerHandle;
  let app: INestApplication;
  let client: NatsConnection;
  let subscription: Subscription;
  let database: DataSource;
  let dir: string;
  let base: string;
  const alerts: RecordedAlert[] = [];
  const recorded: CheckResult[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-heartbeats-'));
    nats = await startNatsServer();
    client = await connect({ servers: nats.url });
    subscription = recordAlerts(client, alerts);
    await client.flush();
    const file = path.join(dir, 'targets.yaml');
    fs.writeFileSync(
      file,
      `targets:
  - type: heartbeat
    name: nightly
    cron: "0 2 * * *"
    timezone: Europe/Berlin
    grace: 1h
    token_env: NIGHTLY_TOKEN
  - type: heartbeat
    name: weekly
    period: 7d
`,
    );
    ({ app, base } = await startHealthInProcess(file, nats.url, {
      DATABASE_URL: await testDatabaseUrl(),
      LOG_LEVEL: 'silent',
      HEALTH_PUBLIC_URL: `${PUBLIC_URL}/`,
      NIGHTLY_TOKEN,
      API_KEYS: JSON.stringify([
        { name: 'writer', hash: hashApiKey(WRITER_KEY, { N: 1024 }), scopes: ['monitors:write'] },
        { name: 'reader', hash: hashApiKey(READER_KEY, { N: 1024 }), scopes: [] },
      ]),
    }));
    database = app.get(DataSource);
    const states = app.get(TargetStateService);
    const record = states.record.bind(states);
    jest.spyOn(states, 'record').mockImplementation(async (target, result) => {
      recorded.push(result);
      await record(target, result);
    });
  });

  afterAll(async () => {
    await subscription?.drain();
    await client?.close();
    await app?.close();
    await nats?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: string, route: string, key: string, body?: unknown) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
  };
  const monitor = async (name: string) =>
    (await call('GET', `/api/heartbeats/${name}`, WRITER_KEY)).body as unknown as HeartbeatMonitorView;
  const ping = (name: string, kind: string, extra: { value?: number } = {}) =>
    database.query(
      `INSERT INTO heartbeat_pings (monitor, kind, value, via, received_at) VALUES ($1, $2, $3, 'http', now())`,
      [name, kind, extra.value ?? null],
    );
  /** The monitor once it shows `status` (one read, so the fields belong to that state). */
  const statusOf = async (name: string, status: string): Promise<HeartbeatMonitorView> => {
    let seen: HeartbeatMonitorView | null = null;
    await waitFor(
      async () => {
        seen = await monitor(name);
        return seen.status === status;
      },
      { timeoutMs: 15_000, description: `${name} ${status}` },
    );
    return seen!;
  };

  it('syncs the file monitors with their configured token and shows ping URLs to writers only', async () => {
    const listed = await call('GET', '/api/heartbeats', WRITER_KEY);
    expect(listed.status).toBe(200);
    const monitors = (listed.body as { monitors: HeartbeatMonitorView[] }).monitors;
    expect(monitors.map((m) => [m.name, m.origin])).toEqual([
      ['nightly', 'file'],
      ['weekly', 'file'],
    ]);
    expect(monitors[0]).toMatchObject({
      schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin' },
      grace_s: 3600,
      status: 'unknown',
      ping_url: `${PUBLIC_URL}/ping/${NIGHTLY_TOKEN}`,
    });
    const weeklyUrl = monitors[1].ping_url ?? '';
    expect(weeklyUrl).toMatch(new RegExp(`^${PUBLIC_URL}/ping/[A-Za-z0-9_-]{32}$`));

    const read = await call('GET', '/api/heartbeats/nightly', READER_KEY);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'nightly', origin: 'file' });
    expect(read.body).not.toHaveProperty('ping_url');
    expect(JSON.stringify((await call('GET', '/api/heartbeats', READER_KEY)).body)).not.toContain(
      NIGHTLY_TOKEN,
    );

    // A restart syncs again: the generated token is kept, so cron jobs keep their URL.
    await app.get(HeartbeatMonitorRepository).syncFileMonitor('weekly', null, 'a-new-token');
    expect((await monitor('weekly')).ping_url).toBe(weeklyUrl);
  });

  it('refuses bad monitors with a JSON error naming the field, and names it takes or may not delete', async () => {
    const both = await call('POST', '/api/heartbeats', WRITER_KEY, {
      name: 'x',
      period: '1h',
      cron: '0 * * * *',
    });
    expect(both).toEqual({
      status: 400,
      body: {
        error: 'bad_request',
        message: 'invalid heartbeat: cron: must not be given with period (a heartbeat has one schedule)',
        details: [{ path: 'cron', message: 'must not be given with period (a heartbeat has one schedule)' }],
      },
    });
    const secret = await call('POST', '/api/heartbeats', WRITER_KEY, {
      name: 'x',
      period: 60,
      token_env: 'DATABASE_URL',
    });
    expect(secret.status).toBe(400);
    expect(secret.body?.message).toBe(
      'invalid heartbeat: token_env: is not accepted by the API (a token is generated)',
    );
    const typo = await call('POST', '/api/heartbeats', WRITER_KEY, { name: 'x', period: 60, graec: 5 });
    expect(typo.body?.message).toBe('invalid heartbeat: graec: unknown field');
    expect((await call('POST', '/api/heartbeats', WRITER_KEY, [1])).status).toBe(400);

    expect((await call('POST', '/api/heartbeats', READER_KEY, { name: 'x', period: 60 })).status).toBe(403);
    const taken = await call('POST', '/api/heartbeats', WRITER_KEY, { name: 'nightly', period: 60 });
    expect(taken).toMatchObject({ status: 409, body: { error: 'conflict' } });
    const fileDelete = await call('DELETE', '/api/heartbeats/nightly', WRITER_KEY);
    expect(fileDelete).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect(String(fileDelete.body?.message)).toContain('targets file');
    expect((await call('GET', '/api/heartbeats/nope', READER_KEY)).status).toBe(404);
    expect((await call('DELETE', '/api/heartbeats/nope', WRITER_KEY)).status).toBe(404);
    // Nothing of the refused ones was stored.
    const rows: { name: string }[] = await database.query(
      `SELECT name FROM heartbeat_monitors ORDER BY name`,
    );
    expect(rows.map((r) => r.name)).toEqual(['nightly', 'weekly']);
  });

  it('turns a late heartbeat down with one missing outcome and an alert, and recovers on a success', async () => {
    const created = await call('POST', '/api/heartbeats', WRITER_KEY, {
      name: 'late-job',
      period: 2,
      grace: '1s',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'late-job',
      origin: 'api',
      schedule: { period_s: 2 },
      grace_s: 1,
      status: 'unknown',
    });
    const token = String(created.body?.ping_url).replace(`${PUBLIC_URL}/ping/`, '');
    const stored: { token: string }[] = await database.query(
      `SELECT token FROM heartbeat_monitors WHERE name = 'late-job' AND origin = 'api'`,
    );
    expect(stored).toEqual([{ token }]);
    expect((await call('POST', '/api/heartbeats', WRITER_KEY, { name: 'late-job', period: 5 })).status).toBe(
      409,
    );

    await ping('late-job', 'success');
    const up = await statusOf('late-job', 'up');
    expect(up.last_success_at).not.toBeNull();
    expect(Date.parse(up.next_due_at) - Date.parse(up.last_success_at!)).toBe(2000);

    const down = await statusOf('late-job', 'down');
    expect(down.last_error).toMatch(/^no ping by \S+Z \(grace 1s\); last success \S+Z$/);
    const missing = recorded.filter((r) => r.target === 'late-job' && !r.ok);
    expect(missing).toHaveLength(1);
    expect(missing[0].failure).toBe('missing');
    await waitFor(
      () => alerts.some((a) => a.subject === ALERT_FIRED_SUBJECT && a.event.labels.target === 'late-job'),
      {
        timeoutMs: 5000,
        description: 'alert fired for late-job',
      },
    );
    const incidents: { reason: string }[] = await database.query(
      `SELECT reason FROM target_incidents WHERE target = 'late-job' AND ended_at IS NULL`,
    );
    expect(incidents).toHaveLength(1);
    expect(incidents[0].reason).toContain('no ping by');
    const fired = alerts.find(
      (a) => a.subject === ALERT_FIRED_SUBJECT && a.event.labels.target === 'late-job',
    );
    // Its own alertname and the heartbeat default severity (P2), so routes can tell a late job from a dead site.
    expect(fired?.event.labels).toMatchObject({
      alertname: 'HeartbeatMissing',
      severity: 'high',
      kind: 'heartbeat',
      service: 'late-job',
    });

    await ping('late-job', 'success');
    await statusOf('late-job', 'up');
    const resolved = await waitFor(
      () => alerts.find((a) => a.subject === ALERT_RESOLVED_SUBJECT && a.event.labels.target === 'late-job'),
      { timeoutMs: 5000, description: 'alert resolved for late-job' },
    );
    expect(resolved?.event.labels).toEqual(fired?.event.labels);
    expect((await call('DELETE', '/api/heartbeats/late-job', WRITER_KEY)).status).toBe(204);
  });

  it('turns a fail ping and a value outside the condition down as failed, and a success up again', async () => {
    const created = await call('POST', '/api/heartbeats', WRITER_KEY, {
      name: 'copy-job',
      period: '1h',
      value: '> 0',
    });
    expect(created.status).toBe(201);
    await ping('copy-job', 'success', { value: 12 });
    await statusOf('copy-job', 'up');

    await ping('copy-job', 'fail');
    const failed = await statusOf('copy-job', 'down');
    expect(failed.last_error).toBe('the job reported a failure');
    await waitFor(
      () =>
        alerts.find(
          (a) =>
            a.subject === ALERT_FIRED_SUBJECT &&
            a.event.labels.target === 'copy-job' &&
            a.event.labels.alertname === 'HeartbeatFailed',
        ),
      { timeoutMs: 5000, description: 'HeartbeatFailed fired for copy-job' },
    );
    expect(recorded.filter((r) => r.target === 'copy-job' && !r.ok).map((r) => r.failure)).toEqual([
      'failed',
    ]);

    await ping('copy-job', 'success', { value: 3 });
    await statusOf('copy-job', 'up');
    await ping('copy-job', 'success', { value: 0 });
    const zero = await statusOf('copy-job', 'down');
    expect(zero.last_error).toBe('value 0 is not > 0');
    const values: { value: number | null; ok: boolean }[] = await database.query(
      `SELECT value, ok FROM check_results WHERE target = 'copy-job' ORDER BY checked_at`,
    );
    expect(values).toEqual([
      { value: 12, ok: true },
      { value: null, ok: false },
      { value: 3, ok: true },
      { value: 0, ok: false },
    ]);
  });

  it('picks up monitors another replica created or deleted when it refreshes', async () => {
    const catalog = app.get(TargetCatalog);
    await database.query(
      `INSERT INTO heartbeat_monitors (name, token, origin, definition)
       VALUES ('elsewhere', 'token-elsewhere', 'api', '{"type": "heartbeat", "name": "elsewhere", "period": "5m"}')`,
    );
    expect(catalog.get('elsewhere')).toBeUndefined();
    await app.get(HeartbeatMonitors).refresh();
    expect(catalog.get('elsewhere')).toMatchObject({
      kind: 'heartbeat',
      schedule: { kind: 'period', periodMs: 300_000 },
    });
    await database.query(`DELETE FROM heartbeat_monitors WHERE name = 'elsewhere'`);
    await app.get(HeartbeatMonitors).refresh();
    expect(catalog.get('elsewhere')).toBeUndefined();
  });

  it('deletes an API monitor with its pings, everywhere it was shown', async () => {
    expect((await call('DELETE', '/api/heartbeats/copy-job', WRITER_KEY)).status).toBe(204);
    expect((await call('GET', '/api/heartbeats/copy-job', READER_KEY)).status).toBe(404);
    expect(app.get(TargetCatalog).get('copy-job')).toBeUndefined();
    const pings: unknown[] = await database.query(
      `SELECT id FROM heartbeat_pings WHERE monitor = 'copy-job'`,
    );
    expect(pings).toEqual([]);
    const names = (
      (await call('GET', '/api/heartbeats', READER_KEY)).body as { monitors: { name: string }[] }
    ).monitors;
    expect(names.map((m) => m.name)).toEqual(['nightly', 'weekly']);
  });
});
