import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import type { ReportDocument } from '../model/report-document';

export type ReportRunStatus = 'claimed' | 'sent' | 'failed';

export interface ReportRun {
  id: string;
  report: string;
  period_start: string;
  period_end: string;
  status: ReportRunStatus;
  claimed_at: string;
  sent_at: string | null;
  message_id: string | null;
  error: string | null;
  attempts: number;
  subject: string | null;
}

interface ReportRunRow extends Omit<ReportRun, 'period_start' | 'period_end' | 'claimed_at' | 'sent_at'> {
  period_start: Date;
  period_end: Date;
  claimed_at: Date;
  sent_at: Date | null;
}

const COLUMNS =
  'id, report, period_start, period_end, status, claimed_at, sent_at, message_id, error, attempts, subject';

/** All SQL of the report_runs table; which claims may be taken over is decided by ReportClaims. */
@Injectable()
export class ReportRunRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a claimed row; null when (report, period_start) already has one. */
  async insertClaim(report: string, periodStart: Date, periodEnd: Date): Promise<ReportRun | null> {
    const rows: ReportRunRow[] = await this.dataSource.query(
      `INSERT INTO report_runs (id, report, period_start, period_end, status)
       VALUES ($1, $2, $3, $4, 'claimed')
       ON CONFLICT (report, period_start) DO NOTHING
       RETURNING ${COLUMNS}`,
      [randomUUID(), report, periodStart, periodEnd],
    );
    return rows.length ? toRun(rows[0]) : null;
  }

  async findByPeriod(report: string, periodStart: Date): Promise<ReportRun | null> {
    const rows: ReportRunRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM report_runs WHERE report = $1 AND period_start = $2`,
      [report, periodStart],
    );
    return rows.length ? toRun(rows[0]) : null;
  }

  /**
   * Claims an existing row again, atomically: succeeds only while the row is still in one of
   * `fromStatuses`, or is a claim older than `staleClaimMs` (its claimer died mid-send).
   */
  async reclaim(
    id: string,
    periodEnd: Date,
    fromStatuses: readonly ReportRunStatus[],
    staleClaimMs: number,
  ): Promise<ReportRun | null> {
    const rows: [ReportRunRow[], number] = await this.dataSource.query(
      `UPDATE report_runs
          SET status = 'claimed', claimed_at = now(), period_end = $2, sent_at = NULL, error = NULL
        WHERE id = $1
          AND (status = ANY($3::text[])
               OR (status = 'claimed' AND claimed_at < now() - make_interval(secs => $4::double precision / 1000)))
        RETURNING ${COLUMNS}`,
      [id, periodEnd, fromStatuses, staleClaimMs],
    );
    const updated = rows[0];
    return updated.length ? toRun(updated[0]) : null;
  }

  async countAttempt(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE report_runs SET attempts = attempts + 1 WHERE id = $1`, [id]);
  }

  async markSent(id: string, messageId: string): Promise<ReportRun> {
    return this.finish(
      `UPDATE report_runs SET status = 'sent', sent_at = now(), message_id = $2, error = NULL WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id, messageId],
    );
  }

  async markFailed(id: string, error: string): Promise<ReportRun> {
    return this.finish(
      `UPDATE report_runs SET status = 'failed', error = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, error],
    );
  }

  /** Stores the redacted document a claimed run sends (the outbox entry and the archive copy). */
  async storeDocument(id: string, subject: string, document: ReportDocument): Promise<void> {
    await this.dataSource.query(`UPDATE report_runs SET subject = $2, document = $3 WHERE id = $1`, [
      id,
      subject,
      JSON.stringify(document),
    ]);
  }

  async findDocument(id: string): Promise<{ run: ReportRun; document: ReportDocument | null } | null> {
    const rows: (ReportRunRow & { document: ReportDocument | null })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, document FROM report_runs WHERE id = $1`,
      [id],
    );
    if (rows.length === 0) return null;
    const { document, ...row } = rows[0];
    return { run: toRun(row), document };
  }

  /** Claims older than `staleClaimMs`: their replica died mid-send. */
  async staleClaims(staleClaimMs: number, limit: number): Promise<ReportRun[]> {
    const rows: ReportRunRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM report_runs
        WHERE status = 'claimed' AND claimed_at < now() - make_interval(secs => $1::double precision / 1000)
        ORDER BY claimed_at LIMIT $2`,
      [staleClaimMs, limit],
    );
    return rows.map(toRun);
  }

  /** Runs that failed permanently (and were not sent since), claimed after `since`, newest first. */
  async unresolvedFailures(since: Date, limit: number): Promise<ReportRun[]> {
    const rows: ReportRunRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM report_runs WHERE status = 'failed' AND claimed_at >= $1
        ORDER BY claimed_at DESC LIMIT $2`,
      [since, limit],
    );
    return rows.map(toRun);
  }

  async newest(limit: number): Promise<ReportRun[]> {
    const rows: ReportRunRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM report_runs ORDER BY claimed_at DESC, id LIMIT $1`,
      [limit],
    );
    return rows.map(toRun);
  }

  private async finish(sql: string, params: unknown[]): Promise<ReportRun> {
    const rows: [ReportRunRow[], number] = await this.dataSource.query(sql, params);
    if (rows[0].length === 0) throw new Error(`report run ${String(params[0])} not found`);
    return toRun(rows[0][0]);
  }
}

function toRun(row: ReportRunRow): ReportRun {
  return {
    ...row,
    period_start: row.period_start.toISOString(),
    period_end: row.period_end.toISOString(),
    claimed_at: row.claimed_at.toISOString(),
    sent_at: row.sent_at ? row.sent_at.toISOString() : null,
  };
}
