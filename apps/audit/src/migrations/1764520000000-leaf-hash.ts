import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LeafHash1764520000000 implements MigrationInterface {
  name = 'LeafHash1764520000000';

  async up(runner: QueryRunner): Promise<void> {
    // Each record's RFC 6962 leaf hash, written by ingest with the record (it hashes the same text as the
    // chain link), so the Merkle append job reads 32 bytes per record. Null for records stored before this
    // migration: the job computes those from the event as it always did. A nullable column without a
    // default is a catalogue change only: no partition is rewritten.
    await runner.query(`ALTER TABLE audit_events ADD COLUMN leaf_hash bytea`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE audit_events DROP COLUMN leaf_hash`);
  }
}
