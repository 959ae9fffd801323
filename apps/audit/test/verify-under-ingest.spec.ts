import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';

import { auditEventSubject } from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import { runVerify } from '../src/cli/verify-command';
import type { AuditCategory } from '../src/model/audit-category';
import type { VerifyReport } from '../src/integrity/chain-verifier';
import { CheckpointService } from '../src/integrity/checkpoint.service';
import { auditEvent, encode, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

jest.setTimeout(180_000);

const SIGNING_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'der', type: 'pkcs8' })
  .toString('base64');

/** One event per (source, category) pair: every chain grows, through several subjects. */
const KINDS = [
  { source: 'shop', actor: { type: 'admin', id: 'admin-1' }, action: 'admin.profile.viewed' },
  { source: 'shop', actor: { type: 'user', id: 'u-1' }, action: 'order.placed' },
  { source: 'billing', actor: { type: 'user', id: 'u-2' }, action: 'privacy.settings.updated' },
  { source: 'billing', actor: { type: 'user', id: 'u-3' }, action: 'invoice.paid' },
  { source: 'identity', actor: { type: 'user', id: 'u-4' }, action: 'auth.login.failed' },
  { source: 'identity', actor: { type: 'user', id: 'u-5' }, action: 'privacy.consent.revoked' },
];

const VERIFY_CALLS = 60;
const CHECKPOINT_EVERY = 6;
const PUBLISH_PAUSE_MS = 20;

/**
 * Verification (API, CLI and the checkpoint job) while events are published steadily: the chain
 * heads move between any two reads, so a verifier that does not read one snapshot reports records
 * "missing" that were merely appended after it read them, and the checkpoint job withholds its
 * checkpoint. Real tampering must still be reported in the middle of the same ingest.
 */
describe('audit verification under continuous ingest (real NATS + Postgres)', () => {
  let audit: AuditHarness;
  let app: INestApplication;
  let db: Client;
  let base: string;
  let publishing = true;
  let ingest: Promise<void>;
  let published = 0;

  const verify = async (): Promise<VerifyReport> => {
    const res = await fetch(`${base}/audit/verify`, { headers: readerHeaders });
    expect(res.status).toBe(200);
    return (await res.json()) as VerifyReport;
  };
  const cli = async (): Promise<{ code: number; output: string }> => {
    const lines: string[] = [];
    const code = await runVerify(
      [],
      { DATABASE_URL: audit.databaseUrl, NATS_URL: audit.nats.url, AUDIT_SIGNING_KEY: SIGNING_KEY },
      { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    );
    return { code, output: lines.join('\n') };
  };
  const stored = async () => Number((await db.query('SELECT count(*) AS n FROM audit_events')).rows[0].n);
  const total = (report: VerifyReport) => report.chains.reduce((n, c) => n + c.records_checked, 0);

  /** Heads that moved past their chain's newest checkpoint: what the next checkpoint run must sign. */
  async function unsignedHeads(): Promise<number> {
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_chain_heads h
        WHERE h.seq > coalesce((SELECT max(seq) FROM audit_checkpoints c WHERE c.category = h.category), 0)`,
    );
    return Number(rows[0].n);
  }

  /** A steady stream (a few hundred events a second) that keeps the chains small enough to walk often. */
  async function publishSteadily(js: JetStreamClient): Promise<void> {
    while (publishing) {
      await Promise.all(
        KINDS.map((kind, i) => {
          const event = auditEvent({ ...kind, resource: { type: 'user', id: `${published + i}` } });
          return js.publish(auditEventSubject(kind.source), encode(event), { msgID: event.id });
        }),
      );
      published += KINDS.length;
      await sleep(PUBLISH_PAUSE_MS);
    }
  }

  beforeAll(async () => {
    // The interval job stays idle: the test runs the checkpoint job itself, at known moments.
    audit = await startAudit({ AUDIT_SIGNING_KEY: SIGNING_KEY, AUDIT_CHECKPOINT_INTERVAL_MS: '3600000' });
    ({ app, base } = audit);
    db = new Client({ connectionString: audit.databaseUrl });
    await db.connect();
    ingest = publishSteadily(jetstream(audit.client));
    await waitFor(async () => ((await stored()) >= 100 ? true : null), {
      timeoutMs: 30_000,
      description: 'ingest flowing',
    });
  });

  afterAll(async () => {
    publishing = false;
    await ingest?.catch(() => undefined);
    await db?.end();
    await audit?.stop();
  });

  it('answers ok on every call and signs every checkpoint taken meanwhile', async () => {
    const checkpoints = app.get(CheckpointService);
    const failures: unknown[] = [];
    const totals: number[] = [];
    const signed: number[] = [];
    for (let call = 1; call <= VERIFY_CALLS; call++) {
      const report = await verify();
      totals.push(total(report));
      if (!report.ok) failures.push({ call, first_bad: report.first_bad });
      if (call % CHECKPOINT_EVERY === 0) {
        // A head has moved since the last checkpoint, so a run that is not withheld signs at least one.
        await waitFor(async () => ((await unsignedHeads()) > 0 ? true : null), {
          description: 'a head past its checkpoint',
        });
        signed.push(await checkpoints.checkpointHeads());
        const { code, output } = await cli();
        if (code !== 0) failures.push({ call, cli: output });
      }
    }
    expect(failures).toEqual([]);
    expect(signed).toHaveLength(VERIFY_CALLS / CHECKPOINT_EVERY);
    expect(signed.every((n) => n > 0)).toBe(true);
    // The trail grew under the verifier: most calls saw a different chain length than the call before.
    const grew = totals.filter((n, i) => i > 0 && n > totals[i - 1]).length;
    expect(grew).toBeGreaterThan(VERIFY_CALLS / 2);
  });

  it('still reports a tampered record, and withholds the checkpoint over it, while ingest goes on', async () => {
    const category: AuditCategory = 'privacy';
    // The first record after the newest checkpoint: the checkpoint job re-verifies it before signing.
    const { rows } = await db.query<{ seq: string; id: string }>(
      `SELECT e.seq, e.id FROM audit_events e
        WHERE e.category = $1
          AND e.seq = (SELECT max(seq) FROM audit_checkpoints WHERE category = $1) + 1`,
      [category],
    );
    expect(rows).toHaveLength(1);
    const seq = Number(rows[0].seq);
    await db.query('BEGIN');
    await db.query("SET LOCAL session_replication_role = 'replica'");
    await db.query(
      `UPDATE audit_events SET event = jsonb_set(event, '{resource,id}', '"forged"')
        WHERE category = $1 AND seq = $2`,
      [category, seq],
    );
    await db.query('COMMIT');
    const before = await stored();

    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.first_bad).toMatchObject({ category, seq, id: rows[0].id, defect: 'hash_mismatch' });
    const { code, output } = await cli();
    expect(code).toBe(1);
    expect(output).toMatch(new RegExp(`category=${category} seq=${seq} .*defect=hash_mismatch`));
    await waitFor(async () => ((await unsignedHeads()) > 0 ? true : null), {
      description: 'a head past its checkpoint',
    });
    expect(await app.get(CheckpointService).checkpointHeads()).toBe(0);
    expect(await stored()).toBeGreaterThan(before);
  });
});
