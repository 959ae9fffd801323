import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { SummaryRequestV1 } from '@vigil/contracts';
import { databaseReachable, SERVICE_CONFIG } from '@vigil/platform';

import type { AlertState, AlertStatus, LabelSet } from './alert';
import type { AlertingConfig } from '../config/alerting-config';
import { pipelinedPoolSize, PreparedTransactions, type Transaction } from './prepared-transaction';

/** A unit of work: the alert row and its outbox notification commit together. */
export type { Transaction } from './prepared-transaction';

interface AlertRow {
  fingerprint: string;
  labels: LabelSet;
  annotations: Record<string, string>;
  generator_url: string | null;
  starts_at: Date;
  ends_at: Date;
  status: AlertStatus;
  updated_at: Date;
}

export interface StoredAlert extends AlertState {
  updatedAt: Date;
}

/** The advisory lock every writer of the alerts table holds (see lockWriters). */
export const ALERT_WRITERS_LOCK = `pg_advisory_xact_lock(hashtextextended('vigil.alerting.alert-writers', 0))`;

const COLUMNS = 'fingerprint, labels, annotations, generator_url, starts_at, ends_at, status, updated_at';

/**
 * All SQL of the alerts table; no business rule lives here. Raw SQL with array and JSON parameters rather
 * than TypeORM entities: the ingest path merges thousands of alerts per statement (set-based upserts),
 * which an ORM would turn into a statement or more per row.
 */
@Injectable()
export class AlertRepository implements OnModuleDestroy {
  private readonly transactions: PreparedTransactions;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) config: AlertingConfig,
  ) {
    this.transactions = new PreparedTransactions(dataSource, pipelinedPoolSize(config.DATABASE_POOL_MAX));
  }

  /**
   * Every writer of alerts, groups, episodes and the outbox runs in one of these (prepared, pipelined
   * statements: see PreparedTransactions).
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.transactions.run(work);
  }

  /** Whether Postgres answers at all now (an outage, as opposed to a refused statement). */
  reachable(): Promise<boolean> {
    return databaseReachable(this.dataSource);
  }

  onModuleDestroy(): Promise<void> {
    return this.transactions.close();
  }

  /**
   * Serialises every writer of the alerts table (intake applier, expiry sweep, incident actions, on
   * every replica) until the transaction ends. One lock instead of one per fingerprint: writers are
   * few and short, a batch of thousands of alerts would otherwise fill the lock table, and a single
   * writer applies journalled batches in order.
   */
  async lockWriters(tx: Transaction): Promise<void> {
    await tx.query(`SELECT ${ALERT_WRITERS_LOCK}`);
  }

  async findAll(tx: Transaction, fingerprints: readonly string[]): Promise<Map<string, StoredAlert>> {
    if (fingerprints.length === 0) return new Map();
    const rows = await tx.query<AlertRow[]>(
      `SELECT ${COLUMNS} FROM alerts WHERE fingerprint = ANY($1::text[])`,
      [fingerprints],
    );
    return new Map(rows.map((row) => [row.fingerprint, toStored(row)]));
  }

  /** save() for many alerts in one statement (distinct fingerprints). */
  async saveAll(tx: Transaction, alerts: readonly AlertState[]): Promise<void> {
    if (alerts.length === 0) return;
    await tx.query(
      `INSERT INTO alerts (fingerprint, labels, annotations, generator_url, starts_at, ends_at, status)
       SELECT fingerprint, labels, annotations, generator_url, starts_at, ends_at, status
         FROM jsonb_to_recordset($1::jsonb) AS r(fingerprint text, labels jsonb, annotations jsonb,
              generator_url text, starts_at timestamptz, ends_at timestamptz, status text)
       ON CONFLICT (fingerprint) DO UPDATE SET
         labels = EXCLUDED.labels, annotations = EXCLUDED.annotations, generator_url = EXCLUDED.generator_url,
         starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, status = EXCLUDED.status, updated_at = now()`,
      [
        JSON.stringify(
          alerts.map((a) => ({
            fingerprint: a.fingerprint,
            labels: a.labels,
            annotations: a.annotations,
            generator_url: a.generatorURL,
            starts_at: a.startsAt.toISOString(),
            ends_at: a.endsAt.toISOString(),
            status: a.status,
          })),
        ),
      ],
    );
  }

  async find(tx: Transaction, fingerprint: string): Promise<StoredAlert | null> {
    const rows = await tx.query<AlertRow[]>(`SELECT ${COLUMNS} FROM alerts WHERE fingerprint = $1`, [
      fingerprint,
    ]);
    return rows.length ? toStored(rows[0]) : null;
  }

  async save(tx: Transaction, alert: AlertState): Promise<StoredAlert> {
    const rows = await tx.query<AlertRow[]>(
      `INSERT INTO alerts (fingerprint, labels, annotations, generator_url, starts_at, ends_at, status)
       VALUES ($1, $2::jsonb, $3::jsonb, $4, $5, $6, $7)
       ON CONFLICT (fingerprint) DO UPDATE SET
         labels = EXCLUDED.labels, annotations = EXCLUDED.annotations, generator_url = EXCLUDED.generator_url,
         starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, status = EXCLUDED.status, updated_at = now()
       RETURNING ${COLUMNS}`,
      [
        alert.fingerprint,
        JSON.stringify(alert.labels),
        JSON.stringify(alert.annotations),
        alert.generatorURL,
        alert.startsAt.toISOString(),
        alert.endsAt.toISOString(),
        alert.status,
      ],
    );
    return toStored(rows[0]);
  }

  /** Firing alerts whose endsAt has passed, oldest first, in fingerprint order for locking. */
  async expiredFingerprints(now: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<{ fingerprint: string }[]>(
      `SELECT fingerprint FROM (
         SELECT fingerprint FROM alerts WHERE status = 'firing' AND ends_at <= $1 ORDER BY ends_at LIMIT $2
       ) due ORDER BY fingerprint`,
      [now.toISOString(), limit],
    );
    return rows.map((r) => r.fingerprint);
  }

  /** Alerts still firing at `now`, newest first (as `tx` sees them, when given). */
  async firing(now: Date, tx?: Transaction): Promise<StoredAlert[]> {
    const rows = await (tx ?? this.dataSource).query<AlertRow[]>(
      `SELECT ${COLUMNS} FROM alerts WHERE status = 'firing' AND ends_at > $1 ORDER BY starts_at DESC, fingerprint`,
      [now.toISOString()],
    );
    return rows.map(toStored);
  }

  /**
   * firing() narrowed to the alerts carrying every one of `labels` (a read of `filter=name="value"`):
   * Postgres compares the label sets, so a filtered listing does not read every firing alert into
   * the service.
   */
  async firingWith(now: Date, labels: LabelSet): Promise<StoredAlert[]> {
    const rows = await this.dataSource.query<AlertRow[]>(
      `SELECT ${COLUMNS} FROM alerts WHERE status = 'firing' AND ends_at > $1 AND labels @> $2::jsonb
        ORDER BY starts_at DESC, fingerprint`,
      [now.toISOString(), JSON.stringify(labels)],
    );
    return rows.map(toStored);
  }

  /** Alerts active at some point of [from, to), counted by their `severity` label ('none' when absent). */
  async countBySeverity(request: SummaryRequestV1): Promise<{ severity: string; count: number }[]> {
    const rows = await this.dataSource.query<{ severity: string; count: string }[]>(
      `SELECT coalesce(labels->>'severity', 'none') AS severity, count(*) AS count FROM alerts
        WHERE starts_at < $2 AND ends_at >= $1 AND ($3::text IS NULL OR labels->>'tenant_id' = $3)
          AND ($4::text[] IS NULL OR labels->>'severity' = ANY($4))
        GROUP BY 1`,
      [request.from, request.to, request.tenant_id ?? null, request.severities ?? null],
    );
    return rows.map((r) => ({ severity: r.severity, count: Number(r.count) }));
  }
}

function toStored(row: AlertRow): StoredAlert {
  return {
    fingerprint: row.fingerprint,
    labels: row.labels,
    annotations: row.annotations,
    generatorURL: row.generator_url,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    updatedAt: row.updated_at,
  };
}
