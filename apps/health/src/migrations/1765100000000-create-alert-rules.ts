import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the alert rules keep (severity, labels, N of M, depends_on, maintenance windows):
 * - target_states.recent_outcomes: the last M outcomes (true = ok, oldest first), for "N of the last M".
 * - target_states.alertname / alert_starts_at: the alert of the current down episode, and when it was
 *   fired (null while none is open), so a resolve carries the same labels and startsAt, also after a
 *   restart or on another replica, and a held alert (dependency down, maintenance) fires later.
 * - check_results.in_maintenance: results inside a maintenance window, left out of uptime.
 * - maintenance_windows: one-off windows created by API (targets null = every target).
 */
export class CreateAlertRules1765100000000 implements MigrationInterface {
  name = 'CreateAlertRules1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE target_states
        ADD COLUMN recent_outcomes boolean[] NOT NULL DEFAULT '{}',
        ADD COLUMN alertname text,
        ADD COLUMN alert_starts_at timestamptz`);
    await runner.query(`ALTER TABLE check_results ADD COLUMN in_maintenance boolean NOT NULL DEFAULT false`);
    await runner.query(`
      CREATE TABLE maintenance_windows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
        targets text[],
        reason text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX maintenance_windows_ends_at_idx ON maintenance_windows (ends_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE maintenance_windows`);
    await runner.query(`ALTER TABLE check_results DROP COLUMN in_maintenance`);
    await runner.query(`
      ALTER TABLE target_states
        DROP COLUMN alert_starts_at, DROP COLUMN alertname, DROP COLUMN recent_outcomes`);
  }
}
