import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';

import { auditEventSubject } from '@vigil/contracts';
import { startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, waitFor, type NatsServerHandle } from '@vigil/testing';

import { auditService } from '../src/service';
import { API_KEYS_ENV, auditEvent, encode } from './audit-factory';

// The counters the privacy and admin-activity dashboards and the PrivacyEnforcementFailures and
// AdminEconomyEdits alert rules read (k8s/base/prometheus-rules/fleet.rules.yaml).
describe('audit activity metrics (real NATS JetStream + Postgres)', () => {
  let nats: NatsServerHandle;
  let app: INestApplication;
  let client: NatsConnection;
  let base: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startService(
      auditService,
      {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: await testDatabaseUrl(),
        LOG_LEVEL: 'warn',
        HEALTH_CHECK_INTERVAL_MS: '200',
        API_KEYS: API_KEYS_ENV,
      },
      { logger: false },
    );
    client = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await nats?.stop();
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
