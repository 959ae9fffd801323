import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incidents (a target's time down, for the status page and reports); hourly rollups of check
 * results older than 7 days, kept a year, so uptime over 30 or 365 days reads a few rows per hour;
 * target leases, so with several replicas each target is checked by exactly one.
 */
export class CreateHistoryAndLeases1763900000000 implements MigrationInterface {
  name = 'CreateHistoryAndLeases1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE target_incidents (
        id bigserial PRIMARY KEY,
        target text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        reason text NOT NULL,
        UNIQUE (target, started_at)
      )`);
    // At most one open incident per target.
    await runner.query(
      `CREATE UNIQUE INDEX target_incidents_open_idx ON target_incidents (target) WHERE ended_at IS NULL`,
    );
    await runner.query(`CREATE INDEX target_incidents_started_at_idx ON target_incidents (started_at)`);
    await runner.query(`
      CREATE TABLE check_results_hourly (
        target text NOT NULL,
        hour timestamptz NOT NULL,
        checks integer NOT NULL,
        successes integer NOT NULL,
        response_time_ms_sum double precision NOT NULL,
        response_time_ms_p50 double precision,
        response_time_ms_p95 double precision,
        PRIMARY KEY (target, hour)
      )`);
    await runner.query(`
      CREATE TABLE target_leases (
        target text PRIMARY KEY,
        owner text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    // Which replica ran the check (null for results stored before leases existed).
    await runner.query(`ALTER TABLE check_results ADD COLUMN checked_by text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE check_results DROP COLUMN checked_by`);
    await runner.query(`DROP TABLE target_leases`);
    await runner.query(`DROP TABLE check_results_hourly`);
    await runner.query(`DROP TABLE target_incidents`);
  }
}
