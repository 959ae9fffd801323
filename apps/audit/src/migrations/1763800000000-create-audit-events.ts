import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditEvents1763800000000 implements MigrationInterface {
  name = 'CreateAuditEvents1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        source text NOT NULL,
        tenant_id text,
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text NOT NULL,
        outcome text NOT NULL,
        request_id text,
        trace_id text,
        event jsonb NOT NULL
      )`);
    await runner.query(`CREATE INDEX audit_events_received_at_idx ON audit_events (received_at DESC)`);
    await runner.query(`CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE audit_events`);
  }
}
