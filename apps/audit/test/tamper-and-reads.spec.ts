import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Client } from 'pg';

import {
  ALERT_FIRED_SUBJECT,
  ALERT_RESOLVED_SUBJECT,
  alertEventV1Schema,
  auditEventSubject,
  decodeJson,
  type AlertEventV1,
} from '@vigil/contracts';
import { hashApiKey } from '@vigil/platform';
import { waitFor } from '@vigil/testing';

import { API_KEYS_ENV, auditEvent, encode, readerHeaders } from './audit-factory';
import { RetentionService } from '../src/retention/retention.service';
import { startAudit, type AuditHarness } from './audit-harness';

const CHECKPOINT_INTERVAL_MS = 500;
const MONITOR_KEY = 'test-monitor-key-0123456789abcdef';
const API_KEYS = JSON.stringify([
  ...(JSON.parse(API_KEYS_ENV) as unknown[]),
  { name: 'monitor', hash: hashApiKey(MONITOR_KEY, { N: 1024 }), scopes: ['health:detailed'] },
]);

interface HealthComponent {
  name: string;
  status: string;
  last_error: string | null;
  details?: Record<string, unknown>;
}

describe('tampering raises AuditIntegrityBroken; reads of the trail are audited (real NATS + Postgres)', () => {
  let audit: AuditHarness;
  let client: NatsConnection;
  let db: Client;
  let base: string;
  const fired: AlertEventV1[] = [];
  const resolved: AlertEventV1[] = [];
  const subs: Subscription[] = [];

  const rows = async (where = 'true', params: unknown[] = []) =>
    Number((await db.query(`SELECT count(*) AS n FROM audit_events WHERE ${where}`, params)).rows[0].n);
  const readEvents = (action: string) => rows("event->>'action' = $1", [action]);

  const integrityComponent = async (): Promise<HealthComponent | undefined> => {
    const res = await fetch(`${base}/health/detailed`, {
      headers: { authorization: `Bearer ${MONITOR_KEY}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { components: HealthComponent[] };
    return body.components.find((c) => c.name === 'audit-integrity');
  };
  const gauge = async (category: string): Promise<number | null> => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`audit_integrity_broken{category="${category}"}`));
    return line === undefined ? null : Number(line.split(' ')[1]);
  };

  /** The first AuditIntegrityBroken alert of `list`, waited for. */
  const integrityAlertIn = async (list: AlertEventV1[], description: string): Promise<AlertEventV1> =>
    (await waitFor(() => list.find((a) => a.labels.alertname === 'AuditIntegrityBroken'), {
      timeoutMs: 10_000,
      description,
    })) as AlertEventV1;

  /** Runs `sql` with triggers off, as a superuser bypassing the append-only rule would. */
  async function tamper(sql: string, params: unknown[] = []): Promise<void> {
    await db.query('BEGIN');
    await db.query("SET LOCAL session_replication_role = 'replica'");
    await db.query(sql, params);
    await db.query('COMMIT');
  }

  beforeAll(async () => {
    audit = await startAudit({
      AUDIT_CHECKPOINT_INTERVAL_MS: String(CHECKPOINT_INTERVAL_MS),
      // The full walk on the same short interval: an edit of an already signed record is found too.
      AUDIT_FULL_VERIFY_INTERVAL_MS: String(CHECKPOINT_INTERVAL_MS),
      API_KEYS,
    });
    ({ client, base } = audit);
    for (const [subject, into] of [
      [ALERT_FIRED_SUBJECT, fired],
      [ALERT_RESOLVED_SUBJECT, resolved],
    ] as const) {
      subs.push(
        client.subscribe(subject, {
          callback: (_error, msg) => {
            into.push(alertEventV1Schema.parse(decodeJson(msg.data)));
          },
        }),
      );
    }
    db = new Client({ connectionString: audit.databaseUrl });
    await db.connect();
    const js = jetstream(client);
    for (let i = 0; i < 6; i++) {
      const event = auditEvent({ action: 'admin.wallet.viewed', resource: { type: 'wallet', id: `w-${i}` } });
      await js.publish(auditEventSubject(event.source), encode(event), { msgID: event.id });
    }
    await waitFor(async () => ((await rows()) === 6 ? true : null), {
      timeoutMs: 20_000,
      description: '6 rows',
    });
    await waitFor(
      async () =>
        Number(
          (await db.query("SELECT max(seq) AS s FROM audit_checkpoints WHERE category = 'security'")).rows[0]
            .s,
        ) === 6
          ? true
          : null,
      { timeoutMs: 20_000, description: 'the security log signed up to its head' },
    );
  });

  afterAll(async () => {
    for (const sub of subs) sub.unsubscribe();
    await db?.end();
    await audit?.stop();
  });

  it('an intact trail: gauge 0, audit-integrity up, no alert', async () => {
    await waitFor(async () => ((await integrityComponent())?.details?.verified_at ? true : null), {
      timeoutMs: 10_000,
      description: 'a verification recorded',
    });
    expect(await gauge('security')).toBe(0);
    expect(await integrityComponent()).toMatchObject({ status: 'up', details: { security_broken: false } });
    expect(fired.filter((a) => a.labels.alertname === 'AuditIntegrityBroken')).toEqual([]);
  });

  it('an UPDATE of a signed row pages within a checkpoint interval, and resolves once restored', async () => {
    const { rows: before } = await db.query(
      "SELECT id, event FROM audit_events WHERE category = 'security' AND seq = 3",
    );
    const id = before[0].id as string;
    const tamperedAt = Date.now();
    await tamper(
      "UPDATE audit_events SET event = jsonb_set(event, '{resource,id}', '\"w-999\"') WHERE category = 'security' AND seq = 3",
    );
    const alert = await integrityAlertIn(fired, 'AuditIntegrityBroken fired');
    // Within one interval of the periodic verification (plus the walk itself and delivery).
    expect(Date.now() - tamperedAt).toBeLessThan(CHECKPOINT_INTERVAL_MS * 2 + 1000);
    expect(alert.labels).toEqual({
      alertname: 'AuditIntegrityBroken',
      severity: 'critical',
      service: 'audit',
      category: 'security',
    });
    expect(alert.annotations).toMatchObject({
      first_bad_seq: '3',
      first_bad_id: id,
      defect: 'hash_mismatch',
    });
    expect(await gauge('security')).toBe(1);
    expect(await gauge('privacy')).toBe(0);
    await waitFor(async () => ((await integrityComponent())?.status === 'down' ? true : null), {
      timeoutMs: 5_000,
      description: 'audit-integrity down',
    });
    expect(await integrityComponent()).toMatchObject({
      status: 'down',
      details: { security_broken: true, security_first_bad_seq: 3, security_first_bad_id: id },
    });
    expect((await integrityComponent())?.last_error).toContain('security');

    // Several more verifications run while it stays broken: the alert is published once.
    const runsBefore = String((await integrityComponent())?.details?.verified_at);
    await waitFor(
      async () => (String((await integrityComponent())?.details?.verified_at) > runsBefore ? true : null),
      { timeoutMs: 5_000, description: 'another verification' },
    );
    await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_INTERVAL_MS * 3));
    expect(fired.filter((a) => a.labels.alertname === 'AuditIntegrityBroken')).toHaveLength(1);

    await tamper("UPDATE audit_events SET event = $1 WHERE category = 'security' AND seq = 3", [
      before[0].event,
    ]);
    const resolution = await integrityAlertIn(resolved, 'AuditIntegrityBroken resolved');
    expect(resolution.labels).toEqual(alert.labels);
    expect(resolution.startsAt).toBe(alert.startsAt);
    expect(resolution.endsAt).toBeDefined();
    expect(await gauge('security')).toBe(0);
    await waitFor(async () => ((await integrityComponent())?.status === 'up' ? true : null), {
      timeoutMs: 5_000,
      description: 'audit-integrity up again',
    });
  });

  it('a read of events is published as a read-event with the key name, filters and count', async () => {
    const res = await fetch(`${base}/audit/events?action_prefix=admin.wallet&limit=4`, {
      headers: readerHeaders,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { count: number }).count).toBe(4);
    await waitFor(async () => ((await readEvents('audit.events.read')) === 1 ? true : null), {
      timeoutMs: 10_000,
      description: 'one read-event',
    });
    const { rows: stored } = await db.query(
      "SELECT event FROM audit_events WHERE event->>'action' = 'audit.events.read'",
    );
    expect(stored[0].event).toMatchObject({
      source: 'audit',
      actor: { type: 'service', id: 'reader' },
      outcome: 'success',
      metadata: { count: 4, filters: { action_prefix: 'admin.wallet', limit: 4 } },
    });

    const { rows: one } = await db.query(
      "SELECT id FROM audit_events WHERE category = 'security' AND seq = 1",
    );
    expect((await fetch(`${base}/audit/events/${one[0].id}`, { headers: readerHeaders })).status).toBe(200);
    expect((await fetch(`${base}/audit/verify`, { headers: readerHeaders })).status).toBe(200);
    await waitFor(
      async () =>
        (await readEvents('audit.event.read')) === 1 && (await readEvents('audit.chain.verified')) === 1
          ? true
          : null,
      { timeoutMs: 10_000, description: 'get and verify read-events' },
    );
    const { rows: verified } = await db.query(
      "SELECT event FROM audit_events WHERE event->>'action' = 'audit.chain.verified'",
    );
    expect(verified[0].event).toMatchObject({
      actor: { id: 'reader' },
      resource: { type: 'audit_chain' },
      metadata: { result: { ok: true } },
    });
    // A refused read (bad query) is not a read of audit data: no read-event.
    expect((await fetch(`${base}/audit/events?limit=0`, { headers: readerHeaders })).status).toBe(400);
  });

  it('N searches for read-events make exactly N read-events, not a cascade', async () => {
    const N = 5;
    const start = await readEvents('audit.events.read');
    const counts: number[] = [];
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${base}/audit/events?action_prefix=audit.events.read&limit=500`, {
        headers: readerHeaders,
      });
      expect(res.status).toBe(200);
      counts.push(((await res.json()) as { count: number }).count);
      // Wait for this search's own read-event, so the next search returns it: each search reads read-events.
      await waitFor(async () => ((await readEvents('audit.events.read')) === start + i + 1 ? true : null), {
        timeoutMs: 10_000,
        description: `read-event of search ${i + 1}`,
      });
    }
    // Each search saw every read-event before it: the searches did read read-events.
    expect(counts).toEqual(Array.from({ length: N }, (_, i) => start + i));
    // A read-event is stored within the time the loop above measured; a cascade would have had several
    // such times to show: wait as long again, then exactly N new ones.
    const settleMs = 2_000;
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    expect(await readEvents('audit.events.read')).toBe(start + N);
  });
  // Last: it drops the partitions the other tests read.
  it('retention unable to cut (checkpoints withheld) raises AuditRetentionStalled, resolved once it cuts', async () => {
    const retention = audit.app.get(RetentionService);
    const stalled = () => fired.find((a) => a.labels.alertname === 'AuditRetentionStalled');
    // Far enough ahead that every partition of today is past its retention.
    const later = new Date(Date.now() + 800 * 24 * 60 * 60 * 1000);
    await tamper("UPDATE audit_events SET actor_id = 'mallory' WHERE category = 'security' AND seq = 6");
    // Found by the full walk (record 6 is signed); the log's checkpoints are withheld from then on.
    await waitFor(
      () =>
        fired.find(
          (a) => a.labels.alertname === 'AuditIntegrityBroken' && a.annotations.first_bad_seq === '6',
        ),
      { timeoutMs: 10_000, description: 'AuditIntegrityBroken fired for record 6' },
    );
    const js = jetstream(client);
    const event = auditEvent({ action: 'admin.wallet.viewed' });
    await js.publish(auditEventSubject(event.source), encode(event), { msgID: event.id });
    await waitFor(async () => ((await rows("category = 'security'")) === 7 ? true : null), {
      timeoutMs: 10_000,
      description: 'a security record no checkpoint covers',
    });
    expect(await retention.applyRetention(later)).not.toContainEqual(
      expect.objectContaining({ category: 'security' }),
    );
    const alert = await waitFor(stalled, { timeoutMs: 5_000, description: 'AuditRetentionStalled' });
    expect(alert?.labels).toEqual({
      alertname: 'AuditRetentionStalled',
      severity: 'medium',
      service: 'audit',
      category: 'security',
    });
    expect(alert?.annotations).toMatchObject({ cut_seq: '7', signed_up_to: '6' });

    await tamper("UPDATE audit_events SET actor_id = 'admin-1' WHERE category = 'security' AND seq = 6");
    await waitFor(
      async () =>
        Number(
          (await db.query("SELECT max(seq) AS s FROM audit_checkpoints WHERE category = 'security'")).rows[0]
            .s,
        ) === 7
          ? true
          : null,
      { timeoutMs: 10_000, description: 'the security log signed again once it verifies' },
    );
    expect(await retention.applyRetention(later)).toContainEqual(
      expect.objectContaining({ category: 'security' }),
    );
    const resolution = await waitFor(
      () => resolved.find((a) => a.labels.alertname === 'AuditRetentionStalled'),
      { timeoutMs: 5_000, description: 'AuditRetentionStalled resolved' },
    );
    expect(resolution?.labels).toEqual(alert?.labels);
    expect(resolution?.startsAt).toBe(alert?.startsAt);
  });
});
