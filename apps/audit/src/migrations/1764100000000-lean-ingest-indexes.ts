import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every index is paid for on each ingested event. audit_event_ids (category, received_at) served only
 * retention, which now forgets the ids of a dropped partition by joining on the partition itself (the
 * primary key of audit_event_ids), so the index goes.
 */
export class LeanIngestIndexes1764100000000 implements MigrationInterface {
  name = 'LeanIngestIndexes1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS audit_event_ids_category_idx`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX IF NOT EXISTS audit_event_ids_category_idx ON audit_event_ids (category, received_at)`,
    );
  }
}
