import fs from 'node:fs';
import path from 'node:path';

import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';

import {
  ALERT_FIRED_SUBJECT,
  alertEventV1Schema,
  AUDIT_SUMMARY_SUBJECT,
  auditEventSubject,
  auditSummaryReplyV1Schema,
  decodeJson,
  type AlertEventV1,
} from '@vigil/contracts';
import { startService } from '@vigil/platform';
import {
  freePort,
  startNatsServer,
  testDatabaseUrl,
  waitFor,
  type NatsServerHandle,
  tempDir,
} from '@vigil/testing';

import { DEFAULT_RULES_FILE } from '../src/config/detector-rules';
import { auditService } from '../src/service';
import { auditEvent, encode } from './audit-factory';

describe('detectors publish AlertEvents on alerts.v1.fired; summary counts them (real NATS + Postgres)', () => {
  let nats: NatsServerHandle;
  let app: INestApplication;
  let client: NatsConnection;
  let sub: Subscription;
  const alerts: AlertEventV1[] = [];
  const periodStart = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    // The shipped rules with the access threshold lowered to 2 per hour, as an operator would.
    const rulesFile = path.join(tempDir('audit-rules-'), 'rules.yaml');
    fs.writeFileSync(
      rulesFile,
      fs.readFileSync(DEFAULT_RULES_FILE, 'utf8').replace('threshold: 20', 'threshold: 2'),
    );
    nats = await startNatsServer();
    client = await connect({ servers: nats.url });
    sub = client.subscribe(ALERT_FIRED_SUBJECT, {
      callback: (_error, msg) => {
        alerts.push(alertEventV1Schema.parse(decodeJson(msg.data)));
      },
    });
    app = await startService(
      auditService,
      {
        PORT: String(await freePort()),
        NATS_URL: nats.url,
        DATABASE_URL: await testDatabaseUrl(),
        LOG_LEVEL: 'warn',
        AUDIT_RULES_FILE: rulesFile,
      },
      { logger: false },
    );
    const js = jetstream(client);
    const publish = async (overrides: Record<string, unknown>) => {
      const e = auditEvent(overrides);
      await js.publish(auditEventSubject('shop'), encode(e), { msgID: e.id });
      return e;
    };
    await publish({
      action: 'admin.economy_field.changed',
      changes: { lifetime_earnings: { before: 1, after: 1e6 } },
    });
    await publish({ action: 'admin.bulk_action.executed', metadata: { affected_count: 250 } });
    await publish({ action: 'admin.bulk_action.executed', metadata: { affected_count: 3 } });
    for (let i = 0; i < 4; i++) {
      await publish({
        actor: { type: 'admin', id: 'admin-kyc' },
        action: 'admin.kyc.viewed',
        resource: { type: 'kyc', id: `k-${i}` },
      });
    }
    await publish({
      actor: { type: 'user', id: 'u-5' },
      action: 'privacy.settings.updated',
      resource: { type: 'user', id: 'u-5' },
      changes: {
        profile_visibility: { before: 'public', after: 'private' },
        friends_visibility: { before: 'public', after: 'public' },
      },
    });
  });

  afterAll(async () => {
    sub?.unsubscribe();
    await client?.close();
    await app?.close();
    await nats?.stop();
  });

  it('fires each rule once, with its severity', async () => {
    await waitFor(() => (alerts.length >= 4 ? true : null), {
      timeoutMs: 20_000,
      description: 'four alerts',
    });
    const byName = Object.fromEntries(alerts.map((a) => [a.labels.alertname, a]));
    expect(Object.keys(byName).sort()).toEqual([
      'AdminBulkActionLarge',
      'AdminEconomyFieldChanged',
      'AdminSensitiveAccessRate',
      'PrivacySettingsContradictory',
    ]);
    expect(byName.AdminEconomyFieldChanged.labels.severity).toBe('critical');
    expect(byName.AdminBulkActionLarge.labels.severity).toBe('high');
    expect(byName.AdminSensitiveAccessRate.labels).toMatchObject({ severity: 'high', actor_id: 'admin-kyc' });
    expect(byName.PrivacySettingsContradictory.labels.severity).toBe('medium');
    expect(alerts).toHaveLength(4);
  });

  it('answers audit.v1.summary with admin activity, sensitive access, privacy changes and detections', async () => {
    const reply = await client.request(
      AUDIT_SUMMARY_SUBJECT,
      JSON.stringify({ from: periodStart, to: new Date(Date.now() + 60_000).toISOString() }),
      { timeout: 5000 },
    );
    const summary = auditSummaryReplyV1Schema.parse(decodeJson(reply.data));
    expect(summary.total_events).toBe(8);
    expect(summary.privacy_changes).toBe(1);
    expect(summary.admin_activity).toEqual({ 'admin-1': 3, 'admin-kyc': 4 });
    expect(summary.sensitive_access).toEqual({ 'admin-kyc': 4 });
    expect(summary.detections).toEqual({
      AdminBulkActionLarge: 1,
      AdminEconomyFieldChanged: 1,
      AdminSensitiveAccessRate: 1,
      PrivacySettingsContradictory: 1,
    });
  });
});
