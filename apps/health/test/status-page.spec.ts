// The status page and GET /api/status over real check history: uptime windows, response-time
// sparklines, incidents with durations, downsampling of old results; the page is loaded in headless
// Chromium (Debian `chromium`) and screenshotted.
import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';

import { startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, waitFor, type NatsServerHandle } from '@vigil/testing';

import { RetentionJob } from '../src/history/retention.job';
import { healthService } from '../src/service';
import type { StatusView } from '../src/status/status-view.service';
import { countColour, decodePng, dumpDom, screenshot } from './chromium';

const SCREENSHOT = path.join(os.tmpdir(), 'vigil-status-page.png');

describe('status page (real HTTP targets, Postgres history, headless Chromium)', () => {
  let nats: NatsServerHandle;
  let server: http.Server;
  const control = { api: 200 };
  let app: INestApplication;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-status-'));
    nats = await startNatsServer();
    server = http.createServer((req, res) => {
      const status = req.url === '/api' ? control.api : 200;
      res.writeHead(status).end(status === 200 ? 'ok' : 'down for <maintenance>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const targetPort = (server.address() as AddressInfo).port;
    const file = path.join(dir, 'targets.yaml');
    fs.writeFileSync(
      file,
      `targets:
  - name: web
    url: http://127.0.0.1:${targetPort}/
    interval_s: 1
    timeout_ms: 800
  - name: api
    url: http://127.0.0.1:${targetPort}/api
    interval_s: 1
    timeout_ms: 800
  - name: queue
    type: tcp
    host: 127.0.0.1
    port: ${await freePort()}
    interval_s: 1
    timeout_ms: 500
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
      },
      { logger: false },
    );
  });

  afterAll(async () => {
    await app?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await nats?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const view = async () => (await (await fetch(`${base}/api/status`)).json()) as StatusView;
  const target = async (name: string) => (await view()).targets.find((t) => t.name === name)!;

  it('records an incident with its duration when a target goes down and comes back', async () => {
    await waitFor(async () => (await target('api')).status === 'up', {
      timeoutMs: 15_000,
      description: 'api up',
    });
    control.api = 503;
    await waitFor(async () => (await target('api')).status === 'down', {
      timeoutMs: 10_000,
      description: 'api down',
    });
    control.api = 200;
    await waitFor(async () => (await target('api')).status === 'up', {
      timeoutMs: 10_000,
      description: 'api up again',
    });
    const api = await target('api');
    expect(api.incidents).toHaveLength(1);
    expect(api.incidents[0]).toMatchObject({
      target: 'api',
      ended_at: expect.any(String),
      reason: '2 consecutive failed checks: expected status 200, got 503',
    });
    expect(api.incidents[0].duration_s).toBeGreaterThanOrEqual(0);
    expect(api.uptime_pct['24h']).toBeLessThan(100);
    expect(api.response_times_ms.some((ms) => ms === null)).toBe(true);
    expect(api.response_times_ms.some((ms) => typeof ms === 'number')).toBe(true);
    expect(api.response_time_ms_p50).toEqual(expect.any(Number));
    expect(api.response_time_ms_p95).toBeGreaterThanOrEqual(api.response_time_ms_p50 ?? 0);

    const queue = await waitFor(
      async () => ((await target('queue')).status === 'down' ? target('queue') : null),
      {
        timeoutMs: 10_000,
        description: 'queue down',
      },
    );
    expect(queue?.incidents[0]).toMatchObject({ ended_at: null });
    expect(queue?.uptime_pct).toEqual({ '24h': 0, '7d': 0, '30d': 0 });
  });

  it('rolls results older than 7 days into hourly rows that uptime over 30 days still counts', async () => {
    const db = app.get(DataSource);
    const old = new Date(Date.now() - 9 * 86_400_000);
    old.setUTCMinutes(10, 0, 0);
    for (let i = 0; i < 10; i += 1) {
      await db.query(
        `INSERT INTO check_results (target, ok, status_code, response_time_ms, error, checked_at)
         VALUES ('web', $1, 200, $2, NULL, $3)`,
        [i !== 0, 10 + i, new Date(old.getTime() + i * 60_000).toISOString()],
      );
    }
    const before = (await target('web')).uptime_pct;
    expect(before['30d']).toBeLessThan(100);
    await app.get(RetentionJob).run();
    const [raw] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM check_results WHERE checked_at < now() - interval '7 days'`,
    );
    expect(raw.n).toBe(0);
    const hourly = await db.query<{ checks: number; successes: number; p50: number }[]>(
      `SELECT checks, successes, response_time_ms_p50 AS p50 FROM check_results_hourly WHERE target = 'web'`,
    );
    expect(hourly).toEqual([{ checks: 10, successes: 9, p50: 14.5 }]);
    const after = (await target('web')).uptime_pct;
    // 'web' is checked every second meanwhile and always passes, so the figure may only rise with those new
    // checks; the one old failure, now inside an hourly row, must still keep it below 100.
    expect(after['30d']).toBeGreaterThanOrEqual(Number(before['30d']));
    expect(after['30d']).toBeLessThan(100);
    expect(after['24h']).toBe(100);
  });

  it('serves a self-contained HTML page with state, uptime, sparklines and incidents', async () => {
    const res = await fetch(`${base}/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|\ssrc=|url\(/i);
    expect(html).toContain('1 of 3 down: queue.');
    expect(html).toContain('<svg class="spark"');
    expect(html).toContain('2 consecutive failed checks: expected status 200, got 503');
    expect(html).toContain('<strong>ongoing</strong>');
  });

  it('renders in headless Chromium, with up and down states visible in the screenshot', async () => {
    const dom = await dumpDom(`${base}/status`);
    expect(dom).toContain('Vigil status');
    for (const name of ['web', 'api', 'queue']) expect(dom).toContain(`data-target="${name}"`);
    expect(dom).toContain('Recent incidents');

    const png = await screenshot(`${base}/status`, SCREENSHOT, 1200, 800);
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([1200, 800]);
    // The state badges: green for up (web, api), red for down (queue).
    expect(countColour(image, '#d7f5e1')).toBeGreaterThan(200);
    expect(countColour(image, '#fde0df')).toBeGreaterThan(100);
  });
});
