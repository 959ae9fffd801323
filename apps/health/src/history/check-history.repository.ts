import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Incident {
  target: string;
  startedAt: string;
  /** null while the target is still down. */
  endedAt: string | null;
  reason: string;
}

export interface ResponseTimePoint {
  target: string;
  ok: boolean;
  responseTimeMs: number;
  checkedAt: string;
}

export interface UptimeCounts {
  target: string;
  checks: number;
  successes: number;
}

export interface ResponseTimePercentiles {
  target: string;
  p50: number | null;
  p95: number | null;
}

interface IncidentRow {
  target: string;
  started_at: Date;
  ended_at: Date | null;
  reason: string;
}

/**
 * SQL of incidents and of the check history as read over long windows: raw check_results for the
 * last 7 days, hourly rollups (check_results_hourly) before that. No business rule lives here.
 */
@Injectable()
export class CheckHistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Opens an incident; a second call for the same start (a retried write) changes nothing. */
  async openIncident(target: string, startedAt: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO target_incidents (target, started_at, reason) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [target, startedAt, reason],
    );
  }

  async closeIncident(target: string, endedAt: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE target_incidents SET ended_at = $2 WHERE target = $1 AND ended_at IS NULL`,
      [target, endedAt],
    );
  }

  /** Incidents that overlap [from, to), newest first. */
  async incidentsBetween(
    targets: readonly string[],
    from: string,
    to: string,
    limit: number,
  ): Promise<Incident[]> {
    const rows: IncidentRow[] = await this.dataSource.query(
      `SELECT target, started_at, ended_at, reason FROM target_incidents
        WHERE target = ANY($1::text[]) AND started_at < $3 AND (ended_at IS NULL OR ended_at >= $2)
        ORDER BY started_at DESC LIMIT $4`,
      [targets, from, to, limit],
    );
    return rows.map((r) => ({
      target: r.target,
      startedAt: r.started_at.toISOString(),
      endedAt: r.ended_at?.toISOString() ?? null,
      reason: r.reason,
    }));
  }

  /**
   * Checks and successes per target in [from, to), from raw results and hourly rollups alike. Results
   * inside a maintenance window count neither way (uptime counts that time apart).
   */
  async uptimeBetween(targets: readonly string[], from: string, to: string): Promise<UptimeCounts[]> {
    const rows: { target: string; checks: string; successes: string }[] = await this.dataSource.query(
      `SELECT target, sum(checks) AS checks, sum(successes) AS successes FROM (
         SELECT target, count(*) AS checks, count(*) FILTER (WHERE ok) AS successes
           FROM check_results
          WHERE target = ANY($1::text[]) AND checked_at >= $2 AND checked_at < $3 AND NOT in_maintenance
          GROUP BY target
         UNION ALL
         SELECT target, sum(checks), sum(successes)
           FROM check_results_hourly
          WHERE target = ANY($1::text[]) AND hour >= $2 AND hour < $3
          GROUP BY target
       ) counts GROUP BY target`,
      [targets, from, to],
    );
    return rows.map((r) => ({ target: r.target, checks: Number(r.checks), successes: Number(r.successes) }));
  }

  /**
   * p50 and p95 response time per target in [from, to), maintenance windows left out: exact over raw
   * results; where only hourly rollups cover the window, the median of their hourly percentiles.
   */
  async percentilesBetween(
    targets: readonly string[],
    from: string,
    to: string,
  ): Promise<ResponseTimePercentiles[]> {
    const rows: { target: string; p50: number | null; p95: number | null }[] = await this.dataSource.query(
      `WITH raw AS (
         SELECT target,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time_ms) AS p50,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms) AS p95
           FROM check_results
          WHERE target = ANY($1::text[]) AND checked_at >= $2 AND checked_at < $3 AND NOT in_maintenance
          GROUP BY target),
       hourly AS (
         SELECT target,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time_ms_p50) AS p50,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time_ms_p95) AS p95
           FROM check_results_hourly
          WHERE target = ANY($1::text[]) AND hour >= $2 AND hour < $3
          GROUP BY target)
       SELECT coalesce(raw.target, hourly.target) AS target,
              coalesce(raw.p50, hourly.p50) AS p50, coalesce(raw.p95, hourly.p95) AS p95
         FROM raw FULL JOIN hourly ON raw.target = hourly.target`,
      [targets, from, to],
    );
    return rows.map((r) => ({
      target: r.target,
      p50: r.p50 === null ? null : Number(r.p50),
      p95: r.p95 === null ? null : Number(r.p95),
    }));
  }

  /** The latest `perTarget` results of each target within the last day, oldest first. */
  async recentResponseTimes(targets: readonly string[], perTarget: number): Promise<ResponseTimePoint[]> {
    const rows: { target: string; ok: boolean; response_time_ms: number; checked_at: Date }[] =
      await this.dataSource.query(
        `SELECT target, ok, response_time_ms, checked_at FROM (
           SELECT target, ok, response_time_ms, checked_at,
                  row_number() OVER (PARTITION BY target ORDER BY checked_at DESC) AS rn
             FROM check_results
            WHERE target = ANY($1::text[]) AND checked_at > now() - interval '1 day') latest
          WHERE rn <= $2
          ORDER BY target, checked_at`,
        [targets, perTarget],
      );
    return rows.map((r) => ({
      target: r.target,
      ok: r.ok,
      responseTimeMs: Number(r.response_time_ms),
      checkedAt: r.checked_at.toISOString(),
    }));
  }

  /**
   * Rolls raw results older than `before` (truncated to the hour) into hourly rows (those inside a
   * maintenance window left out, as in uptime) and deletes them, in one transaction; returns how many
   * raw rows went.
   */
  async downsample(before: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO check_results_hourly
           (target, hour, checks, successes, response_time_ms_sum, response_time_ms_p50, response_time_ms_p95)
         SELECT target, date_trunc('hour', checked_at), count(*), count(*) FILTER (WHERE ok),
                sum(response_time_ms),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time_ms),
                percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)
           FROM check_results WHERE checked_at < date_trunc('hour', $1::timestamptz) AND NOT in_maintenance
          GROUP BY target, date_trunc('hour', checked_at)
         ON CONFLICT (target, hour) DO UPDATE SET
           checks = check_results_hourly.checks + EXCLUDED.checks,
           successes = check_results_hourly.successes + EXCLUDED.successes,
           response_time_ms_sum = check_results_hourly.response_time_ms_sum + EXCLUDED.response_time_ms_sum,
           response_time_ms_p50 = EXCLUDED.response_time_ms_p50,
           response_time_ms_p95 = EXCLUDED.response_time_ms_p95`,
        [before],
      );
      const [deleted]: { n: string }[] = await manager.query(
        `WITH gone AS (DELETE FROM check_results WHERE checked_at < date_trunc('hour', $1::timestamptz) RETURNING 1)
         SELECT count(*) AS n FROM gone`,
        [before],
      );
      return Number(deleted.n);
    });
  }

  /** Deletes hourly rows and closed incidents older than `before`. */
  async prune(before: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM check_results_hourly WHERE hour < $1`, [before]);
    await this.dataSource.query(`DELETE FROM target_incidents WHERE ended_at < $1`, [before]);
  }

  /** Runs `work` only if this replica wins the transaction-level advisory lock `key`; else returns null. */
  async exclusively<T>(key: number, work: () => Promise<T>): Promise<T | null> {
    return this.dataSource.transaction(async (manager) => {
      const [row]: { locked: boolean }[] = await manager.query(
        `SELECT pg_try_advisory_xact_lock($1) AS locked`,
        [key],
      );
      return row.locked ? work() : null;
    });
  }
}
