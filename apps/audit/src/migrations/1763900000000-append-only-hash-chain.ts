import type { MigrationInterface, QueryRunner } from 'typeorm';

import type { AuditEventV1 } from '@vigil/contracts';

import { AUDIT_CATEGORIES, categoryOf } from '../model/audit-category';
import { GENESIS_HASH, indexedColumns, recordHash } from '../model/hash-chain';

const LEGACY_CHUNK = 1000;

/**
 * Turns audit_events into the append-only, hash-chained, partitioned trail:
 * - audit_events is LIST-partitioned by category (one partition per chain), each RANGE-partitioned by
 *   month of received_at; audit_ensure_partition(category, month) creates a month on demand.
 * - a trigger rejects UPDATE and DELETE on audit_events and audit_checkpoints.
 * - audit_event_ids (id primary key) gives exactly-once storage across partitions.
 * - audit_chain_heads holds each chain's last (seq, hash); its row lock serialises appends.
 * - audit_checkpoints holds the signed chain heads.
 * Rows of the old table are re-chained in received_at order.
 */
export class AppendOnlyHashChain1763900000000 implements MigrationInterface {
  name = 'AppendOnlyHashChain1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE audit_events RENAME TO audit_events_legacy`);
    await runner.query(
      `ALTER TABLE audit_events_legacy RENAME CONSTRAINT audit_events_pkey TO audit_events_legacy_pkey`,
    );
    await runner.query(`DROP INDEX audit_events_received_at_idx`);
    await runner.query(`DROP INDEX audit_events_occurred_at_idx`);

    await runner.query(`
      CREATE TABLE audit_events (
        category text NOT NULL,
        seq bigint NOT NULL,
        id uuid NOT NULL,
        received_at timestamptz NOT NULL,
        occurred_at timestamptz NOT NULL,
        source text NOT NULL,
        tenant_id text,
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text NOT NULL,
        outcome text NOT NULL,
        request_id text,
        trace_id text,
        event jsonb NOT NULL,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL,
        PRIMARY KEY (category, seq, received_at)
      ) PARTITION BY LIST (category)`);
    for (const category of AUDIT_CATEGORIES) {
      await runner.query(
        `CREATE TABLE audit_events_${category} PARTITION OF audit_events FOR VALUES IN ('${category}')
           PARTITION BY RANGE (received_at)`,
      );
    }
    await runner.query(
      `CREATE INDEX audit_events_received_at_idx ON audit_events (received_at DESC, id DESC)`,
    );
    await runner.query(`CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at)`);
    await runner.query(`CREATE INDEX audit_events_id_idx ON audit_events (id)`);
    await runner.query(`CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, received_at DESC)`);

    await runner.query(`
      CREATE FUNCTION audit_ensure_partition(p_category text, p_at timestamptz) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        month_start timestamp := date_trunc('month', p_at AT TIME ZONE 'UTC');
        name text := format('audit_events_%s_%s', p_category, to_char(month_start, 'YYYYMM'));
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('audit_ensure_partition'));
        IF to_regclass(name) IS NULL THEN
          EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
            name, 'audit_events_' || p_category,
            month_start AT TIME ZONE 'UTC', (month_start + interval '1 month') AT TIME ZONE 'UTC');
        END IF;
      END $$`);

    await runner.query(`
      CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await runner.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_reject_change()`);

    await runner.query(`
      CREATE TABLE audit_event_ids (
        id uuid PRIMARY KEY,
        category text NOT NULL,
        received_at timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX audit_event_ids_category_idx ON audit_event_ids (category, received_at)`,
    );
    await runner.query(`
      CREATE TABLE audit_chain_heads (
        category text PRIMARY KEY,
        seq bigint NOT NULL,
        hash bytea NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE audit_checkpoints (
        id bigserial PRIMARY KEY,
        category text NOT NULL,
        seq bigint NOT NULL,
        hash bytea NOT NULL,
        kind text NOT NULL CHECK (kind IN ('interval', 'cut')),
        created_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature bytea NOT NULL,
        UNIQUE (category, seq, kind)
      )`);
    await runner.query(`
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
        FOR EACH ROW EXECUTE FUNCTION audit_reject_change()`);

    await this.rechainLegacyRows(runner);
    await runner.query(`DROP TABLE audit_events_legacy`);
  }

  private async rechainLegacyRows(runner: QueryRunner): Promise<void> {
    const heads = new Map<string, { seq: number; hash: Buffer }>();
    let after: { cursor: string; id: string } | null = null;
    for (;;) {
      const rows = (await runner.query(
        // The cursor is the timestamp as text: a JS Date keeps milliseconds only, and rows of the same
        // millisecond would be read again.
        `SELECT id, received_at, received_at::text AS cursor, event FROM audit_events_legacy
          WHERE $1::timestamptz IS NULL OR (received_at, id) > ($1::timestamptz, $2::uuid)
          ORDER BY received_at, id LIMIT ${LEGACY_CHUNK}`,
        [after?.cursor ?? null, after?.id ?? null],
      )) as { id: string; received_at: Date; cursor: string; event: AuditEventV1 }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const category = categoryOf(row.event);
        const head = heads.get(category) ?? { seq: 0, hash: GENESIS_HASH };
        const received_at = row.received_at.toISOString();
        const seq = head.seq + 1;
        const hash = recordHash(head.hash, { category, seq, id: row.id, received_at, event: row.event });
        await runner.query(`SELECT audit_ensure_partition($1, $2::timestamptz)`, [category, received_at]);
        const c = indexedColumns(row.event);
        await runner.query(
          `INSERT INTO audit_events (category, seq, id, received_at, occurred_at, source, tenant_id, actor_type,
             actor_id, action, resource_type, resource_id, outcome, request_id, trace_id, event, prev_hash, hash)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)`,
          [
            category,
            seq,
            row.id,
            received_at,
            c.occurred_at,
            c.source,
            c.tenant_id,
            c.actor_type,
            c.actor_id,
            c.action,
            c.resource_type,
            c.resource_id,
            c.outcome,
            c.request_id,
            c.trace_id,
            JSON.stringify(row.event),
            head.hash,
            hash,
          ],
        );
        await runner.query(`INSERT INTO audit_event_ids (id, category, received_at) VALUES ($1, $2, $3)`, [
          row.id,
          category,
          received_at,
        ]);
        heads.set(category, { seq, hash });
      }
      const last = rows[rows.length - 1];
      after = { cursor: last.cursor, id: last.id };
    }
    for (const [category, head] of heads) {
      await runner.query(`INSERT INTO audit_chain_heads (category, seq, hash) VALUES ($1, $2, $3)`, [
        category,
        head.seq,
        head.hash,
      ]);
    }
  }

  down(): Promise<void> {
    return Promise.reject(new Error('the append-only audit trail cannot be migrated down'));
  }
}
