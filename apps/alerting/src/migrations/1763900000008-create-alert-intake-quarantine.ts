import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Journal entries that cannot be applied (Postgres refuses what they carry, or they do not decode) are
 * moved here with the error, so that the entries behind them are applied: an operator reads why, and
 * may fix and re-journal one. `id` is the entry's id in alert_intake (its place in journal order).
 */
export class CreateAlertIntakeQuarantine1763900000008 implements MigrationInterface {
  name = 'CreateAlertIntakeQuarantine1763900000008';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE alert_intake_quarantine (
        id bigint PRIMARY KEY,
        source text NOT NULL,
        received_at timestamptz NOT NULL,
        alert_count integer NOT NULL,
        alerts text NOT NULL,
        error text NOT NULL,
        reason text NOT NULL,
        quarantined_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`ALTER TABLE alert_intake_quarantine ALTER COLUMN alerts SET STORAGE EXTERNAL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE alert_intake_quarantine`);
  }
}
