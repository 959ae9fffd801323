import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The second random-uuid index on every ingested row goes: GET /audit/events/:id now reads
 * (category, received_at) from audit_event_ids (its primary key is the id) and finds the row through
 * the partition key and the (received_at, id) index. New batches write the same received_at to both
 * tables; rows stored before this migration get theirs copied from audit_events here.
 */
export class EventLookupByPartitionKey1764200000000 implements MigrationInterface {
  name = 'EventLookupByPartitionKey1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      UPDATE audit_event_ids AS i SET received_at = e.received_at
        FROM audit_events AS e
       WHERE e.id = i.id AND i.received_at IS DISTINCT FROM e.received_at`);
    await runner.query(`DROP INDEX IF EXISTS audit_events_id_idx`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX IF NOT EXISTS audit_events_id_idx ON audit_events (id)`);
  }
}
