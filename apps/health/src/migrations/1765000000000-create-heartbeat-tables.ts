import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Heartbeat monitors (push checks) and their pings, and the measured value of a check (an SQL check's
 * result, a heartbeat's reported number).
 * - heartbeat_monitors: one row per monitor, from TARGETS_FILE (`origin = 'file'`, definition null: the
 *   file is the truth) or created by API (`origin = 'api'`, definition = the validated YAML-shaped entry).
 *   The token is the secret part of the ping URL; a file monitor without a configured token gets a
 *   random one on first boot, kept here so every replica and restart agrees.
 * - heartbeat_pings: every ping, committed before the HTTP answer (a 200 is never lost). The evaluator
 *   reads them in id order. The body is redacted before it is stored.
 */
export class CreateHeartbeatTables1765000000000 implements MigrationInterface {
  name = 'CreateHeartbeatTables1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE heartbeat_monitors (
        name text PRIMARY KEY,
        token text NOT NULL UNIQUE,
        origin text NOT NULL CHECK (origin IN ('file', 'api')),
        definition jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE heartbeat_pings (
        id bigserial PRIMARY KEY,
        monitor text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('success', 'start', 'fail', 'log', 'exit')),
        exit_code integer,
        rid text,
        value double precision,
        duration_ms double precision,
        body text,
        via text NOT NULL CHECK (via IN ('http', 'kuma', 'sentry')),
        received_at timestamptz NOT NULL
      )`);
    // The evaluator reads a monitor's pings after its cursor; the status page reads a monitor's latest.
    await runner.query(`CREATE INDEX heartbeat_pings_monitor_id_idx ON heartbeat_pings (monitor, id)`);
    await runner.query(`ALTER TABLE check_results ADD COLUMN value double precision`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE check_results DROP COLUMN value`);
    await runner.query(`DROP TABLE heartbeat_pings`);
    await runner.query(`DROP TABLE heartbeat_monitors`);
  }
}
