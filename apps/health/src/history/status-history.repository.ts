import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One target's downtime on one UTC day, clipped to the day (and to now for today). */
export interface DailyDowntime {
  target: string;
  /** `YYYY-MM-DD`, a UTC day. */
  day: string;
  /** Seconds of the day the target was watched (after its first check, before now); 0: no data. */
  observedS: number;
  /** Seconds of the day inside an incident. */
  downS: number;
}

export interface ValuePoint {
  target: string;
  value: number;
  checkedAt: string;
}

export interface DailyValue {
  target: string;
  /** `YYYY-MM-DD`, a UTC day. */
  day: string;
  /** The last value measured that day. */
  value: number;
}

/**
 * The SQL behind the status page's day bars, value sparklines and heartbeat pings, and the
 * summary's daily values (certificate expiry is certs/cert-expiry.repository.ts). No business rule lives here.
 */
@Injectable()
export class StatusHistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Downtime per target and UTC day for `days` days ending with today, in one query: every target ×
   * every day (generate_series), incidents overlapping the day clipped to it. A day before the
   * target's first check (raw or hourly rollup) has observedS 0. (FILTER: greatest() and least()
   * skip NULLs, so a day without incident would otherwise sum a bogus span.)
   */
  async dailyDowntime(targets: readonly string[], days: number, now: Date): Promise<DailyDowntime[]> {
    const rows: { target: string; day: string; observed_s: string; down_s: string }[] =
      await this.dataSource.query(
        `WITH span AS (
           SELECT date_trunc('day', $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                    - ($2::int - 1) * interval '1 day' AS first_day),
         days AS (
           SELECT i, first_day + i * interval '1 day' AS day_start,
                  least(first_day + (i + 1) * interval '1 day', $3::timestamptz) AS day_end
             FROM span, generate_series(0, $2::int - 1) AS i),
         first_seen AS (
           SELECT target, min(at) AS at FROM (
             SELECT target, min(checked_at) AS at FROM check_results
              WHERE target = ANY($1::text[]) GROUP BY target
             UNION ALL
             SELECT target, min(hour) FROM check_results_hourly
              WHERE target = ANY($1::text[]) GROUP BY target) firsts
            GROUP BY target),
         cells AS (
           SELECT t.target, d.i, d.day_start, d.day_end,
                  greatest(d.day_start, coalesce(f.at, d.day_end)) AS watched_from
             FROM unnest($1::text[]) AS t(target)
             CROSS JOIN days d
             LEFT JOIN first_seen f ON f.target = t.target)
         SELECT c.target, to_char(c.day_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                greatest(0, extract(epoch FROM c.day_end - c.watched_from)) AS observed_s,
                coalesce(sum(extract(epoch FROM
                  least(coalesce(inc.ended_at, $3::timestamptz), c.day_end)
                  - greatest(inc.started_at, c.watched_from))) FILTER (WHERE inc.id IS NOT NULL), 0) AS down_s
           FROM cells c
           LEFT JOIN target_incidents inc
             ON inc.target = c.target AND inc.started_at < c.day_end
            AND coalesce(inc.ended_at, $3::timestamptz) > c.watched_from
          GROUP BY c.target, c.i, c.day_start, c.day_end, c.watched_from
          ORDER BY c.target, c.i`,
        [targets, days, now.toISOString()],
      );
    return rows.map((r) => ({
      target: r.target,
      day: r.day,
      observedS: Number(r.observed_s),
      downS: Math.min(Number(r.down_s), Number(r.observed_s)),
    }));
  }

  /** The latest `perTarget` measured values (check_results.value) of each target, oldest first. */
  async recentValues(targets: readonly string[], perTarget: number): Promise<ValuePoint[]> {
    if (targets.length === 0) return [];
    const rows: { target: string; value: number; checked_at: Date }[] = await this.dataSource.query(
      `SELECT target, value, checked_at FROM (
         SELECT target, value, checked_at,
                row_number() OVER (PARTITION BY target ORDER BY checked_at DESC) AS rn
           FROM check_results
          WHERE target = ANY($1::text[]) AND value IS NOT NULL) latest
        WHERE rn <= $2
        ORDER BY target, checked_at`,
      [targets, perTarget],
    );
    return rows.map((r) => ({
      target: r.target,
      value: Number(r.value),
      checkedAt: r.checked_at.toISOString(),
    }));
  }

  /** The last measured value of each target per UTC day in [from, to), oldest first. */
  async dailyLastValues(targets: readonly string[], from: string, to: string): Promise<DailyValue[]> {
    if (targets.length === 0) return [];
    const rows: { target: string; day: string; value: number }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (target, day) target, day, value FROM (
         SELECT target, value, checked_at,
                to_char(checked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
           FROM check_results
          WHERE target = ANY($1::text[]) AND value IS NOT NULL
            AND checked_at >= $2 AND checked_at < $3) measured
        ORDER BY target, day, checked_at DESC`,
      [targets, from, to],
    );
    return rows.map((r) => ({ target: r.target, day: r.day, value: Number(r.value) }));
  }

  /** When each heartbeat monitor last reported a successful run (a success ping or exit code 0). */
  async lastSuccessPings(monitors: readonly string[]): Promise<Map<string, string>> {
    if (monitors.length === 0) return new Map();
    const rows: { monitor: string; received_at: Date }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (monitor) monitor, received_at FROM heartbeat_pings
        WHERE monitor = ANY($1::text[]) AND (kind = 'success' OR (kind = 'exit' AND exit_code = 0))
        ORDER BY monitor, id DESC`,
      [monitors],
    );
    return new Map(rows.map((r) => [r.monitor, r.received_at.toISOString()]));
  }
}
