import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Alertmanager silences: matchers muting alerts between startsAt and endsAt; expiring sets endsAt. */
export class CreateSilences1763900000002 implements MigrationInterface {
  name = 'CreateSilences1763900000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE silences (
        id uuid PRIMARY KEY,
        matchers jsonb NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_by text NOT NULL,
        comment text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at >= starts_at)
      )`);
    await runner.query(`CREATE INDEX silences_ends_at_idx ON silences (ends_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE silences`);
  }
}
