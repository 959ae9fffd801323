import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the heartbeat evaluator keeps of each monitor between evaluations, so a restart or a replica taking
 * over its lease continues where the last one stopped: the id of the last ping read (`last_ping_id`), the runs
 * started and not ended (`open_runs`: [{rid, startedAt, overrunReported}]), the last success, the last
 * reported value, and the due time whose missed deadline was reported last (reported once each).
 */
export class CreateHeartbeatEvaluations1765400000000 implements MigrationInterface {
  name = 'CreateHeartbeatEvaluations1765400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE heartbeat_evaluations (
        monitor text PRIMARY KEY,
        last_ping_id bigint NOT NULL DEFAULT 0,
        open_runs jsonb NOT NULL DEFAULT '[]',
        last_success_at timestamptz,
        last_value double precision,
        last_missed_due_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE heartbeat_evaluations`);
  }
}
