import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AlertSource, LabelSet } from '../model/alert';
import { ALERT_WRITERS_LOCK, type Transaction } from '../model/alert.repository';
import type { GroupRef } from '../grouping/alert-group.repository';
import { SILENCES_IN_FORCE_SIGNATURE } from '../silences/silence.repository';

/** One alert as journalled: validated, fingerprinted on its labels as sent, and redacted. */
export interface IntakeAlert {
  fingerprint: string;
  labels: LabelSet;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

/** One accepted request's alerts, with when and how they arrived. */
export interface IntakeBatch {
  source: AlertSource;
  receivedAt: Date;
  alerts: IntakeAlert[];
}

/** One accepted request as journalled: its alerts (IntakeAlert[]) already encoded as JSON. */
export interface JournalEntry {
  source: AlertSource;
  receivedAt: Date;
  count: number;
  alertsJson: string;
}

/** A journal row taken to be applied, its alerts still as journalled (decodeJournalAlerts). */
export interface TakenEntry {
  id: number;
  source: AlertSource;
  receivedAt: Date;
  count: number;
  alertsJson: string;
}

/** Why an entry cannot be applied: the error's text, and a short reason (a metric label). */
export interface ApplyFailure {
  error: string;
  reason: string;
}

/** The journal as a whole: what waits to be applied, and what was quarantined. */
export interface JournalStats {
  lagEntries: number;
  oldestReceivedAt: Date | null;
  quarantinedEntries: number;
}

interface IntakeRow {
  id: string;
  source: AlertSource;
  received_at: Date;
  alert_count: number;
  alerts: string;
}

/**
 * All SQL of the alert_intake journal; no business rule lives here. This is the ingest hot path, so it
 * is raw SQL with array parameters: one INSERT carries any number of requests (group commit), and
 * the alerts travel as one text value per request that Postgres stores without parsing.
 */
@Injectable()
export class AlertIntakeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Commits the batches in one statement (autocommit: durable when it returns). One VALUES row per
   * batch with plain text parameters: an array parameter would have to escape every quote of the JSON.
   */
  async append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows: string[] = [];
    const params: string[] = [];
    for (const entry of entries) {
      const n = params.length;
      rows.push(`($${n + 1}, $${n + 2}::timestamptz, $${n + 3}::integer, $${n + 4})`);
      params.push(entry.source, entry.receivedAt.toISOString(), String(entry.count), entry.alertsJson);
    }
    await this.dataSource.query(
      `INSERT INTO alert_intake (source, received_at, alert_count, alerts) VALUES ${rows.join(', ')}`,
      params,
    );
  }

  /**
   * Takes (deletes, in the caller's transaction) the oldest batches, in journal order, up to `limit`
   * batches or about `maxAlerts` alerts (always at least one batch). It first takes the alert writers'
   * lock (AlertRepository.lockWriters) for the transaction, so one transaction at a time, across
   * replicas, applies batches: never out of order. The lock is taken inside the statement to save a
   * round trip; batches another replica applied meanwhile are skipped (Postgres re-checks each row it
   * deletes), and later ones wait for the next pass.
   */
  async takeOldest(tx: Transaction, limit: number, maxAlerts: number): Promise<TakenEntry[]> {
    if (![limit, maxAlerts].every((n) => Number.isSafeInteger(n) && n > 0)) {
      throw new RangeError('limit and maxAlerts must be positive integers');
    }
    // Literals rather than parameters: the statement then travels with BEGIN.
    const [rows] = await tx.query<[IntakeRow[], number]>(
      `WITH writers AS (SELECT ${ALERT_WRITERS_LOCK}::text AS locked)
       DELETE FROM alert_intake
        WHERE (SELECT locked FROM writers) IS NOT NULL
          AND id IN (
          SELECT id FROM (
            SELECT id, alert_count, sum(alert_count) OVER (ORDER BY id) AS running
              FROM (SELECT id, alert_count FROM alert_intake ORDER BY id LIMIT ${limit}) oldest
          ) taken
           WHERE running - alert_count < ${maxAlerts})
       RETURNING id, source, received_at, alert_count, alerts`,
    );
    return rows
      .map((row) => ({
        id: Number(row.id),
        source: row.source,
        receivedAt: row.received_at,
        count: row.alert_count,
        alertsJson: row.alerts,
      }))
      .sort((a, b) => a.id - b.id);
  }

  /**
   * Takes the alert writers' lock for the caller's transaction and tells whether the journal is empty,
   * i.e. whether a request may be applied directly without overtaking journalled ones.
   */
  async lockWritersIfJournalEmpty(tx: Transaction): Promise<boolean> {
    // Two statements, pipelined: a statement reads as of when it started, so the check must start
    // once the lock is held, or it could miss what the writer before us committed meanwhile.
    const locking = tx.query(`SELECT ${ALERT_WRITERS_LOCK}::text AS locked`);
    const checking = tx.query<{ empty: boolean }[]>(
      `SELECT NOT EXISTS (SELECT 1 FROM alert_intake) AS empty`,
    );
    const [, [row]] = await Promise.all([locking, checking]);
    return row.empty;
  }

  /**
   * Takes the alert writers' lock and checks, in the caller's transaction, that nothing these writes
   * were decided from has changed: the journal is empty, none of these alerts nor groups exists, and
   * the silences in force are the ones with `silences` as signature. Otherwise the statement fails
   * with SQLSTATE VA001 (isExpectationFailure) and the transaction with it.
   */
  lockWritersExpectingNew(
    tx: Transaction,
    expected: { fingerprints: readonly string[]; groups: readonly GroupRef[]; silences: string },
  ): Promise<unknown> {
    // The checks run in a statement of their own, started once the lock is held (see above). Counts
    // over `= ANY` rather than EXISTS or a join: the plan Postgres keeps for this prepared statement is
    // often made while the tables are small, and for EXISTS and joins it then keeps a sequential scan
    // that grows with the tables (5 ms at 60,000 alerts); a count by key stays on the primary keys.
    // The group check is conservative: any of these keys with any of these receivers counts.
    const locking = tx.query(`SELECT ${ALERT_WRITERS_LOCK}::text AS locked`);
    const checking = tx.query(
      `SELECT vigil_alerting_expect(NOT EXISTS (SELECT 1 FROM alert_intake), 'an empty intake journal'),
              vigil_alerting_expect((SELECT count(*) FROM alerts WHERE fingerprint = ANY($1::text[])) = 0, 'new alerts'),
              vigil_alerting_expect((SELECT count(*) FROM alert_groups
                                      WHERE group_key = ANY($2::text[]) AND receiver = ANY($3::text[])) = 0, 'new groups'),
              vigil_alerting_expect(${SILENCES_IN_FORCE_SIGNATURE} = $4, 'the same silences in force')`,
      [
        expected.fingerprints,
        expected.groups.map((g) => g.groupKey),
        expected.groups.map((g) => g.receiver),
        expected.silences,
      ],
    );
    return Promise.all([locking, checking]);
  }

  /**
   * Moves the entry `id` from the journal to alert_intake_quarantine with why it cannot be applied, in
   * one statement (the row's text never leaves Postgres). Resolves to false when the entry is no longer
   * journalled (another replica moved it).
   */
  async quarantine(id: number, failure: ApplyFailure): Promise<boolean> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `WITH moved AS (DELETE FROM alert_intake WHERE id = $1 RETURNING *)
       INSERT INTO alert_intake_quarantine (id, source, received_at, alert_count, alerts, error, reason)
       SELECT id, source, received_at, alert_count, alerts, $2, $3 FROM moved
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [id, failure.error, failure.reason],
    );
    return rows.length > 0;
  }

  /**
   * Quarantines entries taken in the caller's transaction (takeOldest already deleted them): committed
   * with it, or not at all.
   */
  quarantineTaken(
    tx: Transaction,
    refused: readonly { entry: TakenEntry; failure: ApplyFailure }[],
  ): Promise<unknown> {
    return tx.query(
      `INSERT INTO alert_intake_quarantine (id, source, received_at, alert_count, alerts, error, reason)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::integer[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT (id) DO NOTHING`,
      [
        refused.map((r) => r.entry.id),
        refused.map((r) => r.entry.source),
        refused.map((r) => r.entry.receivedAt.toISOString()),
        refused.map((r) => r.entry.count),
        refused.map((r) => r.entry.alertsJson),
        refused.map((r) => r.failure.error),
        refused.map((r) => r.failure.reason),
      ],
    );
  }

  async stats(): Promise<JournalStats> {
    const [row] = await this.dataSource.query<{ lag: number; oldest: Date | null; quarantined: number }[]>(
      `SELECT (SELECT count(*)::int FROM alert_intake) AS lag,
              (SELECT received_at FROM alert_intake ORDER BY id LIMIT 1) AS oldest,
              (SELECT count(*)::int FROM alert_intake_quarantine) AS quarantined`,
    );
    return { lagEntries: row.lag, oldestReceivedAt: row.oldest, quarantinedEntries: row.quarantined };
  }

  /** The newest journalled batch still to apply; null when the journal is empty. */
  async newestPending(): Promise<number | null> {
    const [row] = await this.dataSource.query<{ id: string | null }[]>(
      `SELECT max(id) AS id FROM alert_intake`,
    );
    return row.id === null ? null : Number(row.id);
  }

  /** Whether every batch up to `id` has been applied (by any replica). */
  async appliedThrough(id: number): Promise<boolean> {
    const [row] = await this.dataSource.query<{ done: boolean }[]>(
      `SELECT NOT EXISTS (SELECT 1 FROM alert_intake WHERE id <= $1) AS done`,
      [id],
    );
    return row.done;
  }
}

/** The failure lockWritersExpectingNew() reports when what the writes were decided from has changed. */
export function isExpectationFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'VA001';
}
