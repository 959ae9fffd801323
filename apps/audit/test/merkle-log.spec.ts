import { generateKeyPairSync } from 'node:crypto';

import { jetstream } from '@nats-io/jetstream';
import { Client } from 'pg';

import { auditEventSubject, type AuditEventV1 } from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import { MerkleLogService } from '../src/merkle/merkle-log.service';
import { leafHash, merkleTreeHash, verifyConsistency, verifyInclusion } from '../src/merkle/rfc6962';
import { openNote } from '../src/merkle/signed-note';
import { leafData } from '../src/merkle/tree-append';
import { parsePublicKey } from '../src/model/checkpoint-signer';
import { recordHash } from '../src/model/hash-chain';
import type { AuditCategory } from '../src/model/audit-category';
import { auditEvent, encode, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

const SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'der', type: 'pkcs8' })
  .toString('base64');

interface Checkpoint {
  origin: string;
  size: number;
  root_hash: string;
  note: string;
}
interface Inclusion {
  leaf_index: number;
  tree_size: number;
  leaf_hash: string;
  root_hash: string;
  proof: string[];
}
interface Consistency {
  first_root: string;
  second_root: string;
  proof: string[];
}
interface StoredRecord {
  category: AuditCategory;
  seq: number;
  id: string;
  received_at: string;
  event: AuditEventV1;
  prev_hash: Buffer;
  hash: Buffer;
}

const hashes = (hexes: readonly string[]) => hexes.map((h) => Buffer.from(h, 'hex'));

describe('audit Merkle logs: RFC 6962 trees over the hash chains (real NATS + Postgres)', () => {
  let audit: AuditHarness;
  let db: Client;

  const get = async <T>(path: string, headers: Record<string, string> = readerHeaders) => {
    const res = await fetch(`${audit.base}${path}`, { headers });
    return { status: res.status, body: (await res.json()) as T };
  };
  const checkpoint = async (category: AuditCategory) =>
    (await get<Checkpoint>(`/audit/log/${category}/checkpoint`)).body;

  /** The chain's records as stored, in seq order. */
  async function records(category: AuditCategory): Promise<StoredRecord[]> {
    const { rows } = await db.query<
      Omit<StoredRecord, 'received_at' | 'seq'> & { seq: string; received_at: Date }
    >(
      `SELECT category, seq, id, received_at, event, prev_hash, hash FROM audit_events WHERE category = $1 ORDER BY seq`,
      [category],
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq), received_at: r.received_at.toISOString() }));
  }
  const leavesOf = (stored: readonly StoredRecord[]) =>
    stored.map(({ category, seq, id, received_at, event }) =>
      leafHash(leafData({ category, seq, id, received_at, event })),
    );

  async function publish(count: number, overrides: Record<string, unknown>): Promise<void> {
    const js = jetstream(audit.client);
    for (let i = 0; i < count; i++) {
      const event = auditEvent({ resource: { type: 'user', id: `${i}` }, ...overrides });
      await js.publish(auditEventSubject(event.source), encode(event), { msgID: event.id });
    }
  }

  async function treeReaches(category: AuditCategory, size: number): Promise<Checkpoint> {
    const head = await waitFor<Checkpoint | null>(
      async () => {
        const head = await checkpoint(category);
        return head.size === size ? head : null;
      },
      { timeoutMs: 20_000, description: `${category} log of size ${size}` },
    );
    return head as Checkpoint;
  }

  beforeAll(async () => {
    audit = await startAudit({ AUDIT_SIGNING_KEY: SIGNING_KEY, AUDIT_MERKLE_INTERVAL_MS: '200' });
    db = new Client({ connectionString: audit.databaseUrl });
    await db.connect();
    await publish(11, { action: 'admin.profile.viewed' });
    await publish(6, { actor: { type: 'user', id: 'u-1' }, action: 'order.placed' });
    await waitFor(
      async () =>
        Number((await db.query('SELECT count(*) AS n FROM audit_events')).rows[0].n) === 17 ? true : null,
      { timeoutMs: 20_000, description: '17 rows' },
    );
  });

  afterAll(async () => {
    await db?.end();
    await audit?.stop();
  });

  it('keeps each tree at the chain: its root is the pure MTH over the canonical record bytes the chain hashes', async () => {
    for (const [category, size] of [
      ['security', 11],
      ['routine', 6],
    ] as const) {
      const head = await treeReaches(category, size);
      const stored = await records(category);
      // A leaf's bytes are exactly what the chain hashes after prev_hash.
      for (const r of stored) expect(recordHash(r.prev_hash, r).equals(r.hash)).toBe(true);
      expect(head.root_hash).toBe(merkleTreeHash(leavesOf(stored)).toString('hex'));
    }
    expect((await checkpoint('privacy')).size).toBe(0);
    expect((await checkpoint('privacy')).root_hash).toBe(merkleTreeHash([]).toString('hex'));
  });

  it('signs each checkpoint as a C2SP note with the checkpoint key', async () => {
    const { public_key_pem } = (await get<{ public_key_pem: string }>('/audit/checkpoints/public-key')).body;
    const head = await checkpoint('security');
    const text = openNote(head.note, head.origin, parsePublicKey(public_key_pem));
    expect(head.origin).toBe('vigil.audit/security');
    expect(text).toBe(`vigil.audit/security\n11\n${Buffer.from(head.root_hash, 'hex').toString('base64')}\n`);
    expect(
      openNote(head.note.replace('\n11\n', '\n12\n'), head.origin, parsePublicKey(public_key_pem)),
    ).toBeNull();
  });

  it('proves every event included in every tree size that holds it', async () => {
    const stored = await records('security');
    const leaves = leavesOf(stored);
    for (const [index, record] of stored.entries()) {
      for (const treeSize of [index + 1, 7, 11].filter((s) => s > index)) {
        const { status, body } = await get<Inclusion>(
          `/audit/log/security/proof/inclusion?event_id=${record.id}&tree_size=${treeSize}`,
        );
        expect(status).toBe(200);
        expect(body.leaf_index).toBe(index);
        const root = merkleTreeHash(leaves.slice(0, treeSize));
        expect(body.root_hash).toBe(root.toString('hex'));
        expect(verifyInclusion(index, treeSize, leaves[index], hashes(body.proof), root)).toBe(true);
        expect(verifyInclusion(index, treeSize, leaves[(index + 1) % 11], hashes(body.proof), root)).toBe(
          false,
        );
      }
    }
    // tree_size omitted: the latest tree.
    const latest = await get<Inclusion>(`/audit/log/security/proof/inclusion?event_id=${stored[3].id}`);
    expect(latest.body.tree_size).toBe(11);
  });

  it('proves every size consistent with every later one, and with the tree after it grew', async () => {
    const before = await checkpoint('security');
    for (let first = 0; first <= 11; first++) {
      const { status, body } = await get<Consistency>(
        `/audit/log/security/proof/consistency?first=${first}&second=11`,
      );
      expect(status).toBe(200);
      const leaves = leavesOf(await records('security'));
      const firstRoot = merkleTreeHash(leaves.slice(0, first));
      expect(body.first_root).toBe(firstRoot.toString('hex'));
      expect(
        verifyConsistency(first, 11, hashes(body.proof), firstRoot, Buffer.from(before.root_hash, 'hex')),
      ).toBe(true);
    }
    await publish(5, { action: 'admin.wallet.viewed' });
    const after = await treeReaches('security', 16);
    const { body } = await get<Consistency>('/audit/log/security/proof/consistency?first=11&second=16');
    const [oldRoot, newRoot] = [before.root_hash, after.root_hash].map((h) => Buffer.from(h, 'hex'));
    expect(verifyConsistency(11, 16, hashes(body.proof), oldRoot, newRoot)).toBe(true);
    expect(verifyConsistency(11, 16, hashes(body.proof), newRoot, newRoot)).toBe(false);
  });

  it('migrates existing chains: rebuilt from empty tables, in order, once, with two appenders racing', async () => {
    const expected = await checkpoint('security');
    // As the migration leaves them: tree tables empty beside chains that already hold records, the older
    // of which were stored before ingest wrote leaf hashes (the job hashes those from their events).
    await db.query('TRUNCATE audit_merkle_nodes, audit_merkle_heads');
    await db.query('BEGIN');
    await db.query("SET LOCAL session_replication_role = 'replica'");
    await db.query("UPDATE audit_events SET leaf_hash = NULL WHERE category = 'security' AND seq <= 8");
    await db.query('COMMIT');
    const service = audit.app.get(MerkleLogService);
    await Promise.all([service.catchUp(), service.catchUp()]);
    const rebuilt = await treeReaches('security', expected.size);
    expect(rebuilt.root_hash).toBe(expected.root_hash);
    expect((await treeReaches('routine', 6)).root_hash).toBe(
      merkleTreeHash(leavesOf(await records('routine'))).toString('hex'),
    );
    // Every complete subtree stored once: 16 leaves make 31 nodes, 6 make 6 + 3 + 1.
    const { rows } = await db.query<{ category: string; n: string }>(
      `SELECT category, count(*) AS n FROM audit_merkle_nodes GROUP BY category ORDER BY category`,
    );
    expect(rows.map((r) => [r.category, Number(r.n)])).toEqual([
      ['routine', 10],
      ['security', 31],
    ]);
  });

  it('answers bad requests with 400/404 JSON and refuses readers without the scope', async () => {
    const [security] = await records('security');
    const [routine] = await records('routine');
    const cases: [string, number, string][] = [
      ['/audit/log/billing/checkpoint', 404, 'no audit log "billing"'],
      ['/audit/log/security/proof/inclusion?event_id=nope', 400, 'event_id must be a UUID'],
      [`/audit/log/security/proof/inclusion?event_id=${security.id}&tree_size=99`, 400, 'beyond'],
      [`/audit/log/security/proof/inclusion?event_id=${security.id}&tree_size=-1`, 400, 'non-negative'],
      [
        `/audit/log/security/proof/inclusion?event_id=${security.id}&tree_size=0`,
        400,
        'not in a tree of size 0',
      ],
      [`/audit/log/security/proof/inclusion?event_id=${routine.id}`, 404, 'in the security log'],
      ['/audit/log/security/proof/inclusion?event_id=00000000-0000-4000-8000-000000000000', 404, 'no event'],
      ['/audit/log/security/proof/consistency?first=3', 400, 'second is required'],
      ['/audit/log/security/proof/consistency?first=5&second=3', 400, 'first must not be greater'],
      ['/audit/log/security/proof/consistency?first=1&second=999', 400, 'beyond'],
    ];
    for (const [path, status, message] of cases) {
      const res = await get<{ error: string; message: string }>(path);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(typeof res.body.error).toBe('string');
      expect(res.body.message).toContain(message);
    }
    expect((await get('/audit/log/security/checkpoint', {})).status).toBe(401);
  });
  it('keeps the other trees growing when one cannot (its next record was dropped before it was appended)', async () => {
    const security = await checkpoint('security');
    await db.query('TRUNCATE audit_merkle_nodes, audit_merkle_heads');
    // As retention dropping a month before the tree caught up: the routine tree's first record is gone.
    await db.query('BEGIN');
    await db.query("SET LOCAL session_replication_role = 'replica'");
    await db.query(`DELETE FROM audit_events WHERE category = 'routine' AND seq = 1`);
    await db.query('COMMIT');
    await expect(audit.app.get(MerkleLogService).catchUp()).resolves.toBeGreaterThanOrEqual(0);
    expect((await treeReaches('security', security.size)).root_hash).toBe(security.root_hash);
    expect((await checkpoint('routine')).size).toBe(0);
  });
});
