import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `vigil_alerting_expect(ok, what)`: raises SQLSTATE VA001 unless `ok`. A transaction whose writes were
 * decided from what the service last knew (NewGroupFastPath) sends them in one round trip behind this
 * check: when the check fails, the whole transaction aborts and the service takes the ordinary path.
 */
export class CreateExpectFunction1763900000007 implements MigrationInterface {
  name = 'CreateExpectFunction1763900000007';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION vigil_alerting_expect(ok boolean, what text) RETURNS boolean
      LANGUAGE plpgsql AS $$
      BEGIN
        IF ok IS NOT TRUE THEN
          RAISE EXCEPTION 'expected %', what USING ERRCODE = 'VA001';
        END IF;
        RETURN true;
      END
      $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP FUNCTION vigil_alerting_expect(boolean, text)`);
  }
}
