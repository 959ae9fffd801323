import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The data subjects' keys (apps/audit/src/erasure), apart from the append-only trail: personal fields
 * of events are sealed under them before hashing, and erasure deletes them. One key per (subject,
 * bucket): bucket '' is the subject's own key, `<rule>/<day>` the key of an erase rule's events of one
 * day (rule and day kept as columns for retention). Each key is wrapped (AES-256-GCM) by the master
 * key master_key_id. No trigger: rows are deleted to erase and updated to re-wrap.
 */
export class SubjectKeys1764500000000 implements MigrationInterface {
  name = 'SubjectKeys1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit_subject_keys (
        key_id text PRIMARY KEY,
        subject text NOT NULL,
        bucket text NOT NULL,
        rule text,
        day date,
        master_key_id text NOT NULL,
        wrapped bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subject, bucket)
      )`);
    await runner.query(
      `CREATE INDEX audit_subject_keys_rule_day_idx ON audit_subject_keys (rule, day) WHERE rule IS NOT NULL`,
    );
    await runner.query(`CREATE INDEX audit_subject_keys_master_idx ON audit_subject_keys (master_key_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE audit_subject_keys`);
  }
}
