import { translateAlertMessage } from './alert-event.translator';

const encode = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const now = new Date('2026-11-22T10:00:00.000Z');
const event = (overrides: Record<string, unknown> = {}) => ({
  labels: { alertname: 'EconomyFieldChanged', severity: 'high', service: 'audit' },
  annotations: { summary: 'balance edited' },
  startsAt: '2026-11-22T09:59:00Z',
  ...overrides,
});

describe('translateAlertMessage', () => {
  it('keeps a fired alert open-ended so the resolve timeout applies', () => {
    const result = translateAlertMessage('alerts.v1.fired', encode(event()), now);
    expect(result).toEqual({
      ok: true,
      alert: {
        labels: { alertname: 'EconomyFieldChanged', severity: 'high', service: 'audit' },
        annotations: { summary: 'balance edited' },
        startsAt: new Date('2026-11-22T09:59:00Z'),
        endsAt: undefined,
        generatorURL: undefined,
      },
    });
  });

  it('resolves now a resolved alert without endsAt, and keeps an explicit endsAt', () => {
    const implicit = translateAlertMessage('alerts.v1.resolved', encode(event()), now);
    expect(implicit.ok && implicit.alert.endsAt).toEqual(now);
    const explicit = translateAlertMessage(
      'alerts.v1.resolved',
      encode(event({ endsAt: '2026-11-22T09:59:30Z' })),
      now,
    );
    expect(explicit.ok && explicit.alert.endsAt).toEqual(new Date('2026-11-22T09:59:30Z'));
  });

  it('rejects bytes that are not JSON', () => {
    expect(translateAlertMessage('alerts.v1.fired', encode('{nope'), now)).toMatchObject({
      ok: false,
      reason: 'not_json',
    });
  });

  it('rejects a schema violation naming the field', () => {
    const result = translateAlertMessage(
      'alerts.v1.fired',
      encode(event({ labels: { alertname: 'X', severity: 'urgent', service: 'a' } })),
      now,
    );
    expect(result).toMatchObject({ ok: false, reason: 'schema' });
    expect(!result.ok && result.detail).toContain('labels.severity');
  });

  it('rejects other subjects of the ALERTS stream', () => {
    expect(translateAlertMessage('alerts.v1.acknowledged', encode(event()), now)).toMatchObject({
      ok: false,
      reason: 'subject',
    });
  });
});
