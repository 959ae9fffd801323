import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { hashApiKey } from '@vigil/platform';
import { startWebhookSink, waitFor, type WebhookSink } from '@vigil/testing';

import type { IncomingAlert } from '../src/model/alert';
import { fingerprintOf } from '../src/model/fingerprint';
import { AlertIntake } from '../src/intake/alert-intake';
import {
  api,
  postAlerts,
  startAlerting,
  TEST_API_KEYS,
  type AlertingHarness,
  writeAlertingConfig,
} from './alerting-harness';

/** A key that may read /health/detailed (the harness's keys hold the alerting scopes only). */
const MONITOR_KEY = 'test-alerting-monitor-key-0123456789';
const API_KEYS = JSON.stringify([
  ...(JSON.parse(TEST_API_KEYS) as unknown[]),
  { name: 'monitor', hash: hashApiKey(MONITOR_KEY, { N: 1024 }), scopes: ['health:detailed'] },
]);

interface ListedAlert {
  labels: Record<string, string>;
}
interface QuarantinedRow {
  id: string;
  alerts: string;
  error: string;
  quarantined_at: Date;
}
interface JournalComponent {
  name: string;
  status: string;
  critical: boolean;
  details?: { lag_entries: number; oldest_unapplied_age_s: number | null; quarantined_entries: number };
}

/** Label values Postgres refuses in a jsonb document: a lone UTF-16 surrogate, and NUL. */
const LONE_SURROGATE = '\ud800';
const NUL = '\u0000';
/**
 * A value Postgres refuses in a group key (part of alert_groups' primary key): longer than a btree
 * entry may be, even compressed. Nothing in the text itself says so: only Postgres does.
 */
const oversized = () => randomBytes(12_000).toString('base64');
/** What the quarantine says about each kind of poison above. */
const POISON_REASON = /lone UTF-16 surrogate|U\+0000|index row/;

/**
 * The intake journal against entries it cannot apply: each is quarantined with its error (and counted,
 * and logged), everything around it is applied, and the journal's lag is back to 0, visible in
 * /metrics and /health/detailed. The poison reaches the journal as if it had slipped past the API's
 * validation: written as journal rows, or handed to the intake behind the validation.
 */
describe('alerting journal poison (real Postgres)', () => {
  let h: AlertingHarness;
  let sink: WebhookSink;
  let db: Client;

  beforeAll(async () => {
    sink = await startWebhookSink();
    // One group per alertname, notified once: the journal, not the webhook, is under test.
    const config = writeAlertingConfig(`
route:
  receiver: team
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs:
      - url: ${sink.url}/team
`);
    h = await startAlerting({
      API_WRITE_RATE_PER_S: '0',
      API_KEYS,
      ALERT_WEBHOOK_URL: undefined,
      ALERTING_CONFIG_FILE: config,
    });
    db = new Client({ connectionString: h.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await h?.stop();
    await sink?.stop();
  });

  /** A journal row as AlertIntake writes it (or `text` as it is), in journal order; resolves to its id. */
  const journal = async (alerts: readonly IncomingAlert[] | string): Promise<string> => {
    const text =
      typeof alerts === 'string'
        ? alerts
        : JSON.stringify(
            alerts.map((a) => ({ fingerprint: fingerprintOf(a.labels), labels: a.labels, annotations: {} })),
          );
    const count = typeof alerts === 'string' ? 1 : alerts.length;
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO alert_intake (source, received_at, alert_count, alerts) VALUES ('api', now(), $1, $2) RETURNING id`,
      [count, text],
    );
    return rows[0].id;
  };
  const alert = (alertname: string, instance: string): IncomingAlert => ({
    labels: { alertname, instance, severity: 'low' },
    annotations: {},
  });
  const listed = async (alertname: string) => {
    const filter = encodeURIComponent(`alertname="${alertname}"`);
    const answer = await api(`${h.base}/api/v2/alerts?filter=${filter}`);
    expect(answer.status).toBe(200);
    return ((await answer.json()) as ListedAlert[]).map((a) => a.labels.instance).sort();
  };
  const quarantined = async (ids: readonly string[]) =>
    (
      await db.query<QuarantinedRow>(
        `SELECT id::text AS id, alerts, error, quarantined_at FROM alert_intake_quarantine
          WHERE id = ANY($1::bigint[]) ORDER BY alert_intake_quarantine.id`,
        [ids],
      )
    ).rows;
  const metrics = async () => (await fetch(`${h.base}/metrics`)).text();
  const metric = (text: string, name: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(name))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  const journalHealth = async () => {
    const answer = await fetch(`${h.base}/health/detailed`, {
      headers: { authorization: `Bearer ${MONITOR_KEY}` },
    });
    const body = (await answer.json()) as { components: JournalComponent[] };
    return body.components.find((c) => c.name === 'intake-journal');
  };
  /**
   * Waits until the journal is empty, as both /metrics and /health/detailed report it, and the health
   * check (run on an interval) has seen at least `quarantined` entries in quarantine.
   */
  const lagBackToZero = (quarantined = 0) =>
    waitFor(
      async () => {
        const lag = metric(await metrics(), 'alerting_journal_lag_entries');
        const health = await journalHealth();
        const details = health?.details;
        return lag === 0 &&
          details?.lag_entries === 0 &&
          details.quarantined_entries >= quarantined &&
          health?.status === 'up'
          ? health
          : null;
      },
      { description: 'journal lag 0 in /metrics and /health/detailed', timeoutMs: 20_000 },
    );

  it('quarantines the entries Postgres refuses with their reason and applies the ones around them', async () => {
    const quarantinedBefore = metric(await metrics(), 'alerting_journal_quarantined_total');
    const ids = {
      first: await journal([alert('PoisonNeighbour', 'a-1'), alert('PoisonNeighbour', 'a-2')]),
      surrogate: await journal([
        { labels: { alertname: 'PoisonNeighbour', instance: LONE_SURROGATE }, annotations: {} },
      ]),
      middle: await journal([alert('PoisonNeighbour', 'a-3')]),
      nul: await journal([
        { labels: { alertname: 'PoisonNeighbour', instance: `x${NUL}y` }, annotations: {} },
      ]),
      fourth: await journal([alert('PoisonNeighbour', 'a-4')]),
      oversized: await journal([{ labels: { alertname: oversized(), instance: 'big' }, annotations: {} }]),
      last: await journal([alert('PoisonNeighbour', 'a-5')]),
    };
    // A request arriving now, behind the poison.
    expect((await postAlerts(h.base, [alert('PoisonNeighbour', 'later')])).status).toBe(200);

    expect(await listed('PoisonNeighbour')).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'later']);
    const rows = await quarantined(Object.values(ids));
    expect(rows.map((r) => r.id)).toEqual([ids.surrogate, ids.nul, ids.oversized]);
    expect(rows.map((r) => r.error)).toEqual([
      expect.stringMatching(/alerts\[0\]\.labels\.instance must be well-formed Unicode/),
      expect.stringMatching(/alerts\[0\]\.labels\.instance must not contain U\+0000/),
      expect.stringMatching(/index row requires/),
    ]);
    // Kept as journalled, to be read (and re-journalled once fixed).
    expect((JSON.parse(rows[0].alerts) as IncomingAlert[])[0].labels.instance).toBe(LONE_SURROGATE);

    const health = await lagBackToZero(3);
    expect(health?.critical).toBe(false);
    expect(health?.details?.quarantined_entries).toBeGreaterThanOrEqual(3);
    const after = await metrics();
    expect(metric(after, 'alerting_journal_quarantined_total') - quarantinedBefore).toBe(3);
    expect(metric(after, 'alerting_journal_oldest_unapplied_age_seconds')).toBe(0);

    // And the journal keeps applying what comes next.
    expect((await postAlerts(h.base, [alert('PoisonNeighbour', 'next')])).status).toBe(200);
    expect(await listed('PoisonNeighbour')).toContain('next');
  });

  it('quarantines entries it cannot decode (not JSON, not alerts, a bad time) with their reason', async () => {
    const ids = {
      notJson: await journal('[{"fingerprint": '),
      notAlerts: await journal('{"labels": {}}'),
      badLabels: await journal(
        '[{"fingerprint": "0123456789abcdef", "labels": {"alertname": 5}, "annotations": {}}]',
      ),
      badTime: await journal(
        '[{"fingerprint": "0123456789abcdef", "labels": {"alertname": "Undecodable"}, "annotations": {}, "startsAt": "soon"}]',
      ),
    };
    const valid = await journal([alert('UndecodableNeighbour', 'b-1')]);

    expect(await listed('UndecodableNeighbour')).toEqual(['b-1']);
    const rows = await quarantined([...Object.values(ids), valid]);
    expect(rows.map((r) => r.id)).toEqual(Object.values(ids));
    expect(rows.map((r) => r.error)).toEqual([
      expect.stringMatching(/JSON/),
      expect.stringMatching(/array/),
      expect.stringMatching(/labels/),
      expect.stringMatching(/startsAt/),
    ]);
    await lagBackToZero();
  });

  it('accepts an alert Postgres refuses that arrives alone, quarantines it, and applies the next', async () => {
    const intake = h.app.get(AlertIntake);
    const poison = { labels: { alertname: 'LonePoison', instance: LONE_SURROGATE }, annotations: {} };
    // Alone, a request is applied directly, without a journal row: it must still end in quarantine.
    await expect(intake.accept([poison], 'api')).resolves.toBeUndefined();
    expect((await postAlerts(h.base, [alert('LonePoison', 'after')])).status).toBe(200);

    expect(await listed('LonePoison')).toEqual(['after']);
    const { rows } = await db.query<{ error: string }>(
      `SELECT error FROM alert_intake_quarantine WHERE alerts LIKE '%LonePoison%'`,
    );
    expect(rows).toEqual([{ error: expect.stringMatching(POISON_REASON) }]);
    await lagBackToZero();
  });

  it('retries an entry whose apply lost its connection, and quarantines nothing', async () => {
    const blocker = new Client({ connectionString: h.databaseUrl });
    await blocker.connect();
    try {
      // The applier's pass waits on this lock; its connection is then cut while it waits.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE alerts IN ACCESS EXCLUSIVE MODE');
      const id = await journal([alert('LostConnection', 'c-1')]);
      const waiting = await waitFor(
        async () =>
          (
            await db.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            )
          ).rows[0]?.pid,
        { description: 'the applier waiting on the lock' },
      );
      await db.query('SELECT pg_terminate_backend($1)', [waiting]);
      await blocker.query('ROLLBACK');

      expect(await listed('LostConnection')).toEqual(['c-1']);
      expect(await quarantined([id])).toEqual([]);
    } finally {
      await blocker.end();
    }
    await lagBackToZero();
  });

  it('chaos: 10,000 valid alerts and 100 poison ones from 8 clients; every valid one listed, every poison one quarantined', async () => {
    const CLIENTS = 8;
    const VALID_REQUESTS = 500;
    const PER_REQUEST = 20;
    const POISON = 100;
    const intake = h.app.get(AlertIntake);
    // One poison request after every fifth valid one, dealt round-robin to the clients.
    type Step = { valid: number } | { poison: number };
    const steps: Step[] = [];
    for (let r = 0; r < VALID_REQUESTS; r++) {
      steps.push({ valid: r });
      if (r % 5 === 4) steps.push({ poison: Math.floor(r / 5) });
    }
    expect(steps.filter((s) => 'poison' in s)).toHaveLength(POISON);
    // Text Postgres cannot store, and (one in ten) a group key only Postgres finds too long.
    const poisonLabels = (i: number): Record<string, string> =>
      i % 10 === 0
        ? { alertname: oversized(), poison_id: `p-${i}` }
        : {
            alertname: 'ChaosPoison',
            poison_id: `p-${i}`,
            value: i % 2 ? `${LONE_SURROGATE}-${i}` : `${i}-${NUL}`,
          };
    const send = async (step: Step): Promise<number> => {
      if ('valid' in step) {
        const alerts = Array.from({ length: PER_REQUEST }, (_, i) => alert('Chaos', `v-${step.valid}-${i}`));
        return (await postAlerts(h.base, alerts)).status;
      }
      // Past the API's validation, as a poison alert that slipped through it would be.
      await intake.accept([{ labels: poisonLabels(step.poison), annotations: {} }], 'api');
      return 200;
    };
    const statuses = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const mine: number[] = [];
        for (let s = c; s < steps.length; s += CLIENTS) mine.push(await send(steps[s]));
        return mine;
      }),
    );
    expect(statuses.flat().filter((s) => s !== 200)).toEqual([]);

    const instances = await listed('Chaos');
    expect(instances).toHaveLength(VALID_REQUESTS * PER_REQUEST);
    expect(new Set(instances).size).toBe(VALID_REQUESTS * PER_REQUEST);
    expect(await listed('ChaosPoison')).toEqual([]);
    const { rows } = await db.query<{ alerts: string; error: string }>(
      `SELECT alerts, error FROM alert_intake_quarantine WHERE alerts LIKE '%"poison_id":"p-%'`,
    );
    const poisonIds = rows.map(
      (r) => (JSON.parse(r.alerts) as { labels: { poison_id: string } }[])[0].labels.poison_id,
    );
    expect(new Set(poisonIds).size).toBe(POISON);
    expect(poisonIds).toHaveLength(POISON);
    for (const row of rows) expect(row.error).toMatch(POISON_REASON);
    expect(rows.filter((r) => /index row/.test(r.error))).toHaveLength(POISON / 10);
    await lagBackToZero();
  });
});
