import { Client } from 'pg';

import type { RecordedRequest } from '@vigil/testing';

import { WatchdogCheckJob } from '../src/alerts/watchdog-check.job';

import {
  about,
  api,
  bodyOf,
  postAlerts,
  sleep,
  startAlerting,
  type AlertingHarness,
} from './alerting-harness';

/** Short timings: missing after 2 s without a Watchdog, judged every 100 ms. */
const WATCHDOG_ENV = { WATCHDOG_TIMEOUT_S: '2', WATCHDOG_CHECK_INTERVAL_MS: '100' };
const TIMEOUT_MS = 2000;
const watchdog = { labels: { alertname: 'Watchdog', severity: 'low', watchdog: 'true' }, annotations: {} };
const missing = (status?: string) => about('VigilWatchdogMissing', status);
const mentions = (alertname: string) => (r: RecordedRequest) =>
  bodyOf(r).alerts.some((alert) => alert.labels.alertname === alertname);

/** Prometheus' Watchdog → alerting's VigilWatchdogMissing (real Postgres, NATS, webhook receiver). */
describe('alerting watchdog', () => {
  let optional: AlertingHarness;
  let required: AlertingHarness;

  beforeAll(async () => {
    [optional, required] = await Promise.all([
      startAlerting({ ...WATCHDOG_ENV, WATCHDOG_TIMEOUT_S: '1' }),
      startAlerting({ ...WATCHDOG_ENV, WATCHDOG_TIMEOUT_S: '1', WATCHDOG_REQUIRED: 'true' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([optional?.stop(), required?.stop()]);
  });

  it('pages without any Watchdog only with WATCHDOG_REQUIRED, so an install without Prometheus stays quiet', async () => {
    const fired = await required.sink.waitForRequest(missing('firing'), 10_000);
    expect(bodyOf(fired).alerts[0].labels).toMatchObject({ severity: 'critical', service: 'alerting' });
    expect(optional.sink.requests.filter(missing())).toEqual([]);
  });

  it('leaves the round to the replica holding the watchdog lock (one judge however many replicas)', async () => {
    const job = required.app.get(WatchdogCheckJob);
    const otherReplica = new Client({ connectionString: required.databaseUrl });
    await otherReplica.connect();
    try {
      await otherReplica.query('BEGIN');
      await otherReplica.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('vigil.alerting.watchdog', 0))`,
      );
      await expect(job.check()).resolves.toBeUndefined();
      await otherReplica.query('ROLLBACK');
      await expect(job.check()).resolves.toMatchObject({ kind: 'missing' });
    } finally {
      await otherReplica.end();
    }
  });
});

describe('alerting watchdog after a first Watchdog', () => {
  let h: AlertingHarness;
  let lastWatchdogAt = 0;

  beforeAll(async () => {
    h = await startAlerting({ ...WATCHDOG_ENV, WATCHDOG_TIMEOUT_S: String(TIMEOUT_MS / 1000) });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('tells nobody about the Watchdog and does not list it, while alerts beside it are told', async () => {
    const other = {
      labels: { alertname: 'BesideWatchdog', severity: 'high', service: 'shop' },
      annotations: {},
    };
    lastWatchdogAt = Date.now();
    expect((await postAlerts(h.base, [watchdog, other])).status).toBe(200);
    await h.sink.waitForRequest(about('BesideWatchdog', 'firing'));
    await sleep(300);
    expect(h.sink.requests.filter(mentions('Watchdog'))).toEqual([]);
    const listed = (await (await api(`${h.base}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
    }[];
    expect(listed.map((alert) => alert.labels.alertname)).toEqual(['BesideWatchdog']);
  });

  it('keeps quiet while the Watchdog keeps arriving', async () => {
    for (let i = 0; i < 4; i++) {
      await sleep(TIMEOUT_MS / 2);
      lastWatchdogAt = Date.now();
      expect((await postAlerts(h.base, [watchdog])).status).toBe(200);
    }
    // Four half-timeouts passed: without the re-sends above, VigilWatchdogMissing would have fired.
    expect(h.sink.requests.filter(missing())).toEqual([]);
  });

  it('fires VigilWatchdogMissing once the Watchdog stops, and resolves it when the Watchdog is back', async () => {
    const fired = await h.sink.waitForRequest(missing('firing'), 10_000);
    expect(fired.receivedAt.getTime() - lastWatchdogAt).toBeGreaterThanOrEqual(TIMEOUT_MS);
    const [alert] = bodyOf(fired).alerts;
    expect(alert.labels).toEqual({
      alertname: 'VigilWatchdogMissing',
      severity: 'critical',
      service: 'alerting',
      watchdog: 'Watchdog',
    });
    expect(alert.annotations.summary).toMatch(/^No Watchdog alert from Prometheus since \d{4}-/);

    // Re-sent while missing, but told once (the group does not change).
    await sleep(1000);
    expect(h.sink.requests.filter(missing())).toHaveLength(1);

    expect((await postAlerts(h.base, [watchdog])).status).toBe(200);
    const resolved = await h.sink.waitForRequest(missing('resolved'), 10_000);
    expect(bodyOf(resolved).alerts[0].fingerprint).toBe(alert.fingerprint);
    const listed = (await (await api(`${h.base}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
    }[];
    expect(listed.map((a) => a.labels.alertname)).not.toContain('VigilWatchdogMissing');
  });
});
