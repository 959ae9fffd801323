import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Merkle logs' signed checkpoints, the witnesses' cosignatures of them and the witnesses' refusals.
 * `audit_log_checkpoints` keeps every checkpoint the service signed (one per log and size: a tree is
 * append-only, so a size has one root; replicas signing the same head write the same note once);
 * `audit_log_cosignatures` the C2SP tlog-cosignature lines of configured witnesses, one per witness and
 * checkpoint. Both are append-only like the trail. `audit_witness_refusals` records each refusal (or
 * inconsistent cosignature) that raised AuditIntegrityBroken; `resolved_at` is set once that witness
 * cosigns that log again.
 */
export class LogCheckpointsAndWitnesses1764510000000 implements MigrationInterface {
  name = 'LogCheckpointsAndWitnesses1764510000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit_log_checkpoints (
        category text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        root bytea NOT NULL CHECK (length(root) = 32),
        note text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (category, size)
      )`);
    await runner.query(`
      CREATE TABLE audit_log_cosignatures (
        category text NOT NULL,
        size bigint NOT NULL,
        witness text NOT NULL,
        signed_at bigint NOT NULL,
        line text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (category, size, witness),
        FOREIGN KEY (category, size) REFERENCES audit_log_checkpoints (category, size)
      )`);
    for (const table of ['audit_log_checkpoints', 'audit_log_cosignatures']) {
      await runner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION audit_reject_change()`);
    }
    await runner.query(`
      CREATE TABLE audit_witness_refusals (
        id bigserial PRIMARY KEY,
        category text NOT NULL,
        witness text NOT NULL,
        reason text NOT NULL,
        detail text NOT NULL,
        size bigint NOT NULL,
        root bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX audit_witness_refusals_open ON audit_witness_refusals (category, witness) WHERE resolved_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE audit_witness_refusals`);
    await runner.query(`DROP TABLE audit_log_cosignatures`);
    await runner.query(`DROP TABLE audit_log_checkpoints`);
  }
}
