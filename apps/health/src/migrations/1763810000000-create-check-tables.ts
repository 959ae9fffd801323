import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCheckTables1763810000000 implements MigrationInterface {
  name = 'CreateCheckTables1763810000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE check_results (
        id bigserial PRIMARY KEY,
        target text NOT NULL,
        ok boolean NOT NULL,
        status_code integer,
        response_time_ms double precision NOT NULL,
        error text,
        checked_at timestamptz NOT NULL
      )`);
    // Uptime over a window is a per-target range scan.
    await runner.query(
      `CREATE INDEX check_results_target_checked_at_idx ON check_results (target, checked_at)`,
    );
    await runner.query(`
      CREATE TABLE target_states (
        target text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('up', 'down', 'unknown')),
        since timestamptz NOT NULL,
        consecutive_failures integer NOT NULL DEFAULT 0,
        consecutive_successes integer NOT NULL DEFAULT 0,
        last_checked_at timestamptz,
        last_response_time_ms double precision,
        last_error text
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE target_states`);
    await runner.query(`DROP TABLE check_results`);
  }
}
