import { randomBytes } from 'node:crypto';

import { jetstream } from '@nats-io/jetstream';
import { Client } from 'pg';

import {
  AUDIT_SUMMARY_SUBJECT,
  auditEventSubject,
  auditSummaryReplyV1Schema,
  decodeJson,
  type AuditEventV1,
} from '@vigil/contracts';
import { hashApiKey } from '@vigil/platform';
import { waitFor } from '@vigil/testing';

import { RetentionService } from '../src/retention/retention.service';
import { leafHash, verifyConsistency, verifyInclusion } from '../src/merkle/rfc6962';
import { leafData } from '../src/merkle/tree-append';
import type { AuditCategory } from '../src/model/audit-category';
import { API_KEYS_ENV, auditEvent, encode, READER_KEY, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

const ERASER_KEY = 'test-eraser-key-0123456789abcdef';
const eraserHeaders = { authorization: `Bearer ${ERASER_KEY}` };
const apiKeysWithEraser = JSON.stringify([
  ...(JSON.parse(API_KEYS_ENV) as unknown[]),
  { name: 'privacy-officer', hash: hashApiKey(ERASER_KEY, { N: 1024 }), scopes: ['audit:erase'] },
]);

/** Distinctive plaintexts of the subject to erase, searched for in every table afterwards. */
const ALICE = `alice-${randomBytes(4).toString('hex')}`;
const ALICE_NAME = `Alice Liddell ${randomBytes(3).toString('hex')}`;
const BOB = `bob-${randomBytes(4).toString('hex')}`;
const DAVE = `dave-${randomBytes(4).toString('hex')}`;

interface Detail {
  event: AuditEventV1;
  stored_event?: AuditEventV1;
  category: AuditCategory;
  seq: number;
  received_at: string;
}
interface Inclusion {
  leaf_index: number;
  tree_size: number;
  leaf_hash: string;
  root_hash: string;
  proof: string[];
}
interface Checkpoint {
  size: number;
  root_hash: string;
}

/** The event as stored and read back: ingest redacts IP addresses before anything else. */
const asStored = (event: AuditEventV1): AuditEventV1 =>
  event.actor.ip ? { ...event, actor: { ...event.actor, ip: '[REDACTED:ipv4]' } } : event;

const hex = (values: readonly string[]) => values.map((v) => Buffer.from(v, 'hex'));

describe('erasure: per-subject keys keep every proof valid (real NATS + Postgres)', () => {
  let audit: AuditHarness;
  let db: Client;
  const aliceEvents: AuditEventV1[] = [];
  const bobEvents: AuditEventV1[] = [];

  const get = async <T>(path: string, headers: Record<string, string> = readerHeaders) => {
    const res = await fetch(`${audit.base}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as T };
  };
  const storedCount = async (ids: readonly string[]) =>
    Number(
      (
        await db.query<{ n: string }>(
          `SELECT count(*) AS n FROM audit_event_ids WHERE id = ANY($1::uuid[])`,
          [ids],
        )
      ).rows[0].n,
    );
  const publish = async (events: readonly AuditEventV1[]) => {
    const js = jetstream(audit.client);
    for (const e of events) await js.publish(auditEventSubject(e.source), encode(e), { msgID: e.id });
    await waitFor(async () => (await storedCount(events.map((e) => e.id))) === events.length, {
      timeoutMs: 20_000,
      description: `${events.length} events stored`,
    });
  };
  /** Every table of ours (partitions included), each row as text, with the rows holding `needle`. */
  const tablesHolding = async (needle: string) => {
    const tables = (
      await db.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
    const holding: string[] = [];
    for (const table of tables) {
      const rows = await db.query<{ t: string }>(`SELECT t::text AS t FROM "${table}" t`);
      if (rows.rows.some((r) => r.t.includes(needle))) holding.push(table);
    }
    return { tables, holding };
  };
  /** Waits for the category's Merkle tree to hold every stored record, and returns its checkpoint. */
  const caughtUp = async (category: AuditCategory): Promise<Checkpoint> => {
    const head = await db.query<{ seq: string }>(`SELECT seq FROM audit_chain_heads WHERE category = $1`, [
      category,
    ]);
    const size = Number(head.rows[0].seq);
    const reached = await waitFor(
      async () => {
        const cp = (await get<Checkpoint>(`/audit/log/${category}/checkpoint`)).body;
        return cp.size >= size ? cp : null;
      },
      { timeoutMs: 10_000, description: `${category} tree at size ${size}` },
    );
    if (!reached) throw new Error(`${category} tree did not reach size ${size}`);
    return reached;
  };
  const detail = async (id: string) => (await get<Detail>(`/audit/events/${id}`)).body;

  beforeAll(async () => {
    audit = await startAudit({
      API_KEYS: apiKeysWithEraser,
      AUDIT_MASTER_KEY: randomBytes(32).toString('base64'),
      AUDIT_MERKLE_INTERVAL_MS: '200',
    });
    db = new Client({ connectionString: audit.databaseUrl });
    await db.connect();
    aliceEvents.push(
      auditEvent({
        actor: { type: 'user', id: ALICE, ip: '203.0.113.77' },
        action: 'profile.updated',
        resource: { type: 'profile', id: ALICE },
        metadata: { name: ALICE_NAME, plan: 'gold' },
      }) as AuditEventV1,
      auditEvent({
        actor: { type: 'admin', id: 'admin-1' },
        resource: { type: 'user', id: ALICE },
      }) as AuditEventV1,
      // Sealed in the KYC rule's bucket: the erase request destroys those keys too.
      auditEvent({ action: 'admin.kyc.viewed', resource: { type: 'kyc', id: ALICE } }) as AuditEventV1,
    );
    bobEvents.push(
      auditEvent({
        actor: { type: 'user', id: BOB, ip: '198.51.100.4' },
        action: 'profile.updated',
        resource: { type: 'profile', id: BOB },
        metadata: { name: 'Bob' },
      }) as AuditEventV1,
      auditEvent({ resource: { type: 'user', id: BOB } }) as AuditEventV1,
    );
    await publish([...aliceEvents, ...bobEvents]);
  });

  afterAll(async () => {
    await db?.end();
    await audit?.stop();
  });

  it('stores personal fields sealed, reads them back, and searches sealed ids by subject', async () => {
    const [profile] = aliceEvents;
    const stored = await db.query<{ actor_id: string; resource_id: string; event: AuditEventV1 }>(
      `SELECT actor_id, resource_id, event FROM audit_events WHERE id = $1`,
      [profile.id],
    );
    const row = stored.rows[0];
    expect(row.actor_id).toMatch(/^vigil-enc:v1:[A-Za-z0-9_-]{22}$/);
    expect(JSON.stringify(row)).not.toContain(ALICE);
    expect(JSON.stringify(row)).not.toContain(ALICE_NAME);
    expect(row.event.metadata?.plan).toBe('gold');

    const read = await detail(profile.id);
    expect(read.event).toEqual(asStored(profile));
    expect(read.stored_event?.actor.id).toMatch(/^vigil-enc:v1:/);

    const byActor = (await get<{ events: { event: AuditEventV1 }[] }>(`/audit/events?actor=${ALICE}`)).body;
    expect(byActor.events.map((e) => e.event.id)).toEqual([profile.id]);
    const byResource = (
      await get<{ events: { event: AuditEventV1 }[] }>(`/audit/events?resource_id=${ALICE}`)
    ).body;
    expect(byResource.events.map((e) => e.event.id).sort()).toEqual(aliceEvents.map((e) => e.id).sort());
    // Admins are not sealed: the fact that an admin looked stays plain.
    expect(byResource.events.every((e) => e.event.actor.id === 'admin-1' || e.event.actor.id === ALICE)).toBe(
      true,
    );
  });

  it('erases a subject: audit:erase needed and audited, proofs and the chain still verify, no plaintext left', async () => {
    // Proofs and the summary before the erasure, to compare with after.
    const before = new Map<AuditCategory, { checkpoint: Checkpoint; proof: Inclusion; id: string }>();
    for (const event of aliceEvents) {
      const { category } = await detail(event.id);
      const checkpoint = await caughtUp(category);
      const proof = (
        await get<Inclusion>(
          `/audit/log/${category}/proof/inclusion?event_id=${event.id}&tree_size=${checkpoint.size}`,
        )
      ).body;
      before.set(category, { checkpoint, proof, id: event.id });
    }
    const period = {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const summarise = async () =>
      auditSummaryReplyV1Schema.parse(
        decodeJson(
          (await audit.client.request(AUDIT_SUMMARY_SUBJECT, JSON.stringify(period), { timeout: 5000 })).data,
        ),
      );
    const summaryBefore = await summarise();

    // The scan finds the subject where it is (the key table names it): it could fail.
    expect((await tablesHolding(ALICE)).holding).toContain('audit_subject_keys');

    const path = `/audit/subjects/${encodeURIComponent(ALICE)}/erase`;
    expect((await fetch(`${audit.base}${path}`, { method: 'POST' })).status).toBe(401);
    const malformed = await fetch(`${audit.base}/audit/subjects/%01x/erase`, {
      method: 'POST',
      headers: eraserHeaders,
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/control characters/);
    const refused = await fetch(`${audit.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${READER_KEY}` },
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBeDefined();
    expect((await get<Detail>(`/audit/events/${aliceEvents[0].id}`)).body.event.actor.id).toBe(ALICE);

    const erased = await fetch(`${audit.base}${path}`, { method: 'POST', headers: eraserHeaders });
    expect(erased.status).toBe(200);
    const receipt = (await erased.json()) as { erasure_id: string; keys_destroyed: number };
    // Her own key and the KYC rule's key of today.
    expect(receipt.keys_destroyed).toBe(2);

    // The erasure is itself an audit event, naming who erased and the receipt, not the subject.
    const erasureEvent = await waitFor(
      async () => {
        const rows = await db.query<{ id: string }>(
          `SELECT id FROM audit_events WHERE action = 'audit.subject.erased' AND resource_id = $1`,
          [receipt.erasure_id],
        );
        return rows.rows[0]?.id ?? null;
      },
      { timeoutMs: 10_000, description: 'erasure event stored' },
    );
    const recorded = (await detail(erasureEvent)).event;
    expect(recorded).toMatchObject({
      source: 'audit',
      actor: { type: 'service', id: 'privacy-officer' },
      resource: { type: 'data_subject_erasure', id: receipt.erasure_id },
      metadata: { keys_destroyed: 2 },
    });
    // The refused attempt was audited too, with the subject masked out of the route.
    const denial = await waitFor(
      async () =>
        (
          await db.query<{ resource_id: string }>(
            `SELECT resource_id FROM audit_events WHERE action = 'audit.api.access_denied' AND resource_id LIKE '%/audit/subjects/%'`,
          )
        ).rows[0] ?? null,
      { timeoutMs: 10_000, description: 'denial stored' },
    );
    expect(denial.resource_id).toBe('POST /audit/subjects/[subject]/erase');

    // Reads: the erased fields read [ERASED]; what is not personal stays.
    const profile = await detail(aliceEvents[0].id);
    expect(profile.event.actor).toEqual({ type: 'user', id: '[ERASED]', ip: '[ERASED]' });
    expect(profile.event.resource.id).toBe('[ERASED]');
    expect(profile.event.metadata).toEqual({ name: '[ERASED]', plan: 'gold' });
    const kyc = await detail(aliceEvents[2].id);
    expect(kyc.event).toMatchObject({
      actor: { id: 'admin-1' },
      action: 'admin.kyc.viewed',
      resource: { type: 'kyc', id: '[ERASED]' },
    });

    // Every old proof still holds: the stored leaves are unchanged, and each tree only grew.
    for (const [category, old] of before) {
      const { stored_event, seq, received_at } = await detail(old.id);
      const leaf = leafHash(
        leafData({
          category,
          seq,
          id: old.id,
          received_at,
          event: stored_event ?? (await detail(old.id)).event,
        }),
      );
      expect(leaf.toString('hex')).toBe(old.proof.leaf_hash);
      expect(
        verifyInclusion(
          old.proof.leaf_index,
          old.proof.tree_size,
          leaf,
          hex(old.proof.proof),
          Buffer.from(old.checkpoint.root_hash, 'hex'),
        ),
      ).toBe(true);
      const now = await caughtUp(category);
      const fresh = (await get<Inclusion>(`/audit/log/${category}/proof/inclusion?event_id=${old.id}`)).body;
      expect(
        verifyInclusion(
          fresh.leaf_index,
          fresh.tree_size,
          leaf,
          hex(fresh.proof),
          Buffer.from(fresh.root_hash, 'hex'),
        ),
      ).toBe(true);
      const consistency = (
        await get<{ proof: string[] }>(
          `/audit/log/${category}/proof/consistency?first=${old.checkpoint.size}&second=${now.size}`,
        )
      ).body;
      expect(
        verifyConsistency(
          old.checkpoint.size,
          now.size,
          hex(consistency.proof),
          Buffer.from(old.checkpoint.root_hash, 'hex'),
          Buffer.from(now.root_hash, 'hex'),
        ),
      ).toBe(true);
    }
    const verify = await get<{ ok: boolean }>('/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);

    // No plaintext of her in any table of ours (rows as Postgres prints them, every partition included).
    for (const needle of [ALICE, ALICE_NAME]) {
      const { tables, holding } = await tablesHolding(needle);
      expect(tables).toEqual(
        expect.arrayContaining([
          'audit_subject_keys',
          'audit_event_ids',
          'audit_detections',
          'audit_merkle_nodes',
        ]),
      );
      expect(holding).toEqual([]);
    }

    // Her events still count in the weekly summary.
    const summaryAfter = await summarise();
    for (const action of ['profile.updated', 'admin.profile.viewed', 'admin.kyc.viewed']) {
      expect(summaryAfter.by_action[action]).toBe(summaryBefore.by_action[action]);
    }
    expect(summaryAfter.by_action['profile.updated']).toBe(2);

    // Search by a subject not erased still works, decrypted.
    const bob = (await get<{ events: { event: AuditEventV1 }[] }>(`/audit/events?actor=${BOB}`)).body;
    expect(bob.events.map((e) => e.event)).toEqual([asStored(bobEvents[0])]);
    const bobResource = (await get<{ events: { event: AuditEventV1 }[] }>(`/audit/events?resource_id=${BOB}`))
      .body;
    expect(bobResource.events).toHaveLength(2);
    // Her sealed ids no longer match a search for her.
    expect((await get<{ count: number }>(`/audit/events?resource_id=${ALICE}`)).body.count).toBe(0);
  });

  it('erases KYC-access personal fields after the rule keeps them 90 days; the fact stays provable', async () => {
    const now = new Date();
    const old = auditEvent({
      occurred_at: new Date(now.getTime() - 100 * 86_400_000).toISOString(),
      action: 'admin.kyc.viewed',
      resource: { type: 'kyc', id: DAVE },
    }) as AuditEventV1;
    const recent = auditEvent({
      occurred_at: new Date(now.getTime() - 10 * 86_400_000).toISOString(),
      action: 'admin.kyc.viewed',
      resource: { type: 'kyc', id: DAVE },
    }) as AuditEventV1;
    const profile = auditEvent({
      actor: { type: 'user', id: DAVE },
      action: 'profile.viewed',
    }) as AuditEventV1;
    await publish([old, recent, profile]);
    expect((await detail(old.id)).event.resource.id).toBe(DAVE);

    await audit.app.get(RetentionService).applyRetention(now);

    const oldRead = await detail(old.id);
    expect(oldRead.event).toMatchObject({
      actor: { type: 'admin', id: 'admin-1' },
      action: 'admin.kyc.viewed',
      resource: { type: 'kyc', id: '[ERASED]' },
    });
    expect((await detail(recent.id)).event.resource.id).toBe(DAVE);
    expect((await detail(profile.id)).event.actor.id).toBe(DAVE);
    const ruleEvent = await waitFor(
      async () =>
        (
          await db.query<{ event: AuditEventV1 }>(
            `SELECT event FROM audit_events WHERE action = 'audit.retention.erased' AND resource_id = 'kyc-access'`,
          )
        ).rows[0]?.event ?? null,
      { timeoutMs: 10_000, description: 'retention erasure event' },
    );
    expect(ruleEvent.metadata).toMatchObject({ subjects: 1 });
    const verify = await get<{ ok: boolean }>('/audit/verify');
    expect(verify.body.ok).toBe(true);
  });
});
