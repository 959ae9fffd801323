import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Detections of the admin-misuse rules: what fired, on which event, for the weekly summary. */
export class Detections1764000000000 implements MigrationInterface {
  name = 'Detections1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit_detections (
        rule text NOT NULL,
        event_id uuid NOT NULL,
        severity text NOT NULL,
        actor_id text NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now(),
        occurred_at timestamptz NOT NULL,
        tenant_id text,
        summary text NOT NULL,
        PRIMARY KEY (rule, event_id)
      )`);
    await runner.query(`CREATE INDEX audit_detections_occurred_at_idx ON audit_detections (occurred_at)`);
    await runner.query(
      `CREATE INDEX audit_events_sensitive_idx ON audit_events (actor_id, resource_type, occurred_at) WHERE actor_type = 'admin'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX audit_events_sensitive_idx`);
    await runner.query(`DROP TABLE audit_detections`);
  }
}
