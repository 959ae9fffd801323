import { startWebhookSink, waitFor, type RecordedRequest, type WebhookSink } from '@vigil/testing';

import {
  bodyOf,
  postAlerts,
  startAlerting,
  type AlertingHarness,
  writeAlertingConfig,
} from './alerting-harness';

const ofGroup = (alertname: string) => (r: RecordedRequest) => bodyOf(r).groupLabels?.alertname === alertname;
const summary = (r: RecordedRequest) =>
  bodyOf(r)
    .alerts.map((a) => `${a.labels.instance}:${a.status}`)
    .sort()
    .join(',');

/** group_by, group_wait, group_interval and repeat_interval, kept in Postgres; two replicas on one database. */
describe('alerting grouping (real Postgres, NATS, webhook receiver)', () => {
  let h: AlertingHarness;
  let replica: AlertingHarness;
  let sink: WebhookSink;

  beforeAll(async () => {
    sink = await startWebhookSink();
    const file = writeAlertingConfig(
      `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 3s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: [alertname="Repeating"]
      repeat_interval: 2s
receivers:
  - name: team
    webhook_configs:
      - url: ${sink.url}/team
`,
    );
    const env = { ALERT_WEBHOOK_URL: undefined, ALERTING_CONFIG_FILE: file };
    h = await startAlerting(env);
    replica = await startAlerting({ ...env, DATABASE_URL: h.databaseUrl });
  });

  afterAll(async () => {
    await replica?.stop();
    await h?.stop();
    await sink?.stop();
  });

  const instance = (alertname: string, name: string, extra: Record<string, unknown> = {}) => ({
    labels: { alertname, instance: name, severity: 'high' },
    startsAt: '2026-01-01T00:00:00Z',
    ...extra,
  });

  it('batches alerts of one group arriving within group_wait, across replicas, into one notification', async () => {
    await postAlerts(h.base, [instance('Batched', 'a')]);
    await postAlerts(replica.base, [instance('Batched', 'b')]);
    await postAlerts(h.base, [instance('Batched', 'c')]);
    const first = await sink.waitForRequest(ofGroup('Batched'));
    expect(summary(first)).toBe('a:firing,b:firing,c:firing');
    expect(bodyOf(first)).toMatchObject({
      receiver: 'team',
      groupKey: '{}:{alertname="Batched"}',
      commonLabels: { alertname: 'Batched', severity: 'high' },
      status: 'firing',
    });

    // A new member is told at the next group_interval, with the whole group.
    await postAlerts(replica.base, [instance('Batched', 'd')]);
    const second = await sink.waitForRequest((r) => ofGroup('Batched')(r) && summary(r).includes('d:'));
    expect(summary(second)).toBe('a:firing,b:firing,c:firing,d:firing');

    // A resolution is told with the alerts still firing; then the last ones resolve the group.
    await postAlerts(h.base, [
      instance('Batched', 'a', { endsAt: new Date(Date.now() - 1000).toISOString() }),
    ]);
    const third = await sink.waitForRequest(
      (r) => ofGroup('Batched')(r) && summary(r).includes('a:resolved'),
    );
    expect(summary(third)).toBe('a:resolved,b:firing,c:firing,d:firing');
    expect(bodyOf(third).status).toBe('firing');

    const past = { endsAt: new Date(Date.now() - 1000).toISOString() };
    await postAlerts(
      replica.base,
      ['b', 'c', 'd'].map((name) => instance('Batched', name, past)),
    );
    const last = await sink.waitForRequest((r) => ofGroup('Batched')(r) && bodyOf(r).status === 'resolved');
    expect(summary(last)).toBe('b:resolved,c:resolved,d:resolved');
    // Re-sending what is already known changes nothing: every notification above was sent exactly once.
    await postAlerts(h.base, [instance('Batched', 'b', past)]);
    await postAlerts(h.base, [instance('Sentinel', 'z')]);
    await sink.waitForRequest(ofGroup('Sentinel'));
    expect(sink.requests.filter(ofGroup('Batched')).map(summary)).toEqual([
      'a:firing,b:firing,c:firing',
      'a:firing,b:firing,c:firing,d:firing',
      'a:resolved,b:firing,c:firing,d:firing',
      'b:resolved,c:resolved,d:resolved',
    ]);
  });

  it('sends each notification once with two replicas flushing and delivering from one database', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `Replicated${i}`);
    await Promise.all(
      names.map((name, i) => postAlerts(i % 2 ? replica.base : h.base, [instance(name, 'x')])),
    );
    await waitFor(() => names.every((name) => sink.requests.some(ofGroup(name))), {
      timeoutMs: 20_000,
      description: 'every replicated alert delivered',
    });
    await postAlerts(replica.base, [instance('Sentinel2', 'z')]);
    await sink.waitForRequest(ofGroup('Sentinel2'));
    for (const name of names) expect(sink.requests.filter(ofGroup(name))).toHaveLength(1);
  });

  it('repeats a notification after repeat_interval while the group keeps firing', async () => {
    await postAlerts(h.base, [instance('Repeating', 'r')]);
    await waitFor(() => sink.requests.filter(ofGroup('Repeating')).length >= 2, {
      timeoutMs: 15_000,
      description: 'a repeated notification',
    });
    const [first, again] = sink.requests.filter(ofGroup('Repeating'));
    expect(summary(again)).toBe(summary(first));
    expect(again.receivedAt.getTime() - first.receivedAt.getTime()).toBeGreaterThanOrEqual(1900);
  });
});
