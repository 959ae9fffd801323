import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { jetstream } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/transport-node';
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
import { tempDir, waitFor } from '@vigil/testing';

import { runWitness, WITNESS_EXIT } from '../src/cli/witness-command';
import { loadCliConfig } from '../src/config/cli-config';
import { cosignatureLine, verifierKeyText } from '../src/model/cosignature';
import { parsePrivateKey } from '../src/model/checkpoint-signer';
import { checkpointBody, COSIGNATURE_TYPE, ED25519_TYPE, openNote, signNote } from '../src/model/signed-note';
import {
  foldSubtrees,
  leafHash,
  merkleTreeHash,
  perfectSubtrees,
  verifyInclusion,
} from '../src/merkle/rfc6962';
import { TILE_HEIGHT, TILE_WIDTH, tilePath } from '../src/merkle/tiles';
import { API_KEYS_ENV, auditEvent, encode, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

const SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'der', type: 'pkcs8' })
  .toString('base64');
const LOG_PUBLIC_KEY = createPublicKey(parsePrivateKey(SIGNING_KEY));
const WITNESS_API_KEY = 'test-witness-key-0123456789abcdef';
/** The reader and publisher keys of the factory, plus a witness's: it reads checkpoints and posts what it signs. */
const API_KEYS = JSON.stringify([
  ...(JSON.parse(API_KEYS_ENV) as unknown[]),
  {
    name: 'witness',
    hash: hashApiKey(WITNESS_API_KEY, { N: 1024 }),
    scopes: ['audit:read', 'audit:publish'],
    sources: ['witness'],
  },
]);
const witnessHeaders = { authorization: `Bearer ${WITNESS_API_KEY}` };

interface Witness {
  name: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyFile: string;
  vkey: string;
}

function newWitness(dir: string, name: string): Witness {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = path.join(dir, `${name.replace(/\W/g, '_')}.pem`);
  writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  return { name, privateKey, publicKey, keyFile, vkey: verifierKeyText(name, publicKey, COSIGNATURE_TYPE) };
}

interface CheckpointAnswer {
  origin: string;
  size: number;
  root_hash: string;
  vkey: string;
  note: string;
  created_at: string | null;
  cosignatures: Array<{ witness: string }>;
  final: boolean;
}

/** One running service, its database and what the witness CLI says. */
class Scene {
  db!: Client;
  out: string[] = [];
  err: string[] = [];
  readonly dir = tempDir('audit-witness-');

  constructor(readonly audit: AuditHarness) {}

  async connect(): Promise<this> {
    this.db = new Client({ connectionString: this.audit.databaseUrl });
    await this.db.connect();
    return this;
  }

  async publish(count: number, action = 'admin.profile.viewed'): Promise<void> {
    const js = jetstream(this.audit.client);
    for (let i = 0; i < count; i++) {
      const event = auditEvent({ action, resource: { type: 'user', id: `${i}` } });
      await js.publish(auditEventSubject(event.source), encode(event), { msgID: event.id });
    }
  }

  async http(method: string, route: string, headers: Record<string, string>, body?: unknown) {
    const res = await fetch(`${this.audit.base}${route}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res;
  }

  async checkpoint(): Promise<CheckpointAnswer> {
    const res = await this.http('GET', '/audit/log/security/checkpoint', readerHeaders);
    return (await res.json()) as CheckpointAnswer;
  }

  async treeSize(): Promise<number> {
    const { rows } = await this.db.query<{ size: string }>(
      `SELECT size FROM audit_merkle_heads WHERE category = 'security'`,
    );
    return Number(rows[0]?.size ?? 0);
  }

  witness(w: Witness, state: string, logKey: string): Promise<number> {
    const args = ['--log', this.audit.base, '--category', 'security', '--log-key', logKey];
    args.push('--key-file', w.keyFile, '--name', w.name, '--state', path.join(this.dir, state));
    return runWitness(args, loadCliConfig({ AUDIT_API_KEY: WITNESS_API_KEY }), {
      out: (l) => this.out.push(l),
      err: (l) => this.err.push(l),
    });
  }

  async stop(): Promise<void> {
    await this.db?.end();
    await this.audit?.stop();
  }
}

describe('audit log checkpoints at an interval, tiles and a witness quorum (real NATS + Postgres)', () => {
  let scene: Scene;
  let witnesses: Witness[];
  const EVENTS = 300;

  beforeAll(async () => {
    const dir = tempDir('audit-witness-keys-');
    witnesses = [newWitness(dir, 'witness.test/one'), newWitness(dir, 'witness.test/two')];
    scene = await new Scene(
      await startAudit({
        AUDIT_SIGNING_KEY: SIGNING_KEY,
        AUDIT_MERKLE_INTERVAL_MS: '200',
        AUDIT_CHECKPOINT_INTERVAL_MS: '300',
        AUDIT_WITNESS_KEYS: JSON.stringify(witnesses.map((w) => w.vkey)),
        AUDIT_WITNESS_QUORUM: '2',
        API_KEYS,
      }),
    ).connect();
    await scene.publish(EVENTS);
  });

  afterAll(() => scene?.stop());

  it('stores a signed checkpoint of each grown log every interval, without being asked', async () => {
    const stored = await waitFor(
      async () => {
        const { rows } = await scene.db.query<{ size: string; note: string }>(
          `SELECT size, note FROM audit_log_checkpoints WHERE category = 'security' ORDER BY size DESC LIMIT 1`,
        );
        return Number(rows[0]?.size) === EVENTS ? rows[0] : null;
      },
      { timeoutMs: 30_000, description: `a stored checkpoint of size ${EVENTS}` },
    );
    const served = await scene.checkpoint();
    expect(served.size).toBe(EVENTS);
    expect(served.created_at).not.toBeNull();
    expect(served.note).toBe(stored?.note);
    expect(openNote(served.note, 'vigil.audit/security', LOG_PUBLIC_KEY)).toMatch(
      /^vigil\.audit\/security\n300\n/,
    );
    // A reader may not sign one on demand; the witness's key (audit:publish) may.
    expect((await scene.http('POST', '/audit/log/security/checkpoint', readerHeaders)).status).toBe(403);
    const demand = await scene.http('POST', '/audit/log/security/checkpoint', witnessHeaders);
    expect(demand.status).toBe(200);
    expect(((await demand.json()) as CheckpointAnswer).size).toBe(EVENTS);
  });

  it('serves tiles from which a verifier alone recomputes the checkpoint root and the inclusion proofs', async () => {
    const checkpoint = await scene.checkpoint();
    const size = checkpoint.size;
    const fetched = new Map<string, Buffer>();
    /** The hashes of Merkle level 8·L, numbers [from, from + count), from tiles only. */
    async function levelHashes(level: number, from: number, count: number): Promise<Buffer[]> {
      const available = Math.floor(size / TILE_WIDTH ** level);
      const hashes: Buffer[] = [];
      for (let i = from; i < from + count; i++) {
        const index = Math.floor(i / TILE_WIDTH);
        const full = (index + 1) * TILE_WIDTH <= available;
        const p = tilePath({ level, index, width: full ? null : available - index * TILE_WIDTH });
        if (!fetched.has(p)) {
          const res = await scene.http('GET', `/audit/log/security/${p}`, readerHeaders);
          expect({ p, status: res.status }).toEqual({ p, status: 200 });
          expect(res.headers.get('cache-control')).toBe(
            full ? 'public, max-age=31536000, immutable' : 'public, max-age=60',
          );
          fetched.set(p, Buffer.from(await res.arrayBuffer()));
        }
        const tile = fetched.get(p) as Buffer;
        hashes.push(tile.subarray((i % TILE_WIDTH) * 32, (i % TILE_WIDTH) * 32 + 32));
      }
      return hashes;
    }
    /** A complete subtree's hash: 2^r hashes of the tile level below it, hashed up. */
    async function subtree(level: number, index: number): Promise<Buffer> {
      const tileLevel = Math.floor(level / TILE_HEIGHT);
      const width = 2 ** (level % TILE_HEIGHT);
      return merkleTreeHash(await levelHashes(tileLevel, index * width, width));
    }
    const ids = perfectSubtrees(0, size);
    const root = foldSubtrees(await Promise.all(ids.map((id) => subtree(id.level, id.index))));
    expect(root.toString('hex')).toBe(checkpoint.root_hash);
    expect([...fetched.keys()].sort()).toEqual(['tile/0/001.p/44', 'tile/1/000.p/1']);

    // The leaves in the level-0 tiles are the ones the inclusion proofs prove.
    const leaves = await levelHashes(0, 0, size);
    const { rows } = await scene.db.query<{ id: string }>(
      `SELECT id FROM audit_events WHERE category = 'security' AND seq IN (1, 200, 300) ORDER BY seq`,
    );
    for (const [n, { id }] of rows.entries()) {
      const index = [0, 199, 299][n];
      const res = await scene.http(
        'GET',
        `/audit/log/security/proof/inclusion?event_id=${id}`,
        readerHeaders,
      );
      const proof = (await res.json()) as { leaf_hash: string; proof: string[] };
      expect(proof.leaf_hash).toBe(leaves[index].toString('hex'));
      const audit = proof.proof.map((h) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(index, size, leaves[index], audit, root)).toBe(true);
    }

    // Entry bundles hold the leaves' bytes, each hashing to its level-0 tile hash.
    const bundle = await scene.http('GET', '/audit/log/security/tile/entries/000', readerHeaders);
    expect(bundle.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const bytes = Buffer.from(await bundle.arrayBuffer());
    let at = 0;
    for (let i = 0; i < TILE_WIDTH; i++) {
      const length = bytes.readUInt16BE(at);
      expect(leafHash(bytes.subarray(at + 2, at + 2 + length)).equals(leaves[i])).toBe(true);
      at += 2 + length;
    }
    expect(at).toBe(bytes.length);
  });

  it('answers If-None-Match with 304 and refuses missing or malformed tiles', async () => {
    const first = await scene.http('GET', '/audit/log/security/tile/0/000', readerHeaders);
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await scene.http('GET', '/audit/log/security/tile/0/000', {
      ...readerHeaders,
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
    const cases: Array<[string, number]> = [
      ['tile/0/001', 404],
      ['tile/0/001.p/45', 404],
      ['tile/1/000', 404],
      ['tile/0/1', 400],
      ['tile/00/000', 400],
      ['tile/0/000.p/256', 400],
    ];
    for (const [p, status] of cases) {
      const res = await scene.http('GET', `/audit/log/security/${p}`, readerHeaders);
      expect({ p, status: res.status }).toEqual({ p, status });
    }
    expect((await scene.http('GET', '/audit/log/security/tile/0/000', {})).status).toBe(401);
  });

  it('calls a checkpoint final only once the quorum of configured witnesses cosigned it', async () => {
    const checkpoint = await scene.checkpoint();
    expect(checkpoint.final).toBe(false);
    expect(await scene.witness(witnesses[0], 'one.json', checkpoint.vkey)).toBe(WITNESS_EXIT.cosigned);
    const one = await scene.http('GET', '/audit/log/security/checkpoint', readerHeaders);
    expect(one.headers.get('vigil-checkpoint-final')).toBe('false');
    const afterOne = (await one.json()) as CheckpointAnswer;
    expect(afterOne.cosignatures.map((c) => c.witness)).toEqual(['witness.test/one']);
    expect(afterOne.note.split('\n').filter((l) => l.startsWith('\u2014 '))).toHaveLength(2);

    expect(await scene.witness(witnesses[1], 'two.json', checkpoint.vkey)).toBe(WITNESS_EXIT.cosigned);
    const two = await scene.http('GET', '/audit/log/security/checkpoint', readerHeaders);
    expect(two.headers.get('vigil-checkpoint-final')).toBe('true');
    const afterTwo = (await two.json()) as CheckpointAnswer;
    expect(afterTwo).toMatchObject({ size: checkpoint.size, final: true });
    expect(afterTwo.note.split('\n').filter((l) => l.startsWith('\u2014 '))).toHaveLength(3);
    expect(scene.out.at(-1)).toContain('(2 cosignature(s), final: true)');

    // A cosignature by a key that is not configured is refused and stores nothing.
    const stranger = newWitness(scene.dir, 'witness.test/three');
    const text = checkpoint.note.slice(0, checkpoint.note.indexOf('\n\n') + 1);
    const forged = `${checkpoint.note}${cosignatureLine(text, stranger, 1_765_000_000)}\n`;
    const res = await scene.http('POST', '/audit/log/security/cosignatures', witnessHeaders, {
      note: forged,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /no cosignature of a configured witness/,
    );
  });
});

describe('a witness shown a rewritten log refuses it and pages (real NATS + Postgres)', () => {
  let scene: Scene;
  let witness: Witness;
  let logKey: string;
  const fired: AlertEventV1[] = [];
  const resolved: AlertEventV1[] = [];
  const subs: Subscription[] = [];
  const logPrivate = parsePrivateKey(SIGNING_KEY);

  /** A checkpoint signed with the log's own key over a tree the log does not hold. */
  const forgedNote = (size: number) => {
    const text = checkpointBody('vigil.audit/security', size, Buffer.alloc(32, 0xab));
    return signNote(text, 'vigil.audit/security', logPrivate, LOG_PUBLIC_KEY);
  };

  beforeAll(async () => {
    witness = newWitness(tempDir('audit-witness-keys-'), 'witness.test/one');
    scene = await new Scene(
      await startAudit({
        AUDIT_SIGNING_KEY: SIGNING_KEY,
        AUDIT_MERKLE_INTERVAL_MS: '200',
        // Checkpoints only on demand here, so the test decides what the latest one is.
        AUDIT_CHECKPOINT_INTERVAL_MS: '600000',
        AUDIT_WITNESS_KEYS: witness.vkey,
        AUDIT_WITNESS_QUORUM: '1',
        API_KEYS,
      }),
    ).connect();
    for (const [subject, into] of [
      [ALERT_FIRED_SUBJECT, fired],
      [ALERT_RESOLVED_SUBJECT, resolved],
    ] as const) {
      subs.push(
        scene.audit.client.subscribe(subject, {
          callback: (_error, msg) => {
            into.push(alertEventV1Schema.parse(decodeJson(msg.data)));
          },
        }),
      );
    }
    logKey = verifierKeyText('vigil.audit/security', LOG_PUBLIC_KEY, ED25519_TYPE);
    await scene.publish(5);
    await waitFor(async () => (await scene.treeSize()) === 5, {
      timeoutMs: 20_000,
      description: 'tree of 5',
    });
    expect((await scene.http('POST', '/audit/log/security/checkpoint', witnessHeaders)).status).toBe(201);
  });

  afterAll(async () => {
    for (const sub of subs) sub.unsubscribe();
    await scene?.stop();
  });

  it('cosigns the honest log, then refuses a checkpoint of a rewritten one naming both roots, and AuditIntegrityBroken fires', async () => {
    expect(await scene.witness(witness, 'state.json', logKey)).toBe(WITNESS_EXIT.cosigned);
    const honest = await scene.checkpoint();
    expect(honest).toMatchObject({ size: 5, final: true });

    await scene.publish(4);
    await waitFor(async () => (await scene.treeSize()) === 9, {
      timeoutMs: 20_000,
      description: 'tree of 9',
    });
    // The log's key signs a size-9 tree whose history is not the one the witness cosigned.
    await scene.db.query(
      `INSERT INTO audit_log_checkpoints (category, size, root, note) VALUES ($1, $2, $3, $4)`,
      ['security', 9, Buffer.alloc(32, 0xab), forgedNote(9)],
    );
    expect(await scene.witness(witness, 'state.json', logKey)).toBe(WITNESS_EXIT.refused);
    const refusal = scene.err.join('\n');
    expect(refusal).toContain(`size 9 with root ${'ab'.repeat(32)}`);
    expect(refusal).toContain(`size 5 with root ${honest.root_hash}`);
    expect(refusal).toContain('refusal reported to the log');

    const alert = (await waitFor(() => fired.find((a) => a.labels.witness === 'witness.test/one'), {
      timeoutMs: 10_000,
      description: 'AuditIntegrityBroken for the refusal',
    })) as AlertEventV1;
    expect(alert.labels).toMatchObject({
      alertname: 'AuditIntegrityBroken',
      severity: 'critical',
      service: 'audit',
      category: 'security',
    });
    expect(alert.annotations).toMatchObject({ defect: 'witness_refused', first_bad_seq: '9' });
    expect(alert.annotations?.description).toContain(honest.root_hash);
    // While refused, the log is not signed over.
    const withheld = await scene.http('POST', '/audit/log/security/checkpoint', witnessHeaders);
    expect(withheld.status).toBe(409);
    const metrics = await (await fetch(`${scene.audit.base}/metrics`)).text();
    expect(metrics).toMatch(/audit_integrity_broken\{category="security"\} 1/);
  });

  it('refuses a cosignature of a checkpoint the log does not hold (409) and records it as a refusal', async () => {
    const note = forgedNote(3);
    const text = note.slice(0, note.indexOf('\n\n') + 1);
    const cosigned = `${note}${cosignatureLine(text, witness, 1_765_000_000)}\n`;
    const res = await scene.http('POST', '/audit/log/security/cosignatures', witnessHeaders, {
      note: cosigned,
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toMatch(
      /size 3 root (ab){32} but the log's tree of that size has root [0-9a-f]{64}/,
    );
    const { rows } = await scene.db.query<{ reason: string }>(
      `SELECT reason FROM audit_witness_refusals WHERE resolved_at IS NULL ORDER BY id`,
    );
    expect(rows.map((r) => r.reason)).toEqual(['inconsistent_proof', 'inconsistent_cosignature']);
  });

  it('resolves once the witness cosigns the restored log again, and signs checkpoints again', async () => {
    await scene.db.query('BEGIN');
    await scene.db.query("SET LOCAL session_replication_role = 'replica'");
    await scene.db.query(`DELETE FROM audit_log_checkpoints WHERE category = 'security' AND size = 9`);
    await scene.db.query('COMMIT');
    expect(await scene.witness(witness, 'state.json', logKey)).toBe(WITNESS_EXIT.cosigned);
    await waitFor(() => resolved.filter((a) => a.labels.witness === 'witness.test/one').length === 2, {
      timeoutMs: 10_000,
      description: 'both refusals resolved',
    });
    const again = await scene.http('POST', '/audit/log/security/checkpoint', witnessHeaders);
    expect(again.status).toBe(201);
    expect(((await again.json()) as CheckpointAnswer).size).toBe(9);
    expect(await scene.witness(witness, 'state.json', logKey)).toBe(WITNESS_EXIT.cosigned);
    expect((await scene.checkpoint()).final).toBe(true);
  });
});
