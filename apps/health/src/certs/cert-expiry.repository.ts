import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The CertificateExpiring alert a target has fired (labels and startsAt of its resolve). */
export interface CertificateAlert {
  severity: 'medium' | 'critical';
  startedAt: string;
}

interface CertificateRow {
  target: string;
  cert_expires_at: Date | null;
  cert_alert_severity: CertificateAlert['severity'] | null;
  cert_alert_started_at: Date | null;
}

/** The certificate columns of target_states (migration 1765300000000); no rule lives here. */
@Injectable()
export class CertificateExpiryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The alert fired for `target`, or null. Read per check: another replica may have checked it last. */
  async alertOf(target: string): Promise<CertificateAlert | null> {
    const [row] = await this.dataSource.query<CertificateRow[]>(
      `SELECT target, cert_expires_at, cert_alert_severity, cert_alert_started_at
         FROM target_states WHERE target = $1`,
      [target],
    );
    if (!row?.cert_alert_severity || !row.cert_alert_started_at) return null;
    return { severity: row.cert_alert_severity, startedAt: row.cert_alert_started_at.toISOString() };
  }

  /** Keeps the latest expiry and the alert now fired (null: none). The state row exists by now. */
  async save(target: string, expiresAt: Date, alert: CertificateAlert | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE target_states
          SET cert_expires_at = $2, cert_alert_severity = $3, cert_alert_started_at = $4
        WHERE target = $1`,
      [target, expiresAt.toISOString(), alert?.severity ?? null, alert?.startedAt ?? null],
    );
  }

  /** Latest known certificate expiry (ISO) of each of `targets` that has one: for the status page. */
  async expiriesOf(targets: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<Pick<CertificateRow, 'target' | 'cert_expires_at'>[]>(
      `SELECT target, cert_expires_at FROM target_states
        WHERE target = ANY($1::text[]) AND cert_expires_at IS NOT NULL`,
      [targets],
    );
    return new Map(rows.map((r) => [r.target, r.cert_expires_at!.toISOString()]));
  }
}
