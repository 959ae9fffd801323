// bench/audit-proofs: the audit Merkle log at scale. A LEAVES-leaf `routine` log is built in Postgres (production
// durability: fsync, synchronous_commit, full_page_writes on) without ingest: the bench computes every record's
// canonical text, leaf hash and hash-chain link, COPYs the complete subtrees into audit_merkle_nodes in key order
// and the newest EXPORT_EVENTS records into audit_events (the older ones as retention leaves them: dropped after
// a signed `cut` checkpoint, their leaves still in the tree), and signs the chain head. The built audit service
// then runs on it at the shipped log level and must find the chain intact (audit_integrity_broken 0). Measured:
//   - inclusion proof p99 over HTTP (GET /audit/log/routine/proof/inclusion, full tree size, one request in
//     flight, random stored events), each proof verified against the root the bench computed itself; the
//     same-run baseline reads the same complete-subtree rows the proof is made of with one indexed query
//     (pg, one in flight), sample for sample alternating with the HTTP request;
//   - offline verification of an EXPORT_EVENTS-event export: GET /audit/export streamed to a file, then
//     `node apps/audit/dist/cli/vigil-audit.js verify-export` timed as a process (start to exit) with only the
//     public key; then one byte of a record in the middle is flipped and the verifier must name that line.
// Fails (no last line) when a proof does not verify, the chain does not, the export does not hold exactly the
// stored events, or the verifier accepts the tampered file. Last line:
//   bench=audit-proofs proof_p99_ms=<x> verify_s=<x> leaves=<n> baseline_indexed_read_p99_ms=<x>
//     ratio=<proof_p99_ms / baseline_indexed_read_p99_ms>
// BENCH_SMOKE=1: 3,000 leaves, 500 exported, verified with 2 worker threads (the path large files take).
// Knobs (investigation only): BENCH_PROOF_LEAVES, BENCH_PROOF_EXPORT, BENCH_VERIFY_THREADS, BENCH_SKIP_BUILD=1.
import { createHash, generateKeyPairSync, hash, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  mkdtempSync,
  openSync,
  closeSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import copyStreams from 'pg-copy-streams';

import {
  apiKey,
  buildProjects,
  check,
  loadTesting,
  log,
  percentile,
  pg,
  root,
  runCleanups,
  SHIPPED_LOG_LEVEL,
  sized,
  startDurablePostgres,
} from '../shared.mjs';

const LEAVES = Number(process.env.BENCH_PROOF_LEAVES ?? sized(10_000_000, 3_000));
const EXPORT_EVENTS = Number(process.env.BENCH_PROOF_EXPORT ?? sized(1_000_000, 500));
const PROOF_SAMPLES = sized(2_000, 100);
const WARMUP_SAMPLES = sized(200, 20);
const VERIFY_THREADS = process.env.BENCH_VERIFY_THREADS ?? sized(undefined, '2');
const CATEGORY = 'routine';
const API_KEY = apiKey();
const SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'der', type: 'pkcs8' })
  .toString('base64');
const CLI = path.join(root, 'apps/audit/dist/cli/vigil-audit.js');

// ---------------------------------------------------------------- RFC 6962, written here independently
const leafOf = (text) => hash('sha256', `\u0000${text}`, 'buffer');
const scratch = Buffer.alloc(65, 1);
function node(left, right) {
  left.copy(scratch, 1);
  right.copy(scratch, 33);
  return hash('sha256', scratch, 'buffer');
}
const splitPoint = (n) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
/** The complete subtrees (level, index) covering [start, end), left to right. */
function perfectSubtrees(start, end) {
  const ids = [];
  for (let at = start; at < end;) {
    let size = 1;
    let level = 0;
    while (at % (size * 2) === 0 && at + size * 2 <= end) {
      size *= 2;
      level += 1;
    }
    ids.push({ level, index: at / size });
    at += size;
  }
  return ids;
}
/** Every complete subtree an inclusion proof of leaf m in a tree of n leaves is folded from. */
function proofSubtrees(m, n) {
  const ids = [];
  for (let start = 0, end = n; end - start > 1;) {
    const k = splitPoint(end - start);
    if (m - start < k) {
      ids.push(...perfectSubtrees(start + k, end));
      end = start + k;
    } else {
      ids.push(...perfectSubtrees(start, start + k));
      start += k;
    }
  }
  return ids;
}
/** RFC 9162 §2.1.3.2. */
function rootFromProof(index, size, leaf, proof) {
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else r = node(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

// ---------------------------------------------------------------- the log's data
const OLD_AT = new Date(Date.now() - 40 * 86_400_000).toISOString(); // records retention has since dropped
const NEW_AT = new Date(Date.now() - 60_000).toISOString(); // stored records (this month's partition)

/** An event and its record's canonical text (keys sorted as the service's canonical JSON sorts them). */
function recordOf(i) {
  const id = randomUUID();
  const receivedAt = i < LEAVES - EXPORT_EVENTS ? OLD_AT : NEW_AT;
  const event =
    `{"action":"wallet.settings.viewed","actor":{"id":"u-${i % 50_000}","ip":"10.0.${i % 250}.1","type":"user"},` +
    `"id":"${id}","occurred_at":"${receivedAt}","outcome":"success","request_id":"req-${i}",` +
    `"resource":{"id":"w-${i % 80_000}","type":"wallet"},"source":"shop"}`;
  const text = `{"category":"${CATEGORY}","event":${event},"id":"${id}","received_at":"${receivedAt}","seq":${i + 1}}`;
  return { id, i, receivedAt, event, text };
}

const copyText = (value) =>
  value === null ? '\\N' : String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t');

/**
 * Computes every record, its leaf and chain link; streams the newest EXPORT_EVENTS as audit_events rows into
 * COPY. Returns the leaf hashes, the chain's hash at the cut and at the head, and the stored ids.
 */
async function loadRecords(db) {
  const leaves = Buffer.allocUnsafe(LEAVES * 32);
  const stored = [];
  let chain = Buffer.alloc(32);
  const firstStored = LEAVES - EXPORT_EVENTS;
  const t0 = performance.now();
  for (let i = 0; i < firstStored; i++) {
    const r = recordOf(i);
    leafOf(r.text).copy(leaves, i * 32);
    chain = createHash('sha256').update(chain).update(r.text).digest();
    if (i % 1_000_000 === 999_999)
      log(`  records ${i + 1} of ${LEAVES} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const cutHash = chain;
  function* rows() {
    let batch = '';
    for (let i = firstStored; i < LEAVES; i++) {
      const r = recordOf(i);
      leafOf(r.text).copy(leaves, i * 32);
      const prev = chain;
      chain = createHash('sha256').update(chain).update(r.text).digest();
      stored.push(r.id);
      const fields = [
        CATEGORY,
        i + 1,
        r.id,
        r.receivedAt,
        r.receivedAt,
        'shop',
        null,
        'user',
        `u-${i % 50_000}`,
        'wallet.settings.viewed',
        'wallet',
        `w-${i % 80_000}`,
        'success',
        `req-${i}`,
        null,
        r.event,
        `\\x${prev.toString('hex')}`,
        `\\x${chain.toString('hex')}`,
      ];
      batch += `${fields.map(copyText).join('\t')}\n`;
      if (batch.length > 1 << 20) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  }
  await db.query(`SELECT audit_ensure_partition($1, $2)`, [CATEGORY, NEW_AT]);
  await pipeline(
    Readable.from(rows()),
    db.query(
      copyStreams.from(`COPY audit_events (category, seq, id, received_at, occurred_at, source, tenant_id, actor_type,
        actor_id, action, resource_type, resource_id, outcome, request_id, trace_id, event, prev_hash, hash) FROM STDIN`),
    ),
  );
  await pipeline(
    Readable.from(
      (function* () {
        for (let at = 0; at < stored.length; at += 10_000)
          yield stored
            .slice(at, at + 10_000)
            .map((id) => `${id}\t${CATEGORY}\t${NEW_AT}\n`)
            .join('');
      })(),
    ),
    db.query(copyStreams.from(`COPY audit_event_ids (id, category, received_at) FROM STDIN`)),
  );
  log(
    `records: ${LEAVES} computed, ${EXPORT_EVENTS} stored in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  return { leaves, cutHash, headHash: chain, stored };
}

/** Every complete subtree, level by level (each level in index order: the primary key's order), by COPY. */
async function loadNodes(db, leaves) {
  const t0 = performance.now();
  const levels = [leaves];
  while (levels[levels.length - 1].length >= 64) {
    const below = levels[levels.length - 1];
    const above = Buffer.allocUnsafe(Math.floor(below.length / 64) * 32);
    for (let j = 0; j * 32 < above.length; j++) {
      node(below.subarray(j * 64, j * 64 + 32), below.subarray(j * 64 + 32, j * 64 + 64)).copy(above, j * 32);
    }
    levels.push(above);
  }
  function* lines() {
    for (const [level, hashes] of levels.entries()) {
      let batch = '';
      for (let j = 0; j * 32 < hashes.length; j++) {
        batch += `${CATEGORY}\t${level}\t${j}\t\\\\x${hashes.toString('hex', j * 32, j * 32 + 32)}\n`;
        if (batch.length > 1 << 20) {
          yield batch;
          batch = '';
        }
      }
      if (batch) yield batch;
    }
  }
  await pipeline(
    Readable.from(lines()),
    db.query(copyStreams.from(`COPY audit_merkle_nodes (category, level, node_index, hash) FROM STDIN`)),
  );
  const subtree = ({ level, index }) => levels[level].subarray(index * 32, index * 32 + 32);
  const frontier = perfectSubtrees(0, LEAVES).map(subtree);
  let treeRoot = frontier[frontier.length - 1];
  for (let k = frontier.length - 2; k >= 0; k--) treeRoot = node(frontier[k], treeRoot);
  const count = levels.reduce((sum, l) => sum + l.length / 32, 0);
  log(`merkle nodes: ${count} complete subtrees COPYed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return { root: treeRoot, subtree };
}

/** The chain head, the tree head, and two signed checkpoints: the retention cut and the head. */
async function loadHeads(db, records, treeRoot) {
  const { signCheckpoint, signingKey } = await import(
    path.join(root, 'apps/audit/dist/model/checkpoint-signer.js')
  );
  const key = signingKey(SIGNING_KEY);
  const cutSeq = LEAVES - EXPORT_EVENTS;
  await db.query(
    `INSERT INTO audit_chain_heads (category, seq, hash, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (category) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, received_at = excluded.received_at`,
    [CATEGORY, LEAVES, records.headHash, NEW_AT],
  );
  await db.query(
    `INSERT INTO audit_merkle_heads (category, size, root) VALUES ($1, $2, $3)
       ON CONFLICT (category) DO UPDATE SET size = excluded.size, root = excluded.root, updated_at = now()`,
    [CATEGORY, LEAVES, treeRoot],
  );
  for (const [seq, chainHash, kind] of [
    [cutSeq, records.cutHash, 'cut'],
    [LEAVES, records.headHash, 'interval'],
  ]) {
    if (seq === 0) continue;
    const payload = { category: CATEGORY, seq, hash: chainHash, kind, created_at: new Date().toISOString() };
    await db.query(
      `INSERT INTO audit_checkpoints (category, seq, hash, kind, created_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [CATEGORY, seq, chainHash, kind, payload.created_at, key.keyId, signCheckpoint(key, payload)],
    );
  }
  await db.query('ANALYZE');
}

// ---------------------------------------------------------------- measurements
/** Waits for the boot walk of every chain (from the cut) to finish, and fails unless it found it intact. */
async function waitForIntactChain(port) {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/health/detailed`, {
      headers: { authorization: `Bearer ${API_KEY.key}` },
    });
    const text = await res.text();
    if (/"verified_at":"[^"]+"/.test(text)) {
      check(
        /"routine_broken":false/.test(text),
        `the audit service found the loaded chain broken: ${text.slice(0, 800)}`,
      );
      return;
    }
    if (Date.now() > deadline)
      throw new Error(`the boot verification did not finish within 600 s: ${text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Proof over HTTP then the same rows by one indexed query, alternating; every proof verified. */
async function measureProofs(port, db, records, tree) {
  const http = [];
  const baseline = [];
  const headers = { authorization: `Bearer ${API_KEY.key}` };
  const firstStored = LEAVES - EXPORT_EVENTS;
  for (let s = 0; s < WARMUP_SAMPLES + PROOF_SAMPLES; s++) {
    const k = Math.floor(Math.random() * records.stored.length);
    const index = firstStored + k;
    const t0 = performance.now();
    const res = await fetch(
      `http://127.0.0.1:${port}/audit/log/${CATEGORY}/proof/inclusion?event_id=${records.stored[k]}&tree_size=${LEAVES}`,
      { headers },
    );
    const body = /** @type {{ leaf_index: number, proof: string[] }} */ (await res.json());
    const t1 = performance.now();
    check(res.status === 200 && body.leaf_index === index, `proof of leaf ${index}: HTTP ${res.status}`);
    const leaf = records.leaves.subarray(index * 32, index * 32 + 32);
    const computed = rootFromProof(
      index,
      LEAVES,
      leaf,
      body.proof.map((h) => Buffer.from(h, 'hex')),
    );
    check(
      computed !== null && computed.equals(tree.root),
      `the proof of leaf ${index} does not lead to the root`,
    );
    const ids = proofSubtrees(index, LEAVES);
    const t2 = performance.now();
    const { rows } = await db.query(
      `SELECT n.hash FROM audit_merkle_nodes AS n
         JOIN unnest($2::smallint[], $3::bigint[]) AS w(level, node_index) ON n.level = w.level AND n.node_index = w.node_index
        WHERE n.category = $1`,
      [CATEGORY, ids.map((id) => id.level), ids.map((id) => id.index)],
    );
    const t3 = performance.now();
    check(rows.length === ids.length, `the baseline read ${rows.length} of ${ids.length} rows`);
    if (s >= WARMUP_SAMPLES) {
      http.push(t1 - t0);
      baseline.push(t3 - t2);
    }
  }
  http.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);
  log(
    `proofs: ${PROOF_SAMPLES} over HTTP p50 ${percentile(http, 50).toFixed(2)} ms p99 ${percentile(http, 99).toFixed(2)} ms; ` +
      `baseline (the same subtree rows, one indexed query) p50 ${percentile(baseline, 50).toFixed(2)} ms p99 ${percentile(baseline, 99).toFixed(2)} ms`,
  );
  return { p99: percentile(http, 99), baselineP99: percentile(baseline, 99) };
}

function runCli(args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out, err, seconds: (performance.now() - t0) / 1000 }));
  });
}

/** Streams the export to a file, verifies it offline (timed), then flips a byte and must see it named. */
async function measureExport(port, dir) {
  const file = path.join(dir, 'export.ndjson');
  const t0 = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/audit/export?format=ndjson&action_prefix=wallet.`, {
    headers: { authorization: `Bearer ${API_KEY.key}` },
  });
  check(res.status === 200 && res.body !== null, `GET /audit/export answered ${res.status}`);
  await pipeline(Readable.fromWeb(/** @type {any} */ (res.body)), createWriteStream(file));
  const exportSeconds = (performance.now() - t0) / 1000;
  const size = statSync(file).size;
  log(
    `export: ${EXPORT_EVENTS} events, ${(size / 1e6).toFixed(0)} MB streamed in ${exportSeconds.toFixed(1)} s`,
  );
  const keyFile = path.join(dir, 'public-key.json');
  writeFileSync(keyFile, await (await fetch(`http://127.0.0.1:${port}/audit/checkpoints/public-key`)).text());
  const threads = VERIFY_THREADS ? ['--threads', String(VERIFY_THREADS)] : [];
  const good = await runCli(['verify-export', file, '--public-key', keyFile, '--json', ...threads]);
  check(
    good.code === 0,
    `verify-export rejected the export: ${good.out.slice(0, 500)} ${good.err.slice(0, 500)}`,
  );
  const report = JSON.parse(good.out);
  check(
    report.events === EXPORT_EVENTS,
    `the export holds ${report.events} events, ${EXPORT_EVENTS} were stored`,
  );
  log(
    `verify-export: ${report.events} events in ${good.seconds.toFixed(2)} s (process start to exit; ${report.threads} thread(s), ` +
      `${report.node_hashes} node hashes, ${report.seconds.toFixed(2)} s inside, ${report.cpu_seconds.toFixed(1)} CPU-seconds)`,
  );
  // A byte of a record in the middle flipped: the verifier must name that line.
  const middle = Math.floor(size / 2);
  const fd = openSync(file, 'r+');
  const probe = Buffer.alloc(1 << 16);
  readSync(fd, probe, 0, probe.length, middle);
  const lineStart = middle + probe.indexOf(10) + 1;
  const lineText = readFrom(fd, lineStart);
  const tamperedId = /"id":"([0-9a-f-]{36})"/.exec(lineText)?.[1];
  const recordAt = lineStart + lineText.indexOf('"record":"{\\"category') + 40;
  const original = Buffer.alloc(1);
  readSync(fd, original, 0, 1, recordAt);
  writeSync(fd, Buffer.from(original[0] === 0x61 ? 'b' : 'a'), 0, 1, recordAt);
  closeSync(fd);
  const bad = await runCli(['verify-export', file, '--public-key', keyFile, ...threads]);
  check(
    bad.code === 1 &&
      tamperedId !== undefined &&
      new RegExp(`line \\d+ \\(event ${tamperedId}\\)`).test(bad.out),
    `a flipped byte in the record of event ${tamperedId} was not named: ${bad.out} ${bad.err}`,
  );
  log(`tampered copy: ${bad.out.trim()}`);
  return { verifySeconds: good.seconds, exportSeconds, size };
}

function readFrom(fd, at) {
  const buf = Buffer.alloc(1 << 16);
  readSync(fd, buf, 0, buf.length, at);
  return buf.toString('latin1');
}

async function main() {
  buildProjects(['@vigil/audit-service', '@vigil/testing']);
  const testing = await loadTesting();
  const cleanups = [];
  let service;
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-audit-proofs-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const nats = await testing.startNatsServer();
    cleanups.push(() => nats.stop());
    const postgres = await startDurablePostgres(testing);
    cleanups.push(() => postgres.stop());
    const databaseUrl = await postgres.createDatabase();
    const port = await testing.freePort();
    const env = {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: SHIPPED_LOG_LEVEL,
      ENVIRONMENT: 'test',
      AUDIT_SIGNING_KEY: SIGNING_KEY,
      API_KEYS: JSON.stringify([
        { name: 'bench', hash: API_KEY.hash, scopes: ['audit:read', 'health:detailed'] },
      ]),
    };
    // First run: the migrations only (then stopped, so nothing appends while the log is loaded).
    service = await testing.runService({ app: 'audit', env });
    await service.waitForReady(port, 60_000);
    await service.stop();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    cleanups.push(() => db.end());
    log(`building a ${LEAVES}-leaf ${CATEGORY} log (${EXPORT_EVENTS} newest records stored)`);
    const records = await loadRecords(db);
    const tree = await loadNodes(db, records.leaves);
    await loadHeads(db, records, tree.root);

    service = await testing.runService({ app: 'audit', env });
    cleanups.push(() => service.stop());
    await service.waitForReady(port, 120_000);
    const t0 = performance.now();
    await waitForIntactChain(port);
    log(
      `audit service ready; boot verification of the stored chain: intact (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );

    const proofs = await measureProofs(port, db, records, tree);
    const exported = await measureExport(port, dir);
    log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    process.stdout.write(
      `bench=audit-proofs proof_p99_ms=${proofs.p99.toFixed(2)} verify_s=${exported.verifySeconds.toFixed(2)} leaves=${LEAVES} ` +
        `baseline_indexed_read_p99_ms=${proofs.baselineP99.toFixed(2)} ratio=${(proofs.p99 / proofs.baselineP99).toFixed(2)}\n`,
    );
  } catch (error) {
    if (service)
      log(`--- audit service output (tail) ---\n${service.output().split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await runCleanups(cleanups);
  }
}

main().catch((error) => {
  log(`bench audit-proofs failed: ${error?.stack ?? error}`);
  process.exit(1);
});
