import type { AlertState } from '../model/alert';
import { buildWebhookPayload, groupKeyOf } from './webhook-payload';

const alert = (overrides: Partial<AlertState> = {}): AlertState => ({
  fingerprint: '0123456789abcdef',
  labels: { service: 'shop', alertname: 'HighErrorRate', severity: 'critical' },
  annotations: { summary: 'error rate above 5%', description: 'ask jane@example.com' },
  generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
  startsAt: new Date('2026-11-22T10:00:00.000Z'),
  endsAt: new Date('2026-11-22T10:05:00.000Z'),
  status: 'firing',
  ...overrides,
});

describe('buildWebhookPayload', () => {
  it('has the Alertmanager version 4 shape, one alert per group', () => {
    const payload = buildWebhookPayload(alert(), 'default', 'http://alerting:3003');
    expect(payload).toEqual({
      version: '4',
      groupKey: '{}:{alertname="HighErrorRate", service="shop", severity="critical"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'default',
      groupLabels: { alertname: 'HighErrorRate', service: 'shop', severity: 'critical' },
      commonLabels: { alertname: 'HighErrorRate', service: 'shop', severity: 'critical' },
      commonAnnotations: { summary: 'error rate above 5%', description: 'ask [REDACTED:email]' },
      externalURL: 'http://alerting:3003',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'HighErrorRate', service: 'shop', severity: 'critical' },
          annotations: { summary: 'error rate above 5%', description: 'ask [REDACTED:email]' },
          startsAt: '2026-11-22T10:00:00.000Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
          fingerprint: '0123456789abcdef',
        },
      ],
    });
  });

  it('carries endsAt and status resolved for a resolved alert, and an empty generatorURL when unknown', () => {
    const payload = buildWebhookPayload(
      alert({ status: 'resolved', generatorURL: null }),
      'default',
      'http://x',
    );
    expect(payload.status).toBe('resolved');
    expect(payload.alerts[0]).toMatchObject({
      status: 'resolved',
      endsAt: '2026-11-22T10:05:00.000Z',
      generatorURL: '',
    });
  });

  it('redacts secrets anywhere in the body', () => {
    const payload = buildWebhookPayload(
      alert({ annotations: { runbook: 'https://ops:hunter2@wiki/runbook', token: 'abc123' } }),
      'default',
      'http://x',
    );
    const body = JSON.stringify(payload);
    expect(body).not.toContain('hunter2');
    expect(body).not.toContain('abc123');
    expect(body).not.toContain('jane@example.com');
  });
});

describe('groupKeyOf', () => {
  it('quotes values and sorts names', () => {
    expect(groupKeyOf({ b: 'x"y', a: '1' })).toBe('{}:{a="1", b="x\\"y"}');
  });
});
