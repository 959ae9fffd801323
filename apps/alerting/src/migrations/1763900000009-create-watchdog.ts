import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Prometheus' dead man's switch, shared by every replica: when the check was armed (the first Watchdog,
 * or the first check with WATCHDOG_REQUIRED), when a Watchdog last arrived, and since when
 * VigilWatchdogMissing is raised (null: not raised). One row per watchdog alertname.
 */
export class CreateWatchdog1763900000009 implements MigrationInterface {
  name = 'CreateWatchdog1763900000009';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE watchdog (
        name text PRIMARY KEY,
        armed_at timestamptz NOT NULL,
        last_seen_at timestamptz,
        raised_at timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE watchdog`);
  }
}
