import { DataSource } from 'typeorm';

import { api, postAlerts, startAlerting, type AlertingHarness } from './alerting-harness';

/** A small connection budget, so the bursts below also run with both pools at their smallest shares. */
const POOL_MAX = 5;

interface ListedAlert {
  labels: Record<string, string>;
  status: { state: string };
}
interface HistoryEvent {
  event: string;
  fingerprint: string;
  at: string;
}

/**
 * The intake journal behind POST /api/v2/alerts: requests arriving together are journalled and applied
 * in bulk behind the answers, yet a client reads what it posted, in the order it posted it.
 */
describe('alerting intake (real Postgres, real webhook receiver)', () => {
  let h: AlertingHarness;

  beforeAll(async () => {
    h = await startAlerting({ API_WRITE_RATE_PER_S: '0', DATABASE_POOL_MAX: String(POOL_MAX) });
  });

  afterAll(async () => {
    await h?.stop();
  });

  const burst = (name: string, requests: number, perRequest: number) =>
    Promise.all(
      Array.from({ length: requests }, (_, r) =>
        postAlerts(
          h.base,
          Array.from({ length: perRequest }, (_, i) => ({
            labels: { alertname: name, instance: `i-${r}-${i}`, severity: 'low' },
          })),
        ),
      ),
    );
  const listed = async (name: string) =>
    (await (
      await api(`${h.base}/api/v2/alerts?filter=${encodeURIComponent(`alertname="${name}"`)}`)
    ).json()) as ListedAlert[];
  const history = async (query: string) =>
    ((await (await api(`${h.base}/alerts/history?${query}`)).json()) as { events: HistoryEvent[] }).events;

  it('lists and records every alert of a burst as soon as its requests are answered', async () => {
    const before = Date.now();
    const answers = await burst('IntakeBurst', 12, 40);
    const answered = Date.now();
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const alerts = await listed('IntakeBurst');
    expect(new Set(alerts.map((a) => a.labels.instance)).size).toBe(480);
    expect(alerts.every((a) => a.status.state === 'active')).toBe(true);
    const fired = await history('alertname=IntakeBurst&event=fired&limit=1000');
    expect(fired).toHaveLength(480);
    // Each is recorded as of when it was received, not when the journal was applied.
    for (const event of fired) {
      expect(Date.parse(event.at)).toBeGreaterThanOrEqual(before - 5);
      expect(Date.parse(event.at)).toBeLessThanOrEqual(answered + 5);
    }
  });

  it('applies one client’s requests in the order it sent them, also while others keep the journal busy', async () => {
    const labels = { alertname: 'IntakeOrder', instance: 'db-1' };
    const noise = burst('IntakeNoise', 16, 50);
    expect((await postAlerts(h.base, [{ labels }])).status).toBe(200);
    const past = new Date(Date.now() - 1000).toISOString();
    expect((await postAlerts(h.base, [{ labels, endsAt: past }])).status).toBe(200);
    await noise;
    expect(await listed('IntakeOrder')).toEqual([]);
    const events = await history('alertname=IntakeOrder&limit=10');
    expect(events.map((e) => e.event).reverse()).toEqual(['fired', 'resolved']);
  });

  it('opens at most DATABASE_POOL_MAX connections, TypeORM’s pool and the pipeline’s together', async () => {
    await burst('IntakeBudget', 16, 20);
    expect((await listed('IntakeBudget')).length).toBe(320);
    const [{ open }] = await h.app
      .get(DataSource)
      .query<{ open: number }[]>(
        `SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database()`,
      );
    expect(open).toBeGreaterThanOrEqual(2);
    expect(open).toBeLessThanOrEqual(POOL_MAX);
    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^db_pool_connections_max ${POOL_MAX}$`, 'm'));
  });
});
