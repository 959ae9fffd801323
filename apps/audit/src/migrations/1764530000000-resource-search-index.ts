import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Who saw this wallet?" searches by resource id, newest first: without this index such a search reads
 * the (received_at, id) index until its page is full, i.e. the whole trail for a rarely touched record.
 * One more index paid on each ingested event, for the question the trail exists to answer.
 */
export class ResourceSearchIndex1764530000000 implements MigrationInterface {
  name = 'ResourceSearchIndex1764530000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX IF NOT EXISTS audit_events_resource_idx ON audit_events (resource_id, received_at DESC, id DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS audit_events_resource_idx`);
  }
}
