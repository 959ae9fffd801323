import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Aggregation groups (one per route group key and receiver) and their members, so group_wait,
 * group_interval and repeat_interval survive restarts and are honoured once across replicas.
 * `notified_firing` is what the receiver was last told was firing (Alertmanager's notification log).
 */
export class CreateAlertGroups1763900000004 implements MigrationInterface {
  name = 'CreateAlertGroups1763900000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE alert_groups (
        group_key text NOT NULL,
        receiver text NOT NULL,
        group_labels jsonb NOT NULL,
        group_wait_ms bigint NOT NULL,
        group_interval_ms bigint NOT NULL,
        repeat_interval_ms bigint NOT NULL,
        next_flush_at timestamptz NOT NULL,
        last_flush_at timestamptz,
        last_notified_at timestamptz,
        notified_firing text[] NOT NULL DEFAULT '{}',
        notifications bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_key, receiver)
      )`);
    await runner.query(`CREATE INDEX alert_groups_next_flush_idx ON alert_groups (next_flush_at)`);
    await runner.query(`
      CREATE TABLE alert_group_members (
        group_key text NOT NULL,
        receiver text NOT NULL,
        fingerprint text NOT NULL,
        starts_at timestamptz NOT NULL,
        PRIMARY KEY (group_key, receiver, fingerprint, starts_at)
      )`);
    await runner.query(
      `CREATE INDEX alert_group_members_fingerprint_idx ON alert_group_members (fingerprint)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE alert_group_members`);
    await runner.query(`DROP TABLE alert_groups`);
  }
}
