// The ping intake of heartbeat monitors on the built health service with real NATS and Postgres: every
// Healthchecks.io form sent by a bash + curl cron loop and by a standard-library Python script, Uptime
// Kuma's push, Sentry check-ins from a plain NATS client, bounded bodies, unknown tokens, tokens kept out
// of the logs, and durability: every ping answered 200 is a row, also once the service was killed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';

import {
  HEALTH_CHECKINS_SUBJECT,
  HEALTH_DLQ_STREAM,
  HEADER_DLQ_REASON,
  healthDlqSubject,
} from '@vigil/contracts';
import {
  freePort,
  runService,
  startNatsServer,
  testDatabaseUrl,
  waitFor,
  type NatsServerHandle,
  type ServiceProcess,
} from '@vigil/testing';

const FIXTURES = path.join(__dirname, 'fixtures');
const token = () => randomBytes(16).toString('base64url');
const TOKENS = {
  curl: token(),
  python: token(),
  kuma: token(),
  limits: token(),
  burst: token(),
};
const MONITORS: Record<keyof typeof TOKENS, string> = {
  curl: 'nightly-backup',
  python: 'etl-import',
  kuma: 'queue-drain',
  limits: 'big-bodies',
  burst: 'top-of-hour',
};
const SENTRY_MONITOR = 'sentry-cleanup';

interface PingRow {
  kind: string;
  exit_code: number | null;
  rid: string | null;
  value: number | null;
  duration_ms: number | null;
  body: string | null;
  via: string;
}

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('heartbeat pings (built service, bash + curl, Python urllib, NATS check-ins, real Postgres)', () => {
  let nats: NatsServerHandle;
  let db: Client;
  let nc: NatsConnection;
  let service: ServiceProcess;
  let base: string;

  const rowsOf = async (monitor: string) =>
    (
      await db.query<PingRow>(
        `SELECT kind, exit_code, rid, value, duration_ms, body, via FROM heartbeat_pings
          WHERE monitor = $1 ORDER BY id`,
        [monitor],
      )
    ).rows;

  beforeAll(async () => {
    nats = await startNatsServer();
    const databaseUrl = await testDatabaseUrl();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = await runService({
      app: 'health',
      env: {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: databaseUrl,
        TARGETS_FILE: path.join(FIXTURES, 'no-targets.yaml'),
        LOG_LEVEL: 'info',
      },
    });
    await service.waitForReady(port, 60_000);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    for (const [key, name] of Object.entries(MONITORS))
      await db.query(`INSERT INTO heartbeat_monitors (name, token, origin) VALUES ($1, $2, 'api')`, [
        name,
        TOKENS[key as keyof typeof TOKENS],
      ]);
    await db.query(`INSERT INTO heartbeat_monitors (name, token, origin) VALUES ($1, $2, 'api')`, [
      SENTRY_MONITOR,
      token(),
    ]);
    nc = await connect({ servers: nats.url });
    // The index re-reads the monitors every 5 s (and on an unknown token, at most once a second).
    await waitFor(async () => (await fetch(`${base}/ping/${TOKENS.limits}/log`)).status === 200, {
      timeoutMs: 10_000,
      description: 'the new monitors are pingable',
    });
  });

  afterAll(async () => {
    await service?.stop().catch(() => undefined);
    await nc?.close();
    await db?.end();
    await nats?.stop();
  });

  it('takes every Healthchecks.io form from a bash + curl cron loop, each answered OK after its commit', async () => {
    const result = await run('bash', [path.join(FIXTURES, 'cron-ping.sh')], {
      PING_URL: `${base}/ping/${TOKENS.curl}`,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(result.stdout).toMatch(/content-type: text\/plain; charset=utf-8/i);
    expect(result.stdout.endsWith('\r\n\r\nOK')).toBe(true);

    const rows = await rowsOf(MONITORS.curl);
    const runs = [1, 2, 3].flatMap((n) => [
      { kind: 'start', exit_code: null, rid: expect.stringMatching(`^run-${n}-`), body: null },
      {
        kind: 'exit',
        exit_code: n - 1,
        rid: expect.stringMatching(`^run-${n}-`),
        body: `backing up run ${n}`,
      },
    ]);
    expect(rows).toEqual(
      [
        ...runs,
        { kind: 'success', exit_code: null, rid: null, body: null },
        { kind: 'success', exit_code: null, rid: null, body: null }, // HEAD
        { kind: 'fail', exit_code: null, rid: null, body: null },
        { kind: 'log', exit_code: null, rid: null, body: 'rotated 3 logs' },
        { kind: 'success', value: 42 },
        { kind: 'success', value: 1048576, body: '{"value": 1048576}' },
        { kind: 'success' },
      ].map((row) => expect.objectContaining({ via: 'http', ...row }) as unknown),
    );
    expect(rows[1].rid).toBe(rows[0].rid);
  });

  it('takes pings from a Python script using only the standard library, bodies redacted', async () => {
    const result = await run('/usr/bin/python3', [
      path.join(FIXTURES, 'cron_ping.py'),
      `${base}/ping/${TOKENS.python}`,
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual([
      'start 200 OK',
      'success 200 OK',
      'exit 200 OK',
      'fail 200 OK',
      'log 200 OK',
      'value 200 OK',
      'head 200 -',
    ]);
    const rows = await rowsOf(MONITORS.python);
    expect(rows.map((r) => [r.kind, r.exit_code, r.rid, r.value])).toEqual([
      ['start', null, 'py-1', null],
      ['success', null, 'py-1', null],
      ['exit', 3, null, null],
      ['fail', null, null, null],
      ['log', null, null, null],
      ['success', null, null, 7.5],
      ['success', null, null, null],
    ]);
    expect(rows[1].body).toContain('copied 120 rows for');
    expect(rows[1].body).not.toContain('rahim@example.com');
    expect(rows[1].body).not.toContain('hunter22');
  });

  it("takes Uptime Kuma's push URL and answers as Kuma does", async () => {
    const up = await fetch(`${base}/api/push/${TOKENS.kuma}?status=up&msg=OK&ping=12.5`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ok: true });
    const down = await fetch(`${base}/api/push/${TOKENS.kuma}?status=down&msg=queue%20stuck`);
    expect(down.status).toBe(200);
    expect(await rowsOf(MONITORS.kuma)).toEqual([
      expect.objectContaining({ kind: 'success', duration_ms: 12.5, body: 'OK', via: 'kuma' }),
      expect.objectContaining({ kind: 'fail', duration_ms: null, body: 'queue stuck', via: 'kuma' }),
    ]);
  });

  it('answers 404 JSON for an unknown token and a bad action, 400 for a bad exit code or value', async () => {
    const unknown = await fetch(`${base}/ping/${token()}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: 'not_found',
      message: 'no heartbeat monitor has this ping token',
    });
    expect((await fetch(`${base}/api/push/${token()}?status=up`)).status).toBe(404);
    const action = await fetch(`${base}/ping/${TOKENS.limits}/stop`);
    expect([action.status, ((await action.json()) as { error: string }).error]).toEqual([404, 'not_found']);
    expect((await fetch(`${base}/ping/${TOKENS.limits}/256`)).status).toBe(400);
    expect((await fetch(`${base}/ping/${TOKENS.limits}?value=lots`)).status).toBe(400);
    expect((await fetch(`${base}/ping/${TOKENS.limits}`, { method: 'PUT' })).status).toBe(405);
  });

  it('keeps a body of 100 KB and refuses a larger one with 413, declared or chunked', async () => {
    const limit = 100 * 1024;
    const before = (await rowsOf(MONITORS.limits)).length;
    const exact = await fetch(`${base}/ping/${TOKENS.limits}`, { method: 'POST', body: 'a'.repeat(limit) });
    expect(exact.status).toBe(200);
    const declared = await fetch(`${base}/ping/${TOKENS.limits}`, {
      method: 'POST',
      body: 'a'.repeat(limit + 1),
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({
      error: 'payload_too_large',
      message: `ping body is larger than ${limit} bytes`,
      details: { limit_bytes: limit },
    });
    // No Content-Length: refused at the chunk that passes the limit.
    const chunked = await run('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      'Transfer-Encoding: chunked',
      '--data-binary',
      `@${path.join(FIXTURES, 'cron_ping.py')}`,
      '--data-binary',
      'x'.repeat(limit),
      `${base}/ping/${TOKENS.limits}`,
    ]);
    expect(chunked.stdout).toBe('413');
    const rows = await rowsOf(MONITORS.limits);
    expect(rows.slice(before).map((r) => r.body?.length)).toEqual([limit]);
  });

  it('stores Sentry check-ins from health.v1.checkins; dead-letters malformed ones; drops unknown monitors', async () => {
    const js = jetstream(nc);
    const checkIn = (status: string, monitor = SENTRY_MONITOR) => ({
      project_id: '1',
      check_in_id: 'c'.repeat(32),
      monitor_slug: monitor,
      status,
      duration_s: status === 'in_progress' ? undefined : 2.5,
      received_at: new Date().toISOString(),
    });
    const publish = (body: unknown, msgID: string) =>
      js.publish(HEALTH_CHECKINS_SUBJECT, new TextEncoder().encode(JSON.stringify(body)), { msgID });
    const metric = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const line = /heartbeat_pings_unknown_monitor_total\{via="sentry"\} (\d+)/.exec(text);
      return line ? Number(line[1]) : 0;
    };
    const unknownBefore = await metric();
    await publish(checkIn('in_progress'), 'c1');
    await publish(checkIn('ok'), 'c2');
    await publish(checkIn('ok'), 'c2-redelivered'); // the same check-in twice: stored once
    await publish({ ...checkIn('ok'), status: 'maybe' }, 'c3');
    await publish(checkIn('ok', 'no-such-monitor'), 'c4');
    await waitFor(
      async () => (await rowsOf(SENTRY_MONITOR)).length === 2 && (await metric()) > unknownBefore,
      {
        timeoutMs: 15_000,
        description: 'check-ins stored and the unknown one counted',
      },
    );
    expect(await rowsOf(SENTRY_MONITOR)).toEqual([
      expect.objectContaining({ kind: 'start', rid: 'c'.repeat(32), duration_ms: null, via: 'sentry' }),
      expect.objectContaining({ kind: 'success', rid: 'c'.repeat(32), duration_ms: 2500, via: 'sentry' }),
    ]);
    expect((await metric()) - unknownBefore).toBe(1);
    const jsm = await jetstreamManager(nc);
    const dead = await jsm.streams.getMessage(HEALTH_DLQ_STREAM.name, {
      last_by_subj: healthDlqSubject('schema'),
    });
    expect(dead?.header.get(HEADER_DLQ_REASON)).toMatch(/^schema: status/);
    await waitFor(async () => (await jsm.consumers.info('HEALTH', 'health-checkins')).num_ack_pending === 0, {
      timeoutMs: 10_000,
      description: 'every check-in acked',
    });
    await waitFor(() => service.output().includes('"monitor_slug":"no-such-monitor"'), {
      timeoutMs: 5000,
      description: 'the unknown monitor logged by its slug',
    });
  });

  it('logs ping paths with the token replaced, never the token', () => {
    const output = service.output();
    expect(output).toContain('"url":"/ping/[token]/start?rid=run-1-');
    expect(output).toContain('"url":"/api/push/[token]?status=up&msg=OK&ping=12.5"');
    for (const secret of Object.values(TOKENS)) expect(output).not.toContain(secret);
  });

  it('has every ping answered 200 in heartbeat_pings, also after the service is killed mid-burst', async () => {
    const sent = Array.from({ length: 400 }, (_, n) => `burst-${n}`);
    const answered: string[] = [];
    const pings = sent.map(async (rid, n) => {
      // Spread over 2 s: the kill after the first 100 answers lands with most of the burst still to come.
      await new Promise((resolve) => setTimeout(resolve, n * 5));
      try {
        const response = await fetch(`${base}/ping/${TOKENS.burst}?rid=${rid}`);
        if (response.status === 200 && (await response.text()) === 'OK') answered.push(rid);
      } catch {
        // the connection died with the service: not answered, may or may not be stored
      }
    });
    await waitFor(() => answered.length >= 100, { timeoutMs: 20_000, description: '100 pings answered' });
    service.kill('SIGKILL');
    await Promise.all(pings);
    await service.waitForExit();
    expect(answered.length).toBeGreaterThanOrEqual(100);
    expect(answered.length).toBeLessThan(sent.length); // the kill did land mid-burst
    const stored = new Set((await rowsOf(MONITORS.burst)).map((r) => r.rid));
    expect(answered.filter((rid) => !stored.has(rid))).toEqual([]);
  });
});
