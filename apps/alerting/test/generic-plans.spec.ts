import { Client } from 'pg';

import { AlertRepository } from '../src/model/alert.repository';
import type { Transaction } from '../src/model/prepared-transaction';
import { NotificationRepository } from '../src/delivery/notification.repository';
import { AlertGroupRepository } from '../src/grouping/alert-group.repository';
import { EpisodeRepository } from '../src/episodes/episode.repository';
import { AlertIntakeRepository } from '../src/intake/alert-intake.repository';
import { SilenceRepository } from '../src/silences/silence.repository';
import { startAlerting, type AlertingHarness } from './alerting-harness';

/** The tables that grow with the alerts: a sequential scan of one on the hot path grows with them. */
const GROWING =
  /Seq Scan on (alerts|alert_groups|alert_group_members|alert_episodes|alert_history|notifications)\b/;

/**
 * The hot path's statements are prepared once per connection and Postgres keeps one generic plan for
 * each, often made while the tables are small (a fresh service, a quiet night). Every statement's
 * generic plan, made on near-empty tables, must still find its rows by index, or a lone alert slows
 * down as the tables grow (by 7 ms at 60,000 alerts, for one EXISTS check).
 */
describe('hot-path statements keep index plans (real Postgres)', () => {
  let h: AlertingHarness;
  let db: Client;

  beforeAll(async () => {
    h = await startAlerting();
    db = new Client({ connectionString: h.databaseUrl });
    await db.connect();
    // A few hundred rows each, analyzed: what a young deployment's tables look like when Postgres
    // settles on its generic plans (near-empty, never-analyzed tables would hide the problem).
    await db.query(`
      INSERT INTO alerts (fingerprint, labels, starts_at, ends_at, status)
        SELECT 'fp' || g, jsonb_build_object('alertname', 'A' || g), now(), now() + interval '5 minutes', 'firing'
          FROM generate_series(1, 300) g;
      INSERT INTO alert_groups (group_key, receiver, group_labels, group_wait_ms, group_interval_ms,
                                repeat_interval_ms, next_flush_at)
        SELECT 'k' || g, 'team', '{}', 0, 1000, 3600000, now() + interval '1 hour' FROM generate_series(1, 300) g;
      INSERT INTO alert_group_members (group_key, receiver, fingerprint, starts_at)
        SELECT 'k' || g, 'team', 'fp' || g, now() FROM generate_series(1, 300) g;
      INSERT INTO alert_episodes (fingerprint, starts_at, alertname, severity, labels, fired_at)
        SELECT 'fp' || g, now(), 'A' || g, 'high', '{}', now() FROM generate_series(1, 300) g;
      INSERT INTO alert_history (id, fingerprint, episode_starts_at, alertname, severity, event, actor, at)
        SELECT gen_random_uuid(), 'fp' || g, now(), 'A' || g, 'high', 'fired', 'api', now()
          FROM generate_series(1, 300) g;
      INSERT INTO notifications (dedupe_key, fingerprint, alert_status, receiver, integration, payload, status)
        SELECT 'd' || g, 'fp' || g, 'firing', 'team', 'webhook:0', '{}', 'delivered' FROM generate_series(1, 300) g;
      ANALYZE`);
    // As the alert pipeline's own sessions run (PreparedTransactions).
    await db.query(`SET enable_seqscan = off`);
  });

  afterAll(async () => {
    await db?.end();
    await h?.stop();
  });

  /** The SQL a repository call sends, captured without running it. */
  const statementsOf = async (call: (tx: Transaction) => Promise<unknown>): Promise<string[]> => {
    const statements: string[] = [];
    const recording: Transaction = {
      query: <T>(sql: string) => {
        statements.push(sql);
        return Promise.resolve([[], 0] as T);
      },
    };
    await call(recording).catch(() => undefined);
    return statements;
  };

  const now = new Date();
  const alert = {
    fingerprint: 'f',
    labels: { alertname: 'A' },
    annotations: {},
    generatorURL: null,
    startsAt: now,
    endsAt: now,
    status: 'firing' as const,
  };
  const group = { groupKey: 'k', receiver: 'r' };
  const timings = { groupWaitMs: 0, groupIntervalMs: 1, repeatIntervalMs: 1 };

  it.each<[string, (tx: Transaction) => Promise<unknown>]>([
    ['findAll', (tx) => h.app.get(AlertRepository).findAll(tx, ['f'])],
    ['saveAll', (tx) => h.app.get(AlertRepository).saveAll(tx, [alert])],
    [
      'track',
      (tx) =>
        h.app
          .get(AlertGroupRepository)
          .track(
            tx,
            [{ ...group, fingerprint: 'f', startsAt: now, transition: true, labels: {}, timings }],
            ['g'],
          ),
    ],
    ['claimDueWithMembers', (tx) => h.app.get(AlertGroupRepository).claimDueWithMembers(tx, 100)],
    [
      'removeMembersAll',
      (tx) => h.app.get(AlertGroupRepository).removeMembersAll(tx, [{ ...group, fingerprint: 'f' }]),
    ],
    [
      'afterFlushAll',
      (tx) =>
        h.app
          .get(AlertGroupRepository)
          .afterFlushAll(tx, [{ ...group, nextFlushInMs: 1, notifiedFiring: null }]),
    ],
    ['deleteIfEmptyAll', (tx) => h.app.get(AlertGroupRepository).deleteIfEmptyAll(tx, [group])],
    [
      'recordAll',
      (tx) =>
        h.app.get(EpisodeRepository).recordAll(tx, {
          open: [],
          resolve: [{ fingerprint: 'f', startsAt: now, at: now }],
          resolvedBy: 'x',
          history: [],
        }),
    ],
    [
      'enqueueClaimed',
      (tx) =>
        h.app.get(NotificationRepository).enqueueClaimed(
          tx,
          [
            {
              dedupeKey: 'd',
              fingerprint: 'f',
              alertStatus: 'firing',
              receiver: 'r',
              integration: 'webhook:0',
              payload: {} as never,
              action: null,
            },
          ],
          1,
        ),
    ],
    [
      'lockWritersExpectingNew',
      (tx) =>
        h.app
          .get(AlertIntakeRepository)
          .lockWritersExpectingNew(tx, { fingerprints: ['f'], groups: [group], silences: '' }),
    ],
    ['lockWritersIfJournalEmpty', (tx) => h.app.get(AlertIntakeRepository).lockWritersIfJournalEmpty(tx)],
    ['active silences', (tx) => h.app.get(SilenceRepository).active(now, tx)],
  ])('%s', async (_name, call) => {
    const statements = await statementsOf(call);
    expect(statements.length).toBeGreaterThan(0);
    for (const sql of statements) {
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (GENERIC_PLAN) ${sql}`);
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect({ sql, plan: GROWING.test(plan) ? plan : 'no sequential scan of a growing table' }).toEqual({
        sql,
        plan: 'no sequential scan of a growing table',
      });
    }
  });

  it('runs the pipeline sessions with sequential scans priced out', async () => {
    const setting = await h.app
      .get(AlertRepository)
      .transaction((tx) => tx.query<{ enable_seqscan: string }[]>(`SHOW enable_seqscan`));
    expect(setting).toEqual([{ enable_seqscan: 'off' }]);
  });
});
