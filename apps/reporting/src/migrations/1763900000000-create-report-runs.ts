import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateReportRuns1763900000000 implements MigrationInterface {
  name = 'CreateReportRuns1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    // One row per (report, period): the unique key is the claim that makes sending exactly-once
    // across replicas and repeated requests.
    await runner.query(`
      CREATE TABLE report_runs (
        id uuid PRIMARY KEY,
        report text NOT NULL,
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
        claimed_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        message_id text,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        CONSTRAINT report_runs_report_period_start_key UNIQUE (report, period_start),
        CONSTRAINT report_runs_period_check CHECK (period_end > period_start)
      )`);
    await runner.query(`CREATE INDEX report_runs_claimed_at_idx ON report_runs (claimed_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE report_runs`);
  }
}
