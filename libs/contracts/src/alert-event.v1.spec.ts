import { z } from 'zod';

import {
  ALERT_FIRED_SUBJECT,
  ALERT_RESOLVED_SUBJECT,
  alertEventV1Schema,
  priorityOf,
  SEVERITIES,
} from './alert-event.v1';

const fired = {
  labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'billing-api', instance: 'pod-1' },
  annotations: { summary: '5xx above 5%' },
  startsAt: '2025-01-06T09:30:00.123456789Z',
  generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
};

describe('alertEventV1Schema', () => {
  it('parses an Alertmanager-shaped alert, keeping extra labels and dropping extra fields', () => {
    const parsed = alertEventV1Schema.parse({ ...fired, status: 'firing', fingerprint: 'abc' });
    expect(parsed).toEqual(fired);
  });

  it('defaults annotations to {} and accepts endsAt', () => {
    const { annotations: _a, ...rest } = fired;
    const parsed = alertEventV1Schema.parse({ ...rest, endsAt: '2025-01-06T10:00:00+00:00' });
    expect(parsed.annotations).toEqual({});
    expect(parsed.endsAt).toBe('2025-01-06T10:00:00+00:00');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a wrong severity', { labels: { ...fired.labels, severity: 'warning' } }, 'labels.severity'],
    ['a missing alertname', { labels: { severity: 'low', service: 's' } }, 'labels.alertname'],
    ['a missing service', { labels: { alertname: 'A', severity: 'low' } }, 'labels.service'],
    ['a non-string label', { labels: { ...fired.labels, replica: 1 } }, 'labels.replica'],
    ['a bad startsAt', { startsAt: 'yesterday' }, 'startsAt'],
    ['a bad generatorURL', { generatorURL: 'not a url' }, 'generatorURL'],
  ])('rejects %s, naming the field', (_label, patch, field) => {
    const result = alertEventV1Schema.safeParse({ ...fired, ...patch });
    expect(result.success).toBe(false);
    expect(z.prettifyError(result.error!)).toContain(`at ${field}`);
  });

  it('has the subjects', () => {
    expect(ALERT_FIRED_SUBJECT).toBe('alerts.v1.fired');
    expect(ALERT_RESOLVED_SUBJECT).toBe('alerts.v1.resolved');
  });
});

describe('priorityOf', () => {
  it('maps critical to P1, high to P2, medium and low to P3', () => {
    expect(SEVERITIES.map((s) => [s, priorityOf(s)])).toEqual([
      ['critical', 'P1'],
      ['high', 'P2'],
      ['medium', 'P3'],
      ['low', 'P3'],
    ]);
  });
});
