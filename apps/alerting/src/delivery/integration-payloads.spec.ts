import { pagerDutyDedupKey, pagerDutyEventOf, slackMessageOf } from './integration-payloads';
import { buildWebhookPayload } from './webhook-payload';

const alert = (status: 'firing' | 'resolved') => ({
  fingerprint: 'abcdef0123456789',
  labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'shop' },
  annotations: { summary: 'errors above 5%, ask jane.doe@example.com' },
  generatorURL: null,
  startsAt: new Date('2026-11-22T10:00:00Z'),
  endsAt: new Date('2026-11-22T10:05:00Z'),
  status,
});
const group = {
  key: '{}/{severity="critical"}:{alertname="HighErrorRate"}',
  labels: { alertname: 'HighErrorRate' },
};

describe('PagerDuty Events v2', () => {
  const integration = {
    kind: 'pagerduty' as const,
    routingKey: 'R0UT1NG',
    url: 'http://pd',
    sendResolved: true,
  };

  it('triggers with the documented required fields and a dedup_key stable per group', () => {
    const event = pagerDutyEventOf(
      buildWebhookPayload(alert('firing'), 'pager', 'http://vigil', group),
      integration,
    );
    expect(event).toMatchObject({
      routing_key: 'R0UT1NG',
      event_action: 'trigger',
      dedup_key: pagerDutyDedupKey(group.key),
      payload: { source: 'shop', severity: 'critical', summary: expect.stringContaining('HighErrorRate') },
    });
    expect(event.dedup_key).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(event)).not.toContain('jane.doe@example.com');
  });

  it('resolves and acknowledges the same dedup_key without a payload', () => {
    const payload = buildWebhookPayload(alert('resolved'), 'pager', 'http://vigil', group);
    const resolve = pagerDutyEventOf(payload, integration);
    expect(resolve).toMatchObject({ event_action: 'resolve', dedup_key: pagerDutyDedupKey(group.key) });
    expect(resolve.payload).toBeUndefined();
    expect(pagerDutyEventOf(payload, integration, 'acknowledge').event_action).toBe('acknowledge');
  });
});

describe('Slack incoming webhook', () => {
  it('sends text and blocks, redacted, to the configured channel', () => {
    const message = slackMessageOf(buildWebhookPayload(alert('firing'), 'chat', 'http://vigil', group), {
      kind: 'slack',
      apiUrl: 'http://slack',
      channel: '#ops',
      sendResolved: false,
    });
    expect(message.channel).toBe('#ops');
    expect(message.text).toMatch(/^\[FIRING:1\] HighErrorRate/);
    expect(message.blocks.map((b) => b.type)).toEqual(['header', 'section']);
    expect(JSON.stringify(message)).not.toContain('jane.doe@example.com');
  });
});
