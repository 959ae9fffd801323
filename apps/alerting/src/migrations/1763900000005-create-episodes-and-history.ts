import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What Alertmanager forgets: one row per firing episode of an alert (acknowledgement, resolution,
 * false positive, escalation state), and every state change with its time and actor. History rows
 * made by people are published to audit.v1.events.alerting (`audit_pending` until they are).
 * Notifications get an `action` for events other than the group's state (a PagerDuty acknowledge).
 */
export class CreateEpisodesAndHistory1763900000005 implements MigrationInterface {
  name = 'CreateEpisodesAndHistory1763900000005';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE alert_episodes (
        fingerprint text NOT NULL,
        starts_at timestamptz NOT NULL,
        alertname text NOT NULL,
        severity text NOT NULL,
        labels jsonb NOT NULL,
        fired_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by text,
        resolved_at timestamptz,
        resolved_by text,
        false_positive boolean NOT NULL DEFAULT false,
        escalation_policy text,
        escalation_step integer NOT NULL DEFAULT 0,
        next_escalation_at timestamptz,
        PRIMARY KEY (fingerprint, starts_at)
      )`);
    await runner.query(`CREATE INDEX alert_episodes_starts_at_idx ON alert_episodes (starts_at)`);
    await runner.query(
      `CREATE INDEX alert_episodes_escalation_idx ON alert_episodes (next_escalation_at) WHERE next_escalation_at IS NOT NULL`,
    );
    await runner.query(`
      CREATE TABLE alert_history (
        id uuid PRIMARY KEY,
        fingerprint text NOT NULL,
        episode_starts_at timestamptz NOT NULL,
        alertname text NOT NULL,
        severity text NOT NULL,
        event text NOT NULL,
        actor text NOT NULL,
        comment text,
        details jsonb,
        at timestamptz NOT NULL,
        audit_pending boolean NOT NULL DEFAULT false
      )`);
    await runner.query(`CREATE INDEX alert_history_at_idx ON alert_history (at)`);
    await runner.query(`CREATE INDEX alert_history_fingerprint_idx ON alert_history (fingerprint, at)`);
    await runner.query(`CREATE INDEX alert_history_audit_idx ON alert_history (at) WHERE audit_pending`);
    await runner.query(`ALTER TABLE notifications ADD COLUMN action text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE notifications DROP COLUMN action`);
    await runner.query(`DROP TABLE alert_history`);
    await runner.query(`DROP TABLE alert_episodes`);
  }
}
