import { generateKeyPairSync, sign } from 'node:crypto';

import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';

import { auditEventSubject, type AuditEventV1 } from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import { runVerify } from '../src/cli/verify-command';
import type { AuditCategory } from '../src/model/audit-category';
import { checkpointMessage, keyIdOf } from '../src/model/checkpoint-signer';
import { CheckpointService } from '../src/integrity/checkpoint.service';
import type { VerifyRange, VerifyReport } from '../src/integrity/chain-verifier';
import { canonicalJson } from '../src/model/canonical-json';
import { leafHashOfText, linkHashOfText, linkText } from '../src/model/hash-chain';
import { auditEvent, encode, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

const SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'der', type: 'pkcs8' })
  .toString('base64');

describe('audit integrity: append-only hash chain with signed checkpoints (real NATS + Postgres)', () => {
  let audit: AuditHarness;
  let app: INestApplication;
  let client: NatsConnection;
  let db: Client;
  let databaseUrl: string;
  let base: string;

  /**
   * The verification GET /audit/verify answers, run in-process: each API call is itself audited (a
   * read-event appended to the routine chain), which would move the tails these tests cut. The API is
   * called in the last test, after the tampering.
   */
  const verify = (range: VerifyRange = {}): Promise<VerifyReport> => app.get(CheckpointService).verify(range);
  const verifyOverApi = async (query: string): Promise<VerifyReport> =>
    (await (await fetch(`${base}/audit/verify${query}`, { headers: readerHeaders })).json()) as VerifyReport;

  const count = async () => Number((await db.query('SELECT count(*) AS n FROM audit_events')).rows[0].n);

  /** Runs `statements` with triggers off, as a superuser bypassing the append-only rule would. */
  async function tamper(statements: (db: Client) => Promise<void>): Promise<void> {
    await db.query('BEGIN');
    await db.query("SET LOCAL session_replication_role = 'replica'");
    await statements(db);
    await db.query('COMMIT');
  }

  beforeAll(async () => {
    audit = await startAudit({ AUDIT_SIGNING_KEY: SIGNING_KEY, AUDIT_CHECKPOINT_INTERVAL_MS: '3600000' });
    ({ app, client, base, databaseUrl } = audit);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();

    const js = jetstream(client);
    const publish = async (overrides: Record<string, unknown>) => {
      const event = auditEvent(overrides);
      await js.publish(auditEventSubject(event.source), encode(event), { msgID: event.id });
    };
    for (let i = 0; i < 6; i++)
      await publish({ action: 'admin.profile.viewed', resource: { type: 'user', id: `${i}` } });
    for (let i = 0; i < 4; i++) {
      await publish({
        actor: { type: 'user', id: `u-${i}` },
        action: 'privacy.settings.updated',
        changes: { profile_visibility: { before: 'public', after: 'private' } },
      });
    }
    for (let i = 0; i < 5; i++)
      await publish({ actor: { type: 'user', id: `u-${i}` }, action: 'order.placed' });
    await waitFor(async () => ((await count()) === 15 ? true : null), {
      timeoutMs: 20_000,
      description: '15 rows',
    });
    // Sign the heads, then append more records after the checkpoint.
    await app.get(CheckpointService).checkpointHeads();
    for (let i = 6; i < 9; i++)
      await publish({ action: 'admin.profile.viewed', resource: { type: 'user', id: `${i}` } });
    await waitFor(async () => ((await count()) === 18 ? true : null), {
      timeoutMs: 20_000,
      description: '18 rows',
    });
  });

  afterAll(async () => {
    await db?.end();
    await audit?.stop();
  });

  it('chains each category from genesis, verifies, and counts unsigned records after the checkpoint', async () => {
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.first_bad).toBeNull();
    const byCategory = Object.fromEntries(report.chains.map((c) => [c.category, c]));
    expect(byCategory.security).toMatchObject({
      records_checked: 9,
      last_seq: 9,
      checkpoints_checked: 1,
      unsigned_records: 3,
    });
    expect(byCategory.privacy).toMatchObject({
      records_checked: 4,
      checkpoints_checked: 1,
      unsigned_records: 0,
    });
    expect(byCategory.routine).toMatchObject({ records_checked: 5, checkpoints_checked: 1 });
    const partitions = await db.query(
      "SELECT count(*) AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relname LIKE 'audit_events_security_%'",
    );
    expect(Number(partitions.rows[0].n)).toBeGreaterThanOrEqual(1);
  });

  it('rejects UPDATE and DELETE on the trail and its checkpoints', async () => {
    await expect(db.query("UPDATE audit_events SET actor_id = 'mallory'")).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_checkpoints')).rejects.toThrow(/append-only/);
    expect(await count()).toBe(18);
  });

  it('publishes the checkpoint public key', async () => {
    const res = await fetch(`${base}/audit/checkpoints/public-key`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { algorithm: string; key_id: string; public_key_pem: string };
    expect(body.algorithm).toBe('Ed25519');
    expect(body.public_key_pem).toContain('BEGIN PUBLIC KEY');
    const stored = await db.query('SELECT DISTINCT key_id FROM audit_checkpoints');
    expect(stored.rows.map((r: { key_id: string }) => r.key_id)).toEqual([body.key_id]);
  });

  it('detects an edited row, names it, and verifies again once it is restored', async () => {
    const { rows } = await db.query(
      "SELECT id, event FROM audit_events WHERE category = 'security' AND seq = 4",
    );
    const original = rows[0].event as Record<string, unknown>;
    await tamper((c) =>
      c
        .query(
          "UPDATE audit_events SET event = jsonb_set(event, '{resource,id}', '\"999\"') WHERE category = 'security' AND seq = 4",
        )
        .then(() => undefined),
    );
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.first_bad).toMatchObject({
      category: 'security',
      seq: 4,
      id: rows[0].id,
      defect: 'hash_mismatch',
    });

    // An edit of an indexed column alone (the hashed event untouched) is caught as well.
    await tamper(async (c) => {
      await c.query("UPDATE audit_events SET event = $1 WHERE category = 'security' AND seq = 4", [original]);
      await c.query(
        "UPDATE audit_events SET actor_id = 'someone-else' WHERE category = 'privacy' AND seq = 2",
      );
    });
    expect((await verify()).first_bad).toMatchObject({
      category: 'privacy',
      seq: 2,
      defect: 'column_mismatch',
    });
    await tamper((c) =>
      c
        .query(
          "UPDATE audit_events SET actor_id = event->'actor'->>'id' WHERE category = 'privacy' AND seq = 2",
        )
        .then(() => undefined),
    );
    expect((await verify()).ok).toBe(true);

    // Ingest stores each record's Merkle leaf hash with it: one that no longer matches the record is caught.
    const flipLeaf = (sql: string) => tamper((c) => c.query(sql).then(() => undefined));
    await flipLeaf(
      "UPDATE audit_events SET leaf_hash = leaf_hash || '\\x00'::bytea WHERE category = 'privacy' AND seq = 1",
    );
    expect((await verify()).first_bad).toMatchObject({
      category: 'privacy',
      seq: 1,
      defect: 'leaf_mismatch',
    });
    await flipLeaf(
      "UPDATE audit_events SET leaf_hash = substring(leaf_hash from 1 for 32) WHERE category = 'privacy' AND seq = 1",
    );
    expect((await verify()).ok).toBe(true);
  });

  it('detects a deleted row in the middle and at the signed tail', async () => {
    await tamper(async (c) => {
      await c.query(
        "CREATE TEMP TABLE removed AS SELECT * FROM audit_events WHERE category = 'routine' AND seq IN (3, 5)",
      );
      await c.query("DELETE FROM audit_events WHERE category = 'routine' AND seq = 3");
    });
    expect((await verify()).first_bad).toMatchObject({
      category: 'routine',
      seq: 3,
      id: null,
      defect: 'missing_record',
    });

    // The last record, covered by the checkpoint: the signed head still names it.
    await tamper(async (c) => {
      await c.query('INSERT INTO audit_events SELECT * FROM removed WHERE seq = 3');
      await c.query("DELETE FROM audit_events WHERE category = 'routine' AND seq = 5");
    });
    const tail = await verify();
    expect(tail.first_bad).toMatchObject({ category: 'routine', seq: 5, defect: 'missing_record' });
    expect(tail.first_bad?.detail).toMatch(/checkpoint/);

    await tamper(async (c) => {
      await c.query('INSERT INTO audit_events SELECT * FROM removed WHERE seq = 5');
      await c.query('DROP TABLE removed');
    });
    expect((await verify()).ok).toBe(true);
  });

  it('detects a whole chain rewritten consistently, even with a checkpoint forged with another key', async () => {
    const category: AuditCategory = 'security';
    const { rows } = await db.query<{
      seq: string;
      id: string;
      received_at: Date;
      event: AuditEventV1;
      prev_hash: Buffer;
      hash: Buffer;
      leaf_hash: Buffer;
    }>(
      `SELECT seq, id, received_at, event, prev_hash, hash, leaf_hash FROM audit_events WHERE category = $1 ORDER BY seq`,
      [category],
    );
    const saved = rows.map((r) => ({ ...r }));
    // The attacker knows the algorithm but not the signing key: recompute every link after an edit.
    let prev: Buffer = Buffer.alloc(32);
    const rewritten = rows.map((r) => {
      const event =
        Number(r.seq) === 2 ? { ...r.event, actor: { ...r.event.actor, id: 'mallory' } } : r.event;
      const received_at = r.received_at.toISOString();
      const text = linkText({ category, seq: Number(r.seq), id: r.id, received_at }, canonicalJson(event));
      const hash = linkHashOfText(prev, text);
      const leaf_hash = leafHashOfText(text);
      const row = { seq: Number(r.seq), event, prev_hash: prev, hash, leaf_hash, actor_id: event.actor.id };
      prev = hash;
      return row;
    });
    const forger = generateKeyPairSync('ed25519');
    const head = rewritten[rewritten.length - 1];
    const forged = {
      category,
      seq: head.seq,
      hash: head.hash,
      kind: 'interval' as const,
      created_at: new Date().toISOString(),
    };
    await tamper(async (c) => {
      for (const r of rewritten) {
        await c.query(
          'UPDATE audit_events SET event = $3, prev_hash = $4, hash = $5, actor_id = $6, leaf_hash = $7 WHERE category = $1 AND seq = $2',
          [category, r.seq, r.event, r.prev_hash, r.hash, r.actor_id, r.leaf_hash],
        );
      }
      await c.query('UPDATE audit_chain_heads SET hash = $2 WHERE category = $1', [category, head.hash]);
      await c.query(
        `INSERT INTO audit_checkpoints (category, seq, hash, kind, created_at, key_id, signature) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [
          category,
          forged.seq,
          forged.hash,
          forged.kind,
          forged.created_at,
          keyIdOf(forger.publicKey),
          sign(null, checkpointMessage(forged), forger.privateKey),
        ],
      );
    });
    const report = await verify();
    expect(report.ok).toBe(false);
    // The genuine checkpoint at seq 6 no longer matches the rewritten record 6.
    expect(report.first_bad).toMatchObject({ category, seq: 6, defect: 'checkpoint_mismatch' });

    // The CLI reads Postgres directly and reports the same first bad record.
    const lines: string[] = [];
    const code = await runVerify(
      [],
      { DATABASE_URL: databaseUrl, NATS_URL: audit.nats.url, AUDIT_SIGNING_KEY: SIGNING_KEY },
      {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      },
    );
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/first bad record category=security seq=6 .*defect=checkpoint_mismatch/);

    await tamper(async (c) => {
      for (const r of saved) {
        await c.query(
          'UPDATE audit_events SET event = $3, prev_hash = $4, hash = $5, actor_id = $6, leaf_hash = $7 WHERE category = $1 AND seq = $2',
          [category, r.seq, r.event, r.prev_hash, r.hash, r.event.actor.id, r.leaf_hash],
        );
      }
      await c.query('UPDATE audit_chain_heads SET hash = $2 WHERE category = $1', [
        category,
        saved[saved.length - 1].hash,
      ]);
      await c.query('DELETE FROM audit_checkpoints WHERE key_id = $1', [keyIdOf(forger.publicKey)]);
    });
    expect((await verify()).ok).toBe(true);
  });

  it('verifies a time range from the checkpoint before it, through the API and the CLI', async () => {
    const { rows } = await db.query("SELECT created_at FROM audit_checkpoints WHERE category = 'security'");
    const from = new Date((rows[0].created_at as Date).getTime() + 1).toISOString();
    const report = await verifyOverApi(
      `?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(report.ok).toBe(true);
    const security = report.chains.find((c) => c.category === 'security');
    expect(security).toMatchObject({ anchor_seq: 6, records_checked: 3, records_in_range: 3 });

    const lines: string[] = [];
    const code = await runVerify(
      ['--from', from],
      { DATABASE_URL: databaseUrl, NATS_URL: audit.nats.url, AUDIT_SIGNING_KEY: SIGNING_KEY },
      {
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      },
    );
    expect(lines.join('\n')).toMatch(/audit trail intact/);
    expect(code).toBe(0);

    expect((await fetch(`${base}/audit/verify`)).status).toBe(401);
    const bad = await fetch(`${base}/audit/verify?from=yesterday`, { headers: readerHeaders });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('from'),
    });
  });
});
