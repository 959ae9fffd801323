import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Current state of every alert, one row per fingerprint (the identity of its label set). */
export class CreateAlerts1763900000000 implements MigrationInterface {
  name = 'CreateAlerts1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE alerts (
        fingerprint text PRIMARY KEY,
        labels jsonb NOT NULL,
        annotations jsonb NOT NULL DEFAULT '{}'::jsonb,
        generator_url text,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('firing', 'resolved')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The expiry sweep looks for firing alerts whose endsAt has passed.
    await runner.query(`CREATE INDEX alerts_firing_ends_at_idx ON alerts (ends_at) WHERE status = 'firing'`);
    await runner.query(`CREATE INDEX alerts_starts_at_idx ON alerts (starts_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE alerts`);
  }
}
