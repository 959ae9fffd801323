import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The intake journal: every accepted batch of alerts (`POST /api/v2/alerts`, `alerts.v1.*`) is one row,
 * committed before the sender is answered, then applied to alerts, groups, episodes and history in
 * bulk and deleted. The alerts are stored as JSON text (already validated, fingerprinted and
 * redacted): nothing parses them on insert, and EXTERNAL storage skips compressing them.
 */
export class CreateAlertIntake1763900000006 implements MigrationInterface {
  name = 'CreateAlertIntake1763900000006';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE alert_intake (
        id bigserial PRIMARY KEY,
        source text NOT NULL,
        received_at timestamptz NOT NULL,
        alert_count integer NOT NULL,
        alerts text NOT NULL
      )`);
    await runner.query(`ALTER TABLE alert_intake ALTER COLUMN alerts SET STORAGE EXTERNAL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE alert_intake`);
  }
}
