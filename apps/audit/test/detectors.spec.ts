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
  let economyByField: { id: string };
  let economyByBoth: { id: string };
  let seedPrivacy: { id: string };
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
    // Look-alikes first: by the time the alerts of the later events arrive, these were inspected too.
    await publish({ action: 'admin.profile.changed', changes: { balance: { before: 1, after: 2 } } });
    await publish({
      actor: { type: 'service', id: 'economy' },
      action: 'economy.transaction.applied',
      changes: { deltacoin_balance: { before: 1, after: 2 } },
    });
    await publish({
      action: 'admin.privacysettings.changed',
      resource: { type: 'privacysettings', id: 'p-lookalike' },
      changes: { profile_visibility: { before: 'PUBLIC', after: 'PRIVATE' } },
      metadata: { state: { profile_visibility: 'PRIVATE', show_social_links: 'False' } },
    });
    await publish({
      action: 'admin.economy_field.changed',
      changes: { lifetime_earnings: { before: 1, after: 1e6 } },
    });
    // An admin save that carries deltacoin_balance, and one event matching by action and by field.
    economyByField = await publish({
      action: 'admin.profile.changed',
      changes: { deltacoin_balance: { before: 10, after: 9000 } },
    });
    economyByBoth = await publish({
      action: 'admin.economy_field.changed',
      changes: { deltacoin_balance: { before: 10, after: 9000 } },
    });
    // Seed 000: PRIVATE with show_social_links=True, only the links changed (the rest in metadata.state).
    seedPrivacy = await publish({
      action: 'admin.privacysettings.changed',
      resource: { type: 'privacysettings', id: 'p-7' },
      changes: { show_social_links: { before: false, after: true } },
      metadata: { state: { profile_visibility: 'PRIVATE', show_social_links: true } },
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

  it('fires each rule once per matching event, with its severity, and nothing for the look-alikes', async () => {
    await waitFor(() => (alerts.length >= 7 ? true : null), {
      timeoutMs: 20_000,
      description: 'seven alerts',
    });
    const names = (name: string) => alerts.filter((a) => a.labels.alertname === name);
    expect(names('AdminEconomyFieldChanged').map((a) => a.labels.severity)).toEqual([
      'critical',
      'critical',
      'critical',
    ]);
    const economyEvents = names('AdminEconomyFieldChanged').map((a) => a.annotations.event_id);
    expect(economyEvents).toEqual(expect.arrayContaining([economyByField.id, economyByBoth.id]));
    expect(names('AdminBulkActionLarge').map((a) => a.labels.severity)).toEqual(['high']);
    expect(names('AdminSensitiveAccessRate').map((a) => a.labels)).toEqual([
      expect.objectContaining({ severity: 'high', actor_id: 'admin-kyc' }),
    ]);
    const privacy = names('PrivacySettingsContradictory');
    // u-5 is a user: its id is sealed, and alerts name it by its key's token, never in plaintext.
    expect(privacy.map((a) => a.labels.resource_id).sort()).toEqual([
      'p-7',
      expect.stringMatching(/^vigil-enc:v1:[A-Za-z0-9_-]{22}$/),
    ]);
    expect(privacy.find((a) => a.labels.resource_id === 'p-7')?.annotations).toMatchObject({
      event_id: seedPrivacy.id,
      summary: 'privacysettings p-7 saved private with public sections: show_social_links',
    });
    expect(privacy.every((a) => a.labels.severity === 'medium')).toBe(true);
    // The look-alikes were published first, so they were inspected before these alerts came.
    expect(alerts).toHaveLength(7);
  });

  it('answers audit.v1.summary with admin activity, sensitive access, privacy changes and detections', async () => {
    const reply = await client.request(
      AUDIT_SUMMARY_SUBJECT,
      JSON.stringify({ from: periodStart, to: new Date(Date.now() + 60_000).toISOString() }),
      { timeout: 5000 },
    );
    const summary = auditSummaryReplyV1Schema.parse(decodeJson(reply.data));
    expect(summary.total_events).toBe(14);
    expect(summary.privacy_changes).toBe(1);
    expect(summary.admin_activity).toEqual({ 'admin-1': 8, 'admin-kyc': 4 });
    expect(summary.sensitive_access).toEqual({ 'admin-kyc': 4 });
    expect(summary.detections).toEqual({
      AdminBulkActionLarge: 1,
      AdminEconomyFieldChanged: 3,
      AdminSensitiveAccessRate: 1,
      PrivacySettingsContradictory: 2,
    });
  });
});
