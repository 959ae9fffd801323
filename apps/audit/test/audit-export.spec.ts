import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { jetstream } from '@nats-io/jetstream';
import { Client } from 'pg';

import { auditEventSubject } from '@vigil/contracts';
import { tempDir, waitFor } from '@vigil/testing';

import { runVerifyExport } from '../src/cli/verify-export-command';
import {
  recordLeafHash,
  type ExportEventLine,
  type ExportHeader,
  type ExportTrailer,
} from '../src/export/export-format';
import { auditEvent, encode, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

const SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'der', type: 'pkcs8' })
  .toString('base64');

const DAY = new Date().toISOString().slice(0, 10);
const FROM = `${DAY}T00:00:00Z`;
const TO = new Date(Date.parse(FROM) + 86_400_000).toISOString();

interface Verified {
  code: number;
  out: string;
  err: string;
}

describe('auditor export: GET /audit/export and vigil-audit verify-export (real NATS + Postgres)', () => {
  let audit: AuditHarness;
  let db: Client;
  let dir: string;
  let keyFile: string;

  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  async function exportText(query: string, headers: Record<string, string> = readerHeaders) {
    const res = await fetch(`${audit.base}/audit/export?${query}`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  }

  async function verify(path: string, ...extra: string[]): Promise<Verified> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runVerifyExport([path, '--public-key', keyFile, ...extra], {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  const lines = (text: string) => text.trimEnd().split('\n');
  const eventLine = (text: string, lineNo: number) => JSON.parse(lines(text)[lineNo - 1]) as ExportEventLine;
  const rejoin = (items: string[]) => `${items.join('\n')}\n`;

  async function publish(events: Record<string, unknown>[]): Promise<void> {
    const js = jetstream(audit.client);
    for (const overrides of events) {
      const event = auditEvent(overrides);
      await js.publish(auditEventSubject(event.source), encode(event), { msgID: event.id });
    }
  }

  async function stored(count: number): Promise<void> {
    await waitFor(
      async () =>
        Number((await db.query('SELECT count(*) AS n FROM audit_events')).rows[0].n) >= count ? true : null,
      { timeoutMs: 20_000, description: `${count} rows` },
    );
  }

  const wallet = (admin: string, id: string) => ({
    actor: { type: 'admin', id: admin },
    action: 'admin.wallet.viewed',
    resource: { type: 'wallet', id },
  });

  beforeAll(async () => {
    audit = await startAudit({ AUDIT_SIGNING_KEY: SIGNING_KEY, AUDIT_MERKLE_INTERVAL_MS: '200' });
    db = new Client({ connectionString: audit.databaseUrl });
    await db.connect();
    dir = tempDir('audit-export-');
    const res = await fetch(`${audit.base}/audit/checkpoints/public-key`);
    keyFile = file('public-key.json', await res.text());
    await publish([
      ...Array.from({ length: 6 }, (_, i) => wallet('admin-1', `w-${i}`)),
      wallet('admin-7', 'w-42'),
      ...Array.from({ length: 5 }, (_, i) => ({
        actor: { type: 'user', id: `u-${i}` },
        action: 'order.placed',
        resource: { type: 'order', id: `o-${i}` },
      })),
    ]);
    await stored(12);
  });

  afterAll(async () => {
    await db?.end();
    await audit?.stop();
  });

  it('exports a search as one file: header with a checkpoint per log, a line per event, a signed trailer', async () => {
    const res = await exportText(`format=ndjson&from=${FROM}&to=${TO}&action_prefix=admin.wallet`);
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/x-ndjson');
    const all = lines(res.text);
    const header = JSON.parse(all[0]) as ExportHeader;
    const trailer = JSON.parse(all[all.length - 1]) as ExportTrailer;
    expect(header.logs.map((l) => [l.category, l.origin, l.size])).toEqual([
      ['security', 'vigil.audit/security', 7],
    ]);
    expect(trailer).toMatchObject({ type: 'trailer', count: 7, counts: { security: 7 }, pending: 0 });
    const events = all.slice(1, -1).map((l) => JSON.parse(l) as ExportEventLine);
    expect(events.map((e) => e.leaf_index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(events.map((e) => e.prev_leaf_index)).toEqual([null, 0, 1, 2, 3, 4, 5]);
    // The record is exactly the stored row's canonical leaf bytes: its leaf hash is the tree's level-0 node.
    const { rows } = await db.query<{ hash: Buffer }>(
      `SELECT hash FROM audit_merkle_nodes WHERE category = 'security' AND level = 0 ORDER BY node_index`,
    );
    expect(events.map((e) => recordLeafHash(e.record).toString('base64'))).toEqual(
      rows.map((r) => r.hash.toString('base64')),
    );

    const verified = await verify(file('wallets.ndjson', res.text));
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toContain('export verified: 7 events (security 7)');
  });

  it('records the export as a read-event with its filters, count and checkpoints', async () => {
    const row = await waitFor(
      async () =>
        (
          await db.query<{
            event: {
              actor: { id: string };
              metadata: { filters: Record<string, string>; count: number; result: Record<string, unknown> };
            };
          }>(
            `SELECT event FROM audit_events WHERE action = 'audit.events.exported' ORDER BY received_at LIMIT 1`,
          )
        ).rows[0] ?? null,
      { timeoutMs: 10_000, description: 'the export read-event' },
    );
    expect(row?.event.actor.id).toBe('reader');
    expect(row?.event.metadata).toMatchObject({
      filters: { action_prefix: 'admin.wallet', format: 'ndjson' },
      count: 7,
      result: { checkpoints: 'security:7', pending: 0 },
    });
  });

  it('names the first edited, deleted, reordered or re-hashed record, and refuses a cut-short file', async () => {
    const good = (await exportText('format=ndjson')).text;
    const all = lines(good);
    expect(all.length).toBeGreaterThan(8);
    const fourth = eventLine(good, 4);

    // Edited: an admin's id changed inside the record.
    const edited = [...all];
    edited[3] = all[3].replace(/admin-1/g, 'admin-9');
    expect(edited[3]).not.toBe(all[3]);
    const e = await verify(file('edited.ndjson', rejoin(edited)));
    expect(e.code).toBe(1);
    expect(e.out).toContain(`line 4 (event ${fourth.id}): leaf_hash is not SHA-256(0x00 ‖ record)`);

    // Re-hashed: the same edit with its leaf hash recomputed: the proof no longer reaches the signed root.
    const line = JSON.parse(edited[3]) as ExportEventLine;
    const rehashed = [...all];
    rehashed[3] = JSON.stringify({ ...line, leaf_hash: recordLeafHash(line.record).toString('base64') });
    const r = await verify(file('rehashed.ndjson', rejoin(rehashed)));
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      `line 4 (event ${fourth.id}): inclusion proof does not lead to the security checkpoint's root`,
    );

    // Deleted: line 4 removed; line 5 now says its log's previous record is leaf 3, which is not in the file.
    const deleted = all.filter((_, i) => i !== 3);
    const fifth = eventLine(good, 5);
    const d = await verify(file('deleted.ndjson', rejoin(deleted)));
    expect(d.code).toBe(1);
    expect(d.out).toContain(`line 4 (event ${fifth.id}): a record is missing or moved before this line`);

    // Reordered: lines 4 and 5 swapped; then also with their prev_leaf_index rewritten to match.
    const reordered = [...all];
    [reordered[3], reordered[4]] = [all[4], all[3]];
    const o = await verify(file('reordered.ndjson', rejoin(reordered)));
    expect(o.code).toBe(1);
    expect(o.out).toContain(`line 4 (event ${fifth.id}): a record is missing or moved before this line`);
    const relinked = [...reordered];
    relinked[3] = JSON.stringify({ ...fifth, prev_leaf_index: 1 });
    relinked[4] = JSON.stringify({ ...fourth, prev_leaf_index: 3 });
    const o2 = await verify(file('relinked.ndjson', rejoin(relinked)));
    expect(o2.code).toBe(1);
    expect(o2.out).toContain(
      `line 5 (event ${fourth.id}): out of order: leaf 2 of security follows leaf 3 of security`,
    );

    // The last event deleted: no line follows it, the signed trailer's count catches it.
    const lastGone = [...all.slice(0, -2), all[all.length - 1]];
    const l = await verify(file('last-gone.ndjson', rejoin(lastGone)));
    expect(l.code).toBe(1);
    expect(l.out).toContain('the trailer counts');

    // Cut short (the connection dropped): no trailer.
    const c = await verify(file('cut.ndjson', rejoin(all.slice(0, -1))));
    expect(c.code).toBe(1);
    expect(c.out).toContain('the file has no trailer');

    // And the untouched file verifies, with both logs' checkpoints in its header.
    const ok = await verify(file('good.ndjson', good));
    expect(ok.code).toBe(0);
    expect((JSON.parse(all[0]) as ExportHeader).logs.map((log) => log.category)).toEqual([
      'security',
      'routine',
    ]);
  });

  it('refuses an export under another key (the public key of another deployment)', async () => {
    // Given inline as base64 SPKI (the other form the option takes besides a file).
    const other = generateKeyPairSync('ed25519')
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64');
    const path = file('wallets-other.ndjson', (await exportText('format=ndjson&resource_type=wallet')).text);
    const out: string[] = [];
    const code = await runVerifyExport([path, '--public-key', other], {
      out: (x) => out.push(x),
      err: (x) => out.push(x),
    });
    expect(out.join('\n')).toContain('line 1: the export names signing key');
    expect(code).toBe(1);
  });

  it("acceptance: with only the public key and exports, an admin's wallet view on a day is proved, and the log only grew since", async () => {
    // The auditor asks for admin-7's wallet accesses that day and keeps the file.
    const first = await exportText(`format=ndjson&actor=admin-7&resource_type=wallet&from=${FROM}&to=${TO}`);
    const firstFile = file('admin-7.ndjson', first.text);
    const proved = await verify(firstFile);
    expect(proved.code).toBe(0);
    const [line] = lines(first.text)
      .slice(1, -1)
      .map((l) => JSON.parse(l) as ExportEventLine);
    const event = JSON.parse(line.record) as { received_at: string; event: { resource: { id: string } } };
    // The wallet id is personal (erasure policy): the proved record holds it sealed, the opened event in clear.
    expect(event.event.resource.id).toMatch(/^vigil-enc:v1:/);
    expect(line.opened_event).toMatchObject({
      action: 'admin.wallet.viewed',
      actor: { id: 'admin-7' },
      resource: { type: 'wallet', id: 'w-42' },
    });
    expect(event.received_at.slice(0, 10)).toBe(DAY);
    // The wallet is a personal subject, stored sealed: an export filtered by its id still finds its accesses.
    const byWallet = await exportText(`format=ndjson&resource_id=w-42&from=${FROM}&to=${TO}`);
    expect(
      lines(byWallet.text)
        .slice(1, -1)
        .map((l) => (JSON.parse(l) as ExportEventLine).id),
    ).toContain(line.id);
    const firstSize = (JSON.parse(lines(first.text)[0]) as ExportHeader).logs[0].size;

    // Later: the log grows; a new export carries a consistency proof from the size the auditor holds.
    await publish(Array.from({ length: 5 }, (_, i) => wallet('admin-2', `w-later-${i}`)));
    await waitFor(
      async () => {
        const res = await fetch(`${audit.base}/audit/log/security/checkpoint`, { headers: readerHeaders });
        return ((await res.json()) as { size: number }).size >= firstSize + 5 ? true : null;
      },
      { timeoutMs: 20_000, description: 'the security log grown by 5' },
    );
    const later = await exportText(`format=ndjson&actor=admin-2&consistency_from=security:${firstSize}`);
    const laterFile = file('later.ndjson', later.text);
    const grown = await verify(laterFile, '--consistency-from', firstFile);
    expect(grown.code).toBe(0);
    expect(grown.out).toMatch(
      new RegExp(`append-only: vigil.audit/security grew from ${firstSize} to \\d+ leaves`),
    );

    // Without the proof, or with a proof edited to fit a rewritten log, the growth is not shown.
    const without = await verify(
      file('no-proof.ndjson', (await exportText('format=ndjson&actor=admin-2')).text),
      '--consistency-from',
      firstFile,
    );
    expect(without.code).toBe(1);
    expect(without.out).toContain(`no consistency proof of vigil.audit/security from size ${firstSize}`);
    const header = JSON.parse(lines(later.text)[0]) as ExportHeader;
    const forged = header.logs[0].consistency[0].proof.map(() => Buffer.alloc(32, 7).toString('base64'));
    header.logs[0].consistency[0].proof = forged;
    const forgedText = rejoin([JSON.stringify(header), ...lines(later.text).slice(1)]);
    const rewritten = await verify(file('forged.ndjson', forgedText), '--consistency-from', firstFile);
    expect(rewritten.code).toBe(1);
    expect(rewritten.out).toContain('was not only appended to');
  });

  it('exports only what the checkpoint covers and says how many matching events it left out', async () => {
    // Hold the security tree's head lock, as an appender on another replica would: new events stay out.
    const holder = new Client({ connectionString: audit.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT size FROM audit_merkle_heads WHERE category = 'security' FOR UPDATE`);
      const before = Number(
        (await db.query(`SELECT count(*) AS n FROM audit_events WHERE actor_id = 'admin-3'`)).rows[0].n,
      );
      expect(before).toBe(0);
      await publish([wallet('admin-3', 'w-pending')]);
      await waitFor(
        async () =>
          Number(
            (await db.query(`SELECT count(*) AS n FROM audit_events WHERE actor_id = 'admin-3'`)).rows[0].n,
          ) === 1
            ? true
            : null,
        { timeoutMs: 10_000, description: 'the pending event stored' },
      );
      const res = await exportText('format=ndjson&actor=admin-3');
      const all = lines(res.text);
      expect(JSON.parse(all[all.length - 1])).toMatchObject({ count: 0, pending: 1 });
      const verified = await verify(file('pending.ndjson', res.text));
      expect(verified.code).toBe(0);
      expect(verified.out).toContain('1 matching event(s) were stored after these checkpoints');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('answers bad requests with 400/401 JSON', async () => {
    const cases: [string, number, string][] = [
      ['actor=admin-1', 400, 'format must be ndjson'],
      ['format=csv', 400, 'format must be ndjson'],
      ['format=ndjson&limit=5', 400, 'limit'],
      ['format=ndjson&consistency_from=billing:3', 400, 'consistency_from must be'],
      ['format=ndjson&consistency_from=security:999999', 400, 'beyond the security log'],
    ];
    for (const [query, status, message] of cases) {
      const res = await exportText(query);
      expect({ query, status: res.status }).toEqual({ query, status });
      expect((JSON.parse(res.text) as { message: string }).message).toContain(message);
    }
    expect((await exportText('format=ndjson', {})).status).toBe(401);
  });
});
