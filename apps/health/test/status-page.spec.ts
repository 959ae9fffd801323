// The status page and GET /api/status over real check history: uptime windows, response-time
// sparklines, incidents with durations, downsampling of old results, the 90-day bar; the page is
// loaded in headless Chromium (Debian `chromium`) in another time zone and screenshotted.
import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';

import { freePort, startNatsServer, testDatabaseUrl, waitFor, type NatsServerHandle } from '@vigil/testing';

import { STATUS_PAGE_CSP } from '../src/api/status.controller';
import { RetentionJob } from '../src/history/retention.job';
import { CertificateExpiryRepository } from '../src/certs/cert-expiry.repository';
import { StatusHistoryRepository } from '../src/history/status-history.repository';
import type { StatusView } from '../src/status/status-view.service';
import { countColour, decodePng, dumpDom, loadPage, screenshot } from './chromium';
import { startHealthInProcess } from './health-harness';

// One file per run: parallel runs (other worktrees, CI shards) must not read each other's screenshot.
const SCREENSHOT = path.join(os.tmpdir(), `vigil-status-page-${process.pid}.png`);

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
      // A page that breaks the status page's CSP: proves the console check below can see a violation.
      if (req.url === '/inline') {
        res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': STATUS_PAGE_CSP });
        res.end('<html><body><script>document.body.append("ran")</script></body></html>');
        return;
      }
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
    ({ app, base } = await startHealthInProcess(file, nats.url, {
      DATABASE_URL: await testDatabaseUrl(),
      LOG_LEVEL: 'silent',
    }));
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

  it('draws a 90-day bar per target from incidents clipped to each UTC day, grey before the first check', async () => {
    const db = app.get(DataSource);
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    const dayOf = (daysAgo: number) => new Date(today - daysAgo * 86_400_000).toISOString().slice(0, 10);
    // 'web' was first checked 20 days ago (an hourly rollup) and down 3 h on the day 3 days ago.
    await db.query(
      `INSERT INTO check_results_hourly (target, hour, checks, successes, response_time_ms_sum, response_time_ms_p50, response_time_ms_p95)
       VALUES ('web', $1, 60, 60, 600, 10, 10)`,
      [new Date(today - 20 * 86_400_000 + 12 * 3_600_000).toISOString()],
    );
    // Also one spanning midnight into the day 4 days ago: 1 h before it and 1 h on it.
    await db.query(
      `INSERT INTO target_incidents (target, started_at, ended_at, reason) VALUES
         ('web', $1, $2, 'test outage'), ('web', $3, $4, 'test outage')`,
      [
        new Date(today - 3 * 86_400_000 + 6 * 3_600_000).toISOString(),
        new Date(today - 3 * 86_400_000 + 9 * 3_600_000).toISOString(),
        new Date(today - 4 * 86_400_000 - 3_600_000).toISOString(),
        new Date(today - 4 * 86_400_000 + 3_600_000).toISOString(),
      ],
    );
    const web = await target('web');
    expect(web.days).toHaveLength(90);
    expect(web.days[89].day).toBe(dayOf(0));
    const byDay = new Map(web.days.map((d) => [d.day, d]));
    expect(byDay.get(dayOf(3))).toEqual({ day: dayOf(3), downtime_s: 10_800, uptime_pct: 87.5 });
    expect(byDay.get(dayOf(4))).toEqual({ day: dayOf(4), downtime_s: 3600, uptime_pct: 95.83 });
    expect(byDay.get(dayOf(5))).toEqual({ day: dayOf(5), downtime_s: 3600, uptime_pct: 95.83 });
    expect(byDay.get(dayOf(6))).toEqual({ day: dayOf(6), downtime_s: 0, uptime_pct: 100 });
    // First watched at noon 20 days ago: that day counts from noon, the day before has no data.
    expect(byDay.get(dayOf(20))?.uptime_pct).toBe(100);
    expect(byDay.get(dayOf(21))).toEqual({ day: dayOf(21), downtime_s: 0, uptime_pct: null });
    expect(web.uptime_90d_pct).toBeLessThan(100);
    const queue = await target('queue');
    expect(queue.days[89].uptime_pct).toBeLessThan(100);

    const html = await (await fetch(`${base}/status`)).text();
    expect(html.match(/<li class="day /g)).toHaveLength(90 * 3);
    expect(html).toContain(
      `<li class="day day-down" data-day="${dayOf(3)}" title="${dayOf(3)} (UTC): down 3h, uptime 87.50%" tabindex="0">`,
    );
    expect(html).toContain(`<li class="day day-none" data-day="${dayOf(21)}"`);
  });

  it('reads measured values (sparkline, last value, last value per day), last heartbeat runs and certificate expiry', async () => {
    const db = app.get(DataSource);
    const repository = app.get(StatusHistoryRepository);
    const certificates = app.get(CertificateExpiryRepository);
    const now = Date.now();
    const yesterday = new Date(now - 86_400_000);
    const day = (at: Date) => at.toISOString().slice(0, 10);
    const rows: [number, Date][] = [
      [5, new Date(yesterday.getTime() - 60_000)],
      [7, yesterday],
      [2, new Date(now - 60_000)],
    ];
    for (const [value, at] of rows)
      await db.query(
        `INSERT INTO check_results (target, ok, status_code, response_time_ms, error, checked_at, value)
         VALUES ('api', true, 200, 1, NULL, $2, $1)`,
        [value, at.toISOString()],
      );
    const api = await target('api');
    expect(api.values).toEqual([5, 7, 2]);
    expect(api.last_value).toBe(2);
    const daily = await repository.dailyLastValues(
      ['api'],
      new Date(now - 2 * 86_400_000).toISOString(),
      new Date(now + 1000).toISOString(),
    );
    // The last value of each UTC day the rows fall on (rows are in time order).
    const lastPerDay = new Map(rows.map(([value, at]) => [day(at), value]));
    expect(daily).toEqual([...lastPerDay].map(([d, value]) => ({ target: 'api', day: d, value })));
    expect(daily.length).toBeGreaterThanOrEqual(2);

    // A heartbeat's last successful run: a success ping or exit code 0, not a later failure or note.
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    await db.query(
      `INSERT INTO heartbeat_pings (monitor, kind, exit_code, via, received_at) VALUES
         ('nightly', 'success', NULL, 'http', $1), ('nightly', 'exit', 0, 'http', $2),
         ('nightly', 'exit', 1, 'http', $3), ('nightly', 'fail', NULL, 'kuma', $4),
         ('nightly', 'log', NULL, 'http', $5), ('hourly', 'start', NULL, 'sentry', $5)`,
      [at(50), at(40), at(30), at(20), at(10)],
    );
    expect(await repository.lastSuccessPings(['nightly', 'hourly'])).toEqual(new Map([['nightly', at(40)]]));

    const expires = new Date(now + 10 * 86_400_000 + 3_600_000).toISOString();
    await db.query(`UPDATE target_states SET cert_expires_at = $1 WHERE target = 'web'`, [expires]);
    expect(await certificates.expiriesOf(['web', 'api'])).toEqual(new Map([['web', expires]]));
  });

  it('serves the page with its one same-origin script under a CSP without inline scripts', async () => {
    const script = await fetch(`${base}/status.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toContain('max-age=');
    expect(await script.text()).toContain("querySelectorAll('time[datetime]')");

    const res = await fetch(`${base}/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await res.text();
    expect(html.match(/<script[^>]*>[^<]*<\/script>/g)).toEqual(['<script src="/status.js" defer></script>']);
    expect(html).not.toMatch(/<link|url\(|\son[a-z]+=/i);
    expect(html).toMatch(/<time datetime="[^"]+Z">\d{4}-\d\d-\d\dT[^<]+Z<\/time>/);
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
    expect(dom.match(/<li class="day /g)).toHaveLength(90 * 3);

    const png = await screenshot(`${base}/status`, SCREENSHOT, 1200, 800);
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([1200, 800]);
    // The state badges: green for up (web, api), red for down (queue).
    expect(countColour(image, '#d7f5e1')).toBeGreaterThan(200);
    expect(countColour(image, '#fde0df')).toBeGreaterThan(100);
    // The day bars: green days, and red ones (queue today, web's 3-hour outage).
    expect(countColour(image, '#2fb344')).toBeGreaterThan(2000);
    expect(countColour(image, '#d93025')).toBeGreaterThan(200);
  });

  it("shows times in the reader's zone (rewritten by /status.js) with no CSP violation", async () => {
    // The console check can see a violation: an inline script under the same policy is reported.
    const inline = await loadPage(`http://127.0.0.1:${(server.address() as AddressInfo).port}/inline`, 'UTC');
    expect(inline.console.join('\n')).toMatch(/Content Security Policy/);
    expect(inline.dom).not.toContain('ran</body>');

    const { dom, console } = await loadPage(`${base}/status`, 'Asia/Kolkata');
    expect(console.filter((line) => /Content Security Policy|Refused/i.test(line))).toEqual([]);
    const times = [...dom.matchAll(/<time datetime="([^"]+)" title="([^"]+)">([^<]+)<\/time>/g)];
    expect(times.length).toBeGreaterThan(3);
    for (const [, iso, title, text] of times) {
      expect(title).toBe(iso);
      expect(text).not.toContain(iso);
      // India is UTC+5:30 all year: the local format names it, with a relative phrase.
      expect(text).toMatch(
        /GMT\+5:30 \((now|in \d+ \w+|\d+ \w+ ago|yesterday|tomorrow|last \w+|next \w+)\)$/,
      );
    }
    expect(dom).toMatch(/Generated <time[^>]*>[^<]*\((now|\d+ seconds? ago)\)<\/time>/);
  });
});
