import { Counter, Registry } from 'prom-client';

import type { AuditEventV1 } from '@vigil/contracts';

import {
  ADMIN_ACTION_LABELS_MAX,
  ActivityMetrics,
  AUDIT_ADMIN_ACTIONS,
  AUDIT_PRIVACY_EVENTS,
} from './activity-metrics';

function setup() {
  const registry = new Registry();
  const privacy = new Counter({
    name: AUDIT_PRIVACY_EVENTS,
    help: 'x',
    labelNames: ['source', 'outcome'],
    registers: [registry],
  });
  const admin = new Counter({
    name: AUDIT_ADMIN_ACTIONS,
    help: 'x',
    labelNames: ['source', 'action'],
    registers: [registry],
  });
  const values = async (counter: Counter<string>) =>
    Object.fromEntries(
      (await counter.get()).values.map((v) => [Object.values(v.labels).join(' '), v.value] as const),
    );
  return { metrics: new ActivityMetrics(privacy, admin), privacy, admin, values };
}

const event = (overrides: Partial<AuditEventV1>): AuditEventV1 => ({
  id: '00000000-0000-4000-8000-000000000001',
  occurred_at: '2026-11-22T10:00:00Z',
  source: 'shop',
  actor: { type: 'user', id: 'u1' },
  action: 'profile.viewed',
  resource: { type: 'user', id: '42' },
  outcome: 'success',
  ...overrides,
});

describe('ActivityMetrics', () => {
  it('counts privacy actions by source and outcome, every outcome present from the first one', async () => {
    const { metrics, privacy, values } = setup();
    metrics.record(event({ action: 'privacy.settings.updated' }));
    expect(await values(privacy)).toEqual({ 'shop success': 1, 'shop failure': 0, 'shop denied': 0 });
    metrics.record(event({ action: 'privacy.settings.updated', outcome: 'failure' }));
    metrics.record(event({ action: 'profile.viewed', outcome: 'failure' }));
    expect(await values(privacy)).toEqual({ 'shop success': 1, 'shop failure': 1, 'shop denied': 0 });
  });

  it('counts admin actions by source and action, and only admin ones', async () => {
    const { metrics, admin, values } = setup();
    metrics.record(event({ actor: { type: 'admin', id: 'a1' }, action: 'admin.economy_field.changed' }));
    metrics.record(event({ actor: { type: 'admin', id: 'a1' }, action: 'admin.economy_field.changed' }));
    metrics.record(
      event({ source: 'wallet', actor: { type: 'admin', id: 'a2' }, action: 'admin.profile.viewed' }),
    );
    metrics.record(event({ actor: { type: 'user', id: 'u1' }, action: 'admin.economy_field.changed' }));
    expect(await values(admin)).toEqual({
      'shop admin.economy_field.changed': 2,
      'wallet admin.profile.viewed': 1,
    });
  });

  it('keeps the action label bounded: actions past the limit count as other', async () => {
    const { metrics, admin } = setup();
    for (let i = 0; i <= ADMIN_ACTION_LABELS_MAX + 5; i += 1)
      metrics.record(event({ actor: { type: 'admin', id: 'a1' }, action: `admin.action_${i}.done` }));
    const series = (await admin.get()).values;
    expect(series).toHaveLength(ADMIN_ACTION_LABELS_MAX + 1);
    expect(series.find((v) => v.labels.action === 'other')?.value).toBe(6);
  });
});
