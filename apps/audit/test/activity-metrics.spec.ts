import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { auditEventSubject } from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import { auditEvent, encode } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

// The counters the privacy and admin-activity dashboards and the PrivacyEnforcementFailures and
// AdminEconomyEdits alert rules read (k8s/base/prometheus-rules/fleet.rules.yaml).
describe('audit activity metrics (real NATS JetStream + Postgres)', () => {
  let audit: AuditHarness;
  let client: NatsConnection;
  let base: string;

  beforeAll(async () => {
    audit = await startAudit();
    ({ client, base } = audit);
  });

  afterAll(async () => {
    await audit?.stop();
  });

  it('counts stored privacy actions by outcome and admin actions by action', async () => {
    const js = jetstream(client);
    const events = [
      auditEvent({
        actor: { type: 'user', id: 'u1' },
        action: 'privacy.settings.updated',
        outcome: 'failure',
      }),
      auditEvent({ actor: { type: 'user', id: 'u2' }, action: 'privacy.settings.updated' }),
      auditEvent({ action: 'admin.economy_field.changed', changes: { balance: { before: 1, after: 2 } } }),
      auditEvent({ action: 'admin.economy_field.changed', changes: { balance: { before: 2, after: 3 } } }),
      auditEvent({ actor: { type: 'user', id: 'u3' }, action: 'wallet.settings.viewed' }),
    ];
    for (const event of events)
      await js.publish(auditEventSubject('shop'), encode(event), { msgID: event.id });

    const text = await waitFor(
      async () => {
        const t = await (await fetch(`${base}/metrics`)).text();
        return t.includes(
          'audit_admin_actions_total{source="shop",action="admin.economy_field.changed"} 2',
        ) && t.includes('audit_privacy_events_total{source="shop",outcome="success"} 1')
          ? t
          : undefined;
      },
      { timeoutMs: 15000, description: 'the five events counted' },
    );
    expect(text).toContain('audit_privacy_events_total{source="shop",outcome="failure"} 1');
    expect(text).toContain('audit_privacy_events_total{source="shop",outcome="denied"} 0');
    // Only admin actors' actions are admin activity.
    expect(text).not.toContain('action="wallet.settings.viewed"');
  });
});
