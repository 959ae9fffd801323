import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Certificate expiry of https targets, kept beside their state:
 * - cert_expires_at: the earliest expiry of the chain the target presented at its latest handshake
 *   (kept when a check gets no handshake, so the status page still knows it);
 * - cert_alert_severity / cert_alert_started_at: the CertificateExpiring alert currently fired
 *   (medium or critical) and its startsAt, so its resolve carries the same labels and startsAt.
 */
export class AddCertificateExpiry1765300000000 implements MigrationInterface {
  name = 'AddCertificateExpiry1765300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE target_states
        ADD COLUMN cert_expires_at timestamptz,
        ADD COLUMN cert_alert_severity text CHECK (cert_alert_severity IN ('medium', 'critical')),
        ADD COLUMN cert_alert_started_at timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE target_states
        DROP COLUMN cert_alert_started_at,
        DROP COLUMN cert_alert_severity,
        DROP COLUMN cert_expires_at`);
  }
}
