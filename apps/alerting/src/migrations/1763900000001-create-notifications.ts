import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delivery outbox: one row per alert state change, written in the same transaction as the
 * alert. `dedupe_key` (fingerprint + episode start + status) makes a re-sent alert a no-op.
 */
export class CreateNotifications1763900000001 implements MigrationInterface {
  name = 'CreateNotifications1763900000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE notifications (
        id bigserial PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        fingerprint text NOT NULL,
        alert_status text NOT NULL CHECK (alert_status IN ('firing', 'resolved')),
        receiver text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'pending'`,
    );
    await runner.query(`CREATE INDEX notifications_finished_at_idx ON notifications (finished_at)`);
    await runner.query(`CREATE INDEX notifications_fingerprint_idx ON notifications (fingerprint)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE notifications`);
  }
}
