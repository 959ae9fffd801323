import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';

import {
  ALERTING_SUMMARY_SUBJECT,
  alertingSummaryReplyV1Schema,
  auditEventV1Schema,
  type AuditEventV1,
} from '@vigil/contracts';
import { startWebhookSink, waitFor, type RecordedRequest, type WebhookSink } from '@vigil/testing';

import { EscalationService } from '../src/incidents/escalation.service';
import {
  api,
  bodyOf,
  postAlerts,
  startAlerting,
  type AlertingHarness,
  writeAlertingConfig,
} from './alerting-harness';

interface PdEvent {
  event_action: string;
  dedup_key: string;
  payload?: { summary: string };
}
interface HistoryJson {
  event: string;
  actor: string;
  comment: string | null;
  fingerprint: string;
  details: Record<string, unknown> | null;
}

const MINUTE = 60_000;

/** Acknowledge, resolve, false positive, escalation with a fake clock, history and MTTA/MTTR. */
describe('alerting incidents (real Postgres, NATS, HTTP receivers)', () => {
  let h: AlertingHarness;
  let sink: WebhookSink;
  let client: NatsConnection;
  let auditSub: Subscription;
  const audits: AuditEventV1[] = [];

  beforeAll(async () => {
    sink = await startWebhookSink();
    const file = writeAlertingConfig(
      `
route:
  receiver: team
  group_wait: 0s
  group_interval: 1s
  group_by: [alertname]
  routes:
    - matchers: [severity="critical"]
      receiver: pager
receivers:
  - name: team
    webhook_configs: [{ url: "${sink.url}/team" }]
  - name: pager
    pagerduty_configs: [{ routing_key: pd-key, url: "${sink.url}/pd" }]
  - name: secondary
    webhook_configs: [{ url: "${sink.url}/secondary" }]
  - name: manager
    webhook_configs: [{ url: "${sink.url}/manager" }]
escalation_policies:
  - name: p1
    matchers: [severity="critical"]
    steps:
      - { after: 10m, receiver: secondary }
      - { after: 20m, receiver: manager }
    repeat_interval: 30m
`,
    );
    h = await startAlerting({ ALERT_WEBHOOK_URL: undefined, ALERTING_CONFIG_FILE: file });
    client = await connect({ servers: h.nats.url });
    auditSub = client.subscribe('audit.v1.events.alerting', {
      callback: (_error, msg) => {
        audits.push(auditEventV1Schema.parse(msg.json()));
      },
    });
  });

  afterAll(async () => {
    auditSub?.unsubscribe();
    await client?.close();
    await h?.stop();
    await sink?.stop();
  });

  const fire = async (alertname: string, severity = 'critical'): Promise<string> => {
    expect((await postAlerts(h.base, [{ labels: { alertname, severity, service: 'shop' } }])).status).toBe(
      200,
    );
    const listed = (await (await api(`${h.base}/api/v2/alerts?filter=alertname%3D${alertname}`)).json()) as {
      fingerprint: string;
    }[];
    expect(listed).toHaveLength(1);
    return listed[0].fingerprint;
  };
  const act = (fingerprint: string, action: string, body: unknown) =>
    api(`${h.base}/api/v2/alerts/${fingerprint}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const history = async (query: string) =>
    ((await (await api(`${h.base}/alerts/history?${query}`)).json()) as { events: HistoryJson[] }).events;
  const pd = (alertname: string, action: string) => (r: RecordedRequest) =>
    r.path === '/pd' && (r.body as PdEvent).event_action === action && r.rawBody.includes(alertname);

  it('acknowledges: records who and why, stops escalation, tells PagerDuty and the audit trail', async () => {
    const fingerprint = await fire('AckCheckout');
    const trigger = await sink.waitForRequest(pd('AckCheckout', 'trigger'));
    const res = await act(fingerprint, 'ack', { who: 'alice', comment: 'looking at it' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      fingerprint,
      acknowledgedBy: 'alice',
      acknowledgedAt: expect.any(String),
      escalation: { policy: 'p1', nextAt: null },
    });
    const ack = await sink.waitForRequest(
      (r) => r.path === '/pd' && (r.body as PdEvent).event_action === 'acknowledge',
    );
    expect((ack.body as PdEvent).dedup_key).toBe((trigger.body as PdEvent).dedup_key);

    const audit = await waitFor(() => audits.find((a) => a.resource.id === fingerprint));
    expect(audit).toMatchObject({
      source: 'alerting',
      action: 'alert.acknowledged',
      actor: { type: 'user', id: 'alice' },
      resource: { type: 'alert', id: fingerprint },
      metadata: { alertname: 'AckCheckout', comment: 'looking at it' },
    });
    const events = await history(`fingerprint=${fingerprint}`);
    expect(events.map((e) => `${e.event}:${e.actor}`)).toEqual(['acknowledged:alice', 'fired:api']);
  });

  it('escalates an unacknowledged P1 step by step on a fake clock, once per step, until acknowledged', async () => {
    const fingerprint = await fire('EscalatedOutage');
    const escalation = h.app.get(EscalationService);
    const t0 = Date.now();
    const toldAt = async (offsetMs: number) => escalation.escalate(new Date(t0 + offsetMs));
    const about = (path: string) => (r: RecordedRequest) =>
      r.path === path && bodyOf(r).alerts.some((a) => a.fingerprint === fingerprint);

    expect(await toldAt(9 * MINUTE)).toBe(0);
    expect(await toldAt(10 * MINUTE + 1000)).toBe(1);
    expect(await toldAt(10 * MINUTE + 2000)).toBe(0);
    const secondary = await sink.waitForRequest(about('/secondary'));
    expect(bodyOf(secondary)).toMatchObject({ receiver: 'secondary', status: 'firing' });

    expect(await toldAt(20 * MINUTE + 1000)).toBe(1);
    await sink.waitForRequest(about('/manager'));
    expect(await toldAt(40 * MINUTE)).toBe(0);
    expect(await toldAt(50 * MINUTE + 2000)).toBe(1);
    await waitFor(() => sink.requests.filter(about('/manager')).length === 2);

    expect((await act(fingerprint, 'ack', { who: 'bob' })).status).toBe(200);
    expect(await toldAt(2 * 60 * MINUTE)).toBe(0);
    const escalated = await history(`fingerprint=${fingerprint}&event=escalated`);
    expect(escalated.map((e) => e.details?.receiver)).toEqual(['manager', 'manager', 'secondary']);
    expect(sink.requests.filter(about('/secondary'))).toHaveLength(1);
  });

  it('resolves by hand: receivers are told it resolved, PagerDuty resolves the incident', async () => {
    const fingerprint = await fire('ManualResolve');
    await sink.waitForRequest(pd('ManualResolve', 'trigger'));
    const res = await act(fingerprint, 'resolve', { who: 'carol', comment: 'fixed the config' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ resolvedBy: 'carol', resolvedAt: expect.any(String) });
    await sink.waitForRequest((r) => r.path === '/pd' && (r.body as PdEvent).event_action === 'resolve');
    expect(await (await api(`${h.base}/api/v2/alerts?filter=alertname%3DManualResolve`)).json()).toEqual([]);
    expect((await history(`fingerprint=${fingerprint}&actor=carol`))[0]).toMatchObject({
      event: 'resolved_manually',
      comment: 'fixed the config',
    });
  });

  it('marks false positives, answers 404/409/400 for unknown, resolved or anonymous actions', async () => {
    const fingerprint = await fire('FlakyProbe', 'high');
    const res = await act(fingerprint, 'false-positive', { who: 'dave' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ falsePositive: true, resolvedBy: 'dave' });

    expect((await act('0000000000000000', 'ack', { who: 'x' })).status).toBe(404);
    const conflict = await act(fingerprint, 'ack', { who: 'x' });
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({
      error: 'conflict',
      message: expect.stringMatching(/not firing/),
    });
    const anonymous = await act(fingerprint, 'ack', {});
    expect(anonymous.status).toBe(400);
    expect((await api(`${h.base}/alerts/history?event=bogus`)).status).toBe(400);
  });

  it('reports counts, MTTA, MTTR, false-positive rate and the noisiest alerts over alerting.v1.summary', async () => {
    await fire('StillFiring', 'medium');
    const from = new Date(Date.now() - 60 * MINUTE).toISOString();
    const to = new Date(Date.now() + MINUTE).toISOString();
    const reply = alertingSummaryReplyV1Schema.parse(
      (
        await client.request(ALERTING_SUMMARY_SUBJECT, JSON.stringify({ from, to }), { timeout: 5000 })
      ).json(),
    );
    expect(reply).toMatchObject({
      episodes: 5,
      acknowledged: 2,
      false_positives: 1,
      false_positive_rate: 0.2,
      mtta_s: expect.any(Number),
      mttr_s: expect.any(Number),
      by_alertname: { AckCheckout: 1, EscalatedOutage: 1, ManualResolve: 1, FlakyProbe: 1, StillFiring: 1 },
    });
    expect(reply.top_noisy).toHaveLength(5);
    // The current status of each: acknowledged, resolved by hand or as a false positive, still firing.
    expect(reply.top_alerts).toEqual([
      { alertname: 'AckCheckout', severity: 'critical', count: 1, status: 'acknowledged' },
      { alertname: 'EscalatedOutage', severity: 'critical', count: 1, status: 'acknowledged' },
      { alertname: 'FlakyProbe', severity: 'high', count: 1, status: 'resolved' },
      { alertname: 'ManualResolve', severity: 'critical', count: 1, status: 'resolved' },
      { alertname: 'StillFiring', severity: 'medium', count: 1, status: 'firing' },
    ]);
    // The same reply over HTTP (GET /alerts/summary, any valid key), with the same severities filter.
    const window = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const overHttp = await api(`${h.base}/alerts/summary?${window}`);
    expect(overHttp.status).toBe(200);
    // The outbox keeps delivering between the two reads, so its counters may have moved; the rest is equal.
    const outbox = { delivered: expect.any(Number), failed: expect.any(Number) };
    expect(await overHttp.json()).toEqual({ ...reply, ...outbox });
    const p3 = (await (await api(`${h.base}/alerts/summary?${window}&severities=medium,low`)).json()) as {
      episodes: number;
      by_alertname: Record<string, number>;
    };
    expect(p3).toMatchObject({ episodes: 1, by_alertname: { StillFiring: 1 } });
    const bad = await api(`${h.base}/alerts/summary?from=yesterday`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('from');
    expect((await fetch(`${h.base}/alerts/summary`)).status).toBe(401);
  });

  it('keeps the history across a restart', async () => {
    const before = await history('limit=1000');
    await h.app.close();
    const again = await startAlerting({ DATABASE_URL: h.databaseUrl, ALERT_WEBHOOK_URL: `${sink.url}/team` });
    try {
      const after = (
        (await (await api(`${again.base}/alerts/history?limit=1000`)).json()) as { events: HistoryJson[] }
      ).events;
      expect(after.length).toBeGreaterThanOrEqual(before.length);
      expect(after.map((e) => `${e.fingerprint}:${e.event}:${e.actor}`)).toEqual(
        expect.arrayContaining(before.map((e) => `${e.fingerprint}:${e.event}:${e.actor}`)),
      );
    } finally {
      await again.stop();
    }
  });
});
