import { Client } from 'pg';

import { startWebhookSink, waitFor, type WebhookSink } from '@vigil/testing';

import { AlertIntakeRepository } from '../src/intake/alert-intake.repository';
import {
  about,
  api,
  bodyOf,
  postAlerts,
  sleep,
  startAlerting,
  type AlertingHarness,
  writeAlertingConfig,
} from './alerting-harness';

/**
 * NewGroupFastPath: a lone request of new alerts opening new groups is written in one round trip on
 * a guess (new alerts, new groups, the same silences in force) that the database checks. Two
 * replicas on one database make the guess wrong on purpose; the ordinary path must then do exactly
 * what it would have done.
 */
describe('alerting new-group path (real Postgres, two replicas, real webhook receiver)', () => {
  let h: AlertingHarness;
  let replica: AlertingHarness;
  let sink: WebhookSink;
  let db: Client;

  beforeAll(async () => {
    sink = await startWebhookSink();
    const file = writeAlertingConfig(
      `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: team
    webhook_configs:
      - url: ${sink.url}/team
`,
    );
    const env = { ALERT_WEBHOOK_URL: undefined, ALERTING_CONFIG_FILE: file };
    // h reads the silences in force once at boot, then only when it flushes on the ordinary path.
    h = await startAlerting({ ...env, DELIVERY_POLL_MS: '60000' });
    replica = await startAlerting({ ...env, DATABASE_URL: h.databaseUrl });
    db = new Client({ connectionString: h.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await replica?.stop();
    await h?.stop();
    await sink?.stop();
  });

  const outcomes = async () => {
    const text = await (await fetch(`${h.base}/metrics`)).text();
    const count = (result: string) =>
      Number(
        new RegExp(`^alerting_new_group_path_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0,
      );
    return { applied: count('applied'), fallback: count('fallback') };
  };
  const fired = async (alertname: string) =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM alert_history WHERE alertname = $1 AND event = 'fired'`,
        [alertname],
      )
    ).rows[0].n;

  it('writes a new alert in a new group with its first flush, as the ordinary path would', async () => {
    // The silences in force are known once a flush has read them.
    await postAlerts(h.base, [{ labels: { alertname: 'WarmUp' } }]);
    await sink.waitForRequest(about('WarmUp'));
    const before = await outcomes();
    expect(
      (await postAlerts(h.base, [{ labels: { alertname: 'FreshOne', severity: 'critical' } }])).status,
    ).toBe(200);
    expect(await outcomes()).toEqual({ ...before, applied: before.applied + 1 });

    const notified = await sink.waitForRequest(about('FreshOne'));
    expect(bodyOf(notified)).toMatchObject({ status: 'firing', groupLabels: { alertname: 'FreshOne' } });
    const { rows: groups } = await db.query<{
      notified_firing: string[];
      notifications: string;
      flushed: boolean;
      next_in_s: number;
    }>(
      `SELECT notified_firing, notifications, last_flush_at IS NOT NULL AS flushed,
              extract(epoch FROM next_flush_at - last_flush_at)::float AS next_in_s
         FROM alert_groups WHERE group_labels->>'alertname' = 'FreshOne'`,
    );
    const { rows: alerts } = await db.query<{ fingerprint: string }>(
      `SELECT fingerprint FROM alerts WHERE labels->>'alertname' = 'FreshOne'`,
    );
    // Told about the alert, next due at repeat_interval, like a flush by GroupNotifier.
    expect(groups).toEqual([
      { notified_firing: [alerts[0].fingerprint], notifications: '1', flushed: true, next_in_s: 3600 },
    ]);
    expect(await fired('FreshOne')).toBe(1);
    const members = await db.query(`SELECT 1 FROM alert_group_members WHERE fingerprint = $1`, [
      alerts[0].fingerprint,
    ]);
    expect(members.rowCount).toBe(1);
  });

  it('falls back when another replica stored the alert: a re-send is not a new incident', async () => {
    const alert = { labels: { alertname: 'StoredElsewhere', severity: 'high' } };
    await postAlerts(replica.base, [alert]);
    await sink.waitForRequest(about('StoredElsewhere'));
    const before = await outcomes();

    expect((await postAlerts(h.base, [alert])).status).toBe(200);
    expect(await outcomes()).toEqual({ ...before, fallback: before.fallback + 1 });
    // Known now: the next re-send goes straight to the ordinary path, with no guess.
    await postAlerts(h.base, [alert]);
    expect(await outcomes()).toEqual({ ...before, fallback: before.fallback + 1 });

    await postAlerts(h.base, [{ labels: { alertname: 'AfterStoredElsewhere' } }]);
    await sink.waitForRequest(about('AfterStoredElsewhere'));
    expect(sink.requests.filter(about('StoredElsewhere'))).toHaveLength(1);
    expect(await fired('StoredElsewhere')).toBe(1);
  });

  it('falls back when the alert is stored though its group is gone: still one incident', async () => {
    const alert = { labels: { alertname: 'GroupGone', severity: 'high' } };
    await postAlerts(replica.base, [alert]);
    await sink.waitForRequest(about('GroupGone'));
    await db.query(`DELETE FROM alert_group_members WHERE group_key LIKE '%GroupGone%'`);
    await db.query(`DELETE FROM alert_groups WHERE group_labels->>'alertname' = 'GroupGone'`);
    const before = await outcomes();

    expect((await postAlerts(h.base, [alert])).status).toBe(200);
    expect(await outcomes()).toEqual({ ...before, fallback: before.fallback + 1 });
    expect(await fired('GroupGone')).toBe(1);
  });

  it('falls back when a silence was created on another replica since it last read them: the alert is muted', async () => {
    const silence = await api(`${replica.base}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'SilencedElsewhere', isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: 'on-call',
        comment: 'maintenance',
      }),
    });
    expect(silence.status).toBe(200);
    const before = await outcomes();

    await postAlerts(h.base, [{ labels: { alertname: 'SilencedElsewhere', severity: 'critical' } }]);
    expect(await outcomes()).toEqual({ ...before, fallback: before.fallback + 1 });
    await postAlerts(h.base, [{ labels: { alertname: 'AfterTheSilence' } }]);
    await sink.waitForRequest(about('AfterTheSilence'));
    await sleep(300);
    expect(sink.requests.filter(about('SilencedElsewhere'))).toHaveLength(0);
    // Stored and recorded all the same, only not told.
    expect(await fired('SilencedElsewhere')).toBe(1);
  });

  it('takes the ordinary path for an alert its group already holds', async () => {
    await waitFor(async () => (await outcomes()).applied > 0, { description: 'a first new-group write' });
    const before = await outcomes();
    await postAlerts(h.base, [{ labels: { alertname: 'FreshOne', severity: 'critical', instance: 'b' } }]);
    expect(await outcomes()).toEqual(before);
  });

  it('checks its guess on the primary keys whatever plan Postgres keeps for it', async () => {
    // Prepared statements keep a generic plan, often made while the tables are small; a check that
    // planned a sequential scan then would take milliseconds once they hold 60,000 alerts.
    const statements: string[] = [];
    const recording = {
      query: <T>(sql: string) => {
        statements.push(sql);
        return Promise.resolve([] as T);
      },
    };
    await h.app.get(AlertIntakeRepository).lockWritersExpectingNew(recording, {
      fingerprints: ['f'],
      groups: [{ groupKey: 'k', receiver: 'r' }],
      silences: '',
    });
    const check = statements.find((sql) => sql.includes('vigil_alerting_expect'));
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (GENERIC_PLAN) ${check}`);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index[^\n]* on alerts_pkey|using alerts_pkey/);
    expect(plan).toMatch(/alert_groups_pkey/);
    expect(plan).not.toMatch(/Seq Scan on (alerts|alert_groups)\b/);
  });
});
