import { DataSource } from 'typeorm';

import {
  startSmtpServer,
  startWebhookSink,
  waitFor,
  type RecordedRequest,
  type SmtpSink,
  type WebhookSink,
} from '@vigil/testing';

import { postAlerts, startAlerting, type AlertingHarness, writeAlertingConfig } from './alerting-harness';

interface PdEvent {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload?: { summary: string; source: string; severity: string };
}

const pdAbout = (alertname: string, action?: string) => (r: RecordedRequest) => {
  const event = r.body as PdEvent;
  return (
    (event.payload?.summary.includes(alertname) ?? r.rawBody.includes(alertname)) &&
    (action === undefined || event.event_action === action)
  );
};

/** Slack and PagerDuty receivers against real local HTTP servers standing in for their APIs; e-mail over real SMTP. */
describe('alerting Slack, PagerDuty and e-mail receivers (real HTTP and SMTP servers, Postgres, NATS)', () => {
  let h: AlertingHarness;
  let slack: WebhookSink;
  let pagerduty: WebhookSink;
  let smtp: SmtpSink;
  let db: DataSource;

  beforeAll(async () => {
    slack = await startWebhookSink();
    pagerduty = await startWebhookSink();
    smtp = await startSmtpServer();
    const file = writeAlertingConfig(
      `
route:
  receiver: chat
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  routes:
    - matchers: [severity="critical"]
      receiver: pager
    - matchers: [severity=~"medium|low"]
      receiver: digest
      group_by: [severity]
receivers:
  - name: digest
    email_configs:
      - to: oncall@example.com
        from: vigil@localhost
        smarthost: 127.0.0.1:${smtp.port}
        send_resolved: true
  - name: pager
    pagerduty_configs:
      - routing_key: r0ut1ngk3y
        url: ${pagerduty.url}/v2/enqueue
  - name: chat
    slack_configs:
      - api_url: ${slack.url}/services/T0/B0/X0
        channel: '#ops'
`,
    );
    h = await startAlerting({
      ALERTING_CONFIG_FILE: file,
      ALERT_WEBHOOK_URL: undefined,
      DELIVERY_MAX_ATTEMPTS: '5',
    });
    db = await new DataSource({ type: 'postgres', url: h.databaseUrl }).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await h?.stop();
    await slack?.stop();
    await pagerduty?.stop();
    await smtp?.stop();
  });

  const fire = (alertname: string, severity: string, endsAt?: string) =>
    postAlerts(h.base, [
      {
        labels: { alertname, severity, service: 'shop' },
        annotations: { summary: `${alertname} for jane.doe@example.com` },
        startsAt: '2026-01-01T00:00:00Z',
        ...(endsAt ? { endsAt } : {}),
      },
    ]);

  it('triggers then resolves one PagerDuty incident per group with the same dedup_key', async () => {
    await fire('PdCheckout', 'critical');
    const trigger = await pagerduty.waitForRequest(pdAbout('PdCheckout', 'trigger'));
    expect(trigger.path).toBe('/v2/enqueue');
    const event = trigger.body as PdEvent;
    expect(event).toMatchObject({
      routing_key: 'r0ut1ngk3y',
      event_action: 'trigger',
      payload: { source: 'shop', severity: 'critical' },
    });
    expect(event.dedup_key).toMatch(/^[0-9a-f]{64}$/);
    expect(trigger.rawBody).not.toContain('jane.doe@example.com');

    await fire('PdCheckout', 'critical', new Date(Date.now() - 1000).toISOString());
    const resolve = await pagerduty.waitForRequest(
      (r) =>
        (r.body as PdEvent).event_action === 'resolve' && (r.body as PdEvent).dedup_key === event.dedup_key,
    );
    expect((resolve.body as PdEvent).payload).toBeUndefined();
  });

  it('posts a Slack message with text and blocks to the channel', async () => {
    await fire('SlackLatency', 'high');
    const request = await slack.waitForRequest((r) => r.rawBody.includes('SlackLatency'));
    expect(request.path).toBe('/services/T0/B0/X0');
    expect(request.body).toMatchObject({
      channel: '#ops',
      text: expect.stringMatching(/^\[FIRING:1\] SlackLatency/),
      blocks: [{ type: 'header' }, { type: 'section' }],
    });
    expect(request.rawBody).not.toContain('jane.doe@example.com');
  });

  const notification = async (alertname: string) => {
    const rows = await db.query<{ status: string; attempts: number }[]>(
      `SELECT status, attempts FROM notifications WHERE receiver = 'pager' AND payload->'commonLabels'->>'alertname' = $1`,
      [alertname],
    );
    return rows[0];
  };

  it('retries PagerDuty on a 503 until it accepts', async () => {
    pagerduty.respondWith(503);
    await fire('PdRetry', 'critical');
    await waitFor(() => pagerduty.requests.filter(pdAbout('PdRetry')).length >= 2, { timeoutMs: 20_000 });
    pagerduty.respondWith(202);
    await waitFor(() => pagerduty.requests.some((r) => pdAbout('PdRetry')(r) && r.status === 202), {
      timeoutMs: 20_000,
    });
    await waitFor(async () => (await notification('PdRetry'))?.status === 'delivered');
    expect((await notification('PdRetry')).attempts).toBeGreaterThanOrEqual(3);
  });

  it('gives up at once when PagerDuty answers 400 (an invalid event is never retried)', async () => {
    pagerduty.respondWith(400);
    try {
      await fire('PdInvalid', 'critical');
      await waitFor(async () => (await notification('PdInvalid'))?.status === 'failed', {
        timeoutMs: 20_000,
      });
      expect((await notification('PdInvalid')).attempts).toBe(1);
      expect(pagerduty.requests.filter(pdAbout('PdInvalid'))).toHaveLength(1);
    } finally {
      pagerduty.respondWith(202);
    }
  });

  it('e-mails a group over SMTP, redacted, and its resolution when send_resolved is set', async () => {
    await fire('MailDiskSpace', 'low');
    const mail = await smtp.waitForMessage((m) => (m.text ?? '').includes('MailDiskSpace'));
    expect(mail.subject).toBe('[FIRING:1] severity=low');
    expect(mail.from?.text).toContain('vigil@localhost');
    expect(JSON.stringify(mail.to)).toContain('oncall@example.com');
    expect(mail.text).toContain('[firing] MailDiskSpace for [REDACTED:email]');
    expect(mail.html).toContain('MailDiskSpace');
    expect(`${mail.text}${String(mail.html)}`).not.toContain('jane.doe@example.com');

    await fire('MailDiskSpace', 'low', new Date(Date.now() - 1000).toISOString());
    const resolved = await smtp.waitForMessage((m) => m.subject === '[RESOLVED:1] severity=low');
    expect(resolved.text).toContain('[resolved] MailDiskSpace');
  });
});
