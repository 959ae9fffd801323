import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddReportArchive1764000000000 implements MigrationInterface {
  name = 'AddReportArchive1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    // The outbox and the archive: the redacted report document is stored with its claim before the
    // send, so a replica that takes over a dead replica's claim sends the same report, and
    // GET /reports/:id can show it later.
    await runner.query(`ALTER TABLE report_runs ADD COLUMN subject text, ADD COLUMN document jsonb`);
    await runner.query(
      `CREATE INDEX report_runs_stale_claims_idx ON report_runs (claimed_at) WHERE status = 'claimed'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX report_runs_stale_claims_idx`);
    await runner.query(`ALTER TABLE report_runs DROP COLUMN document, DROP COLUMN subject`);
  }
}
