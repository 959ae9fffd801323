import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';

import type { AuditEventV1 } from '@vigil/contracts';
import { startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, type NatsServerHandle } from '@vigil/testing';

import { CheckpointService } from '../src/integrity/checkpoint.service';
import { RetentionService } from '../src/retention/retention.service';
import { auditService } from '../src/service';
import { AuditEventRepository } from '../src/storage/audit-event.repository';
import { auditEvent } from './audit-factory';

const at = (iso: string) => () => new Date(iso);
const routine = (): AuditEventV1 =>
  auditEvent({ actor: { type: 'user', id: 'u-1' }, action: 'order.placed' }) as AuditEventV1;
const security = (): AuditEventV1 =>
  auditEvent({ actor: { type: 'user', id: 'u-1' }, action: 'auth.login.failed' }) as AuditEventV1;
const privacy = (): AuditEventV1 =>
  auditEvent({ actor: { type: 'user', id: 'u-1' }, action: 'privacy.settings.updated' }) as AuditEventV1;

describe('retention by category drops whole partitions behind a signed cut (real Postgres)', () => {
  let nats: NatsServerHandle;
  let app: INestApplication;
  let db: Client;

  const partitions = async () =>
    (
      await db.query<{ relname: string }>(
        "SELECT relname FROM pg_class WHERE relname ~ '^audit_events_[a-z]+_[0-9]{6}$' ORDER BY relname",
      )
    ).rows.map((r) => r.relname);

  beforeAll(async () => {
    nats = await startNatsServer();
    const databaseUrl = await testDatabaseUrl();
    app = await startService(
      auditService,
      { PORT: String(await freePort()), NATS_URL: nats.url, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      { logger: false },
    );
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await nats?.stop();
  });

  it('keeps privacy 1 year and routine 90 days, cuts with a checkpoint, and the rest verifies', async () => {
    const repository = app.get(AuditEventRepository);
    const checkpoints = app.get(CheckpointService);
    const now = new Date('2026-11-22T12:00:00Z');
    await repository.appendBatch([routine(), routine(), privacy()], at('2026-03-10T08:00:00Z'));
    await repository.appendBatch([routine(), privacy()], at('2026-07-02T08:00:00Z'));
    await checkpoints.checkpointHeads();
    await repository.appendBatch([routine(), privacy()], at(now.toISOString()));
    expect(await partitions()).toEqual(
      expect.arrayContaining([
        'audit_events_routine_202603',
        'audit_events_routine_202607',
        'audit_events_privacy_202603',
      ]),
    );

    const outcomes = await app.get(RetentionService).applyRetention(now);
    // Routine: March and July are past 90 days; privacy: nothing is a year old yet.
    expect(outcomes).toEqual([
      {
        category: 'routine',
        dropped: ['audit_events_routine_202603', 'audit_events_routine_202607'],
        cut_seq: 3,
      },
    ]);
    const left = await partitions();
    expect(left).not.toContain('audit_events_routine_202603');
    expect(left).toContain('audit_events_privacy_202603');
    const routineRows = await db.query("SELECT seq FROM audit_events WHERE category = 'routine'");
    expect(routineRows.rows.map((r: { seq: string }) => Number(r.seq))).toEqual([4]);
    // The dropped records' ids are forgotten with them; the kept ones are still known (dedup holds).
    const ids = await db.query(
      `SELECT count(*) FILTER (WHERE e.id IS NULL) AS orphans, count(*) AS known
         FROM audit_event_ids i LEFT JOIN audit_events e ON e.id = i.id`,
    );
    const storedCount = await db.query('SELECT count(*) AS n FROM audit_events');
    expect(ids.rows[0]).toEqual({ orphans: '0', known: storedCount.rows[0].n });
    const cut = await db.query(
      "SELECT seq FROM audit_checkpoints WHERE category = 'routine' AND kind = 'cut'",
    );
    expect(cut.rows).toEqual([{ seq: '3' }]);

    const report = await checkpoints.verify({});
    expect(report.ok).toBe(true);
    expect(report.chains.find((c) => c.category === 'routine')).toMatchObject({
      anchor_seq: 3,
      records_checked: 1,
    });
    expect(report.chains.find((c) => c.category === 'privacy')).toMatchObject({
      anchor_seq: 0,
      records_checked: 3,
    });

    // A second run has nothing left to drop.
    expect(await app.get(RetentionService).applyRetention(now)).toEqual([]);
  });

  it('waits for a checkpoint before cutting records that no checkpoint covers yet', async () => {
    const repository = app.get(AuditEventRepository);
    await repository.appendBatch([security()], at('2025-01-05T08:00:00Z'));
    // The record lands in an expired month but no security checkpoint covers it yet: not cut yet.
    const outcomes = await app.get(RetentionService).applyRetention(new Date('2026-11-22T12:00:00Z'));
    expect(outcomes).toEqual([]);
    expect(await partitions()).toContain('audit_events_security_202501');
  });

  it('never files a higher seq into an earlier month than the chain head (a stamp that lost the race)', async () => {
    const repository = app.get(AuditEventRepository);
    const late = privacy();
    // The privacy chain's head is in 2026-11 (first test); this batch was stamped months earlier.
    await repository.appendBatch([late], at('2026-02-01T08:00:00Z'));
    const row = await db.query<{
      received_at: Date;
      seq: string;
      id_received_at: Date;
      previous_seq: string;
    }>(
      `SELECT e.received_at, e.seq, i.received_at AS id_received_at,
              (SELECT max(seq) FROM audit_events WHERE category = 'privacy' AND id <> e.id) AS previous_seq
         FROM audit_events e JOIN audit_event_ids i ON i.id = e.id WHERE e.id = $1`,
      [late.id],
    );
    expect(row.rows[0].received_at.toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(row.rows[0].id_received_at.toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(Number(row.rows[0].seq)).toBe(Number(row.rows[0].previous_seq) + 1);
  });
});
