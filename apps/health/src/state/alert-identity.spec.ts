import { alertLabels, alertNameFor, pendingAlert } from './alert-identity';

describe('alert identity', () => {
  it('names the alert by kind, and a heartbeat by the failure that turned it down', () => {
    for (const kind of ['http', 'tcp', 'postgres', 'nats', 'synthetic'])
      expect(alertNameFor(kind)).toBe('ServiceDown');
    expect(alertNameFor('heartbeat', 'missing')).toBe('HeartbeatMissing');
    expect(alertNameFor('heartbeat', 'failed')).toBe('HeartbeatFailed');
    expect(alertNameFor('heartbeat')).toBe('HeartbeatFailed');
    expect(alertNameFor('sql', 'failed')).toBe('SqlCheckFailed');
    // `missing` names a heartbeat's alert only.
    expect(alertNameFor('http', 'missing')).toBe('ServiceDown');
  });

  it('labels the alert with severity, service, target, kind and the target labels, which cannot replace them', () => {
    const labels = alertLabels(
      {
        name: 'checkout',
        kind: 'synthetic',
        severity: 'medium',
        labels: { team: 'payments', severity: 'low', target: 'other' },
      },
      'ServiceDown',
    );
    expect(labels).toEqual({
      alertname: 'ServiceDown',
      severity: 'medium',
      service: 'checkout',
      target: 'checkout',
      kind: 'synthetic',
      team: 'payments',
    });
  });

  it('fires for a down target without an open alert, resolves an open one once not down', () => {
    expect(pendingAlert({ status: 'down', alertStartsAt: null })).toBe('fire');
    expect(pendingAlert({ status: 'down', alertStartsAt: '2026-12-07T10:00:00.000Z' })).toBeNull();
    expect(pendingAlert({ status: 'up', alertStartsAt: '2026-12-07T10:00:00.000Z' })).toBe('resolve');
    expect(pendingAlert({ status: 'up', alertStartsAt: null })).toBeNull();
    expect(pendingAlert({ status: 'unknown', alertStartsAt: null })).toBeNull();
  });
});
