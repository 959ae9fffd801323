import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AlertCurrentStatus, SummaryRequestV1 } from '@vigil/contracts';

export interface TopAlertRow {
  alertname: string;
  /** The most severe severity of its episodes in the window. */
  severity: string;
  count: number;
  status: AlertCurrentStatus;
}

/** The most frequent alertnames of a window with the status of their episodes now (SQL only). */
@Injectable()
export class TopAlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Alertnames by episodes started in [from, to), most first, at most `limit`; the status looks at
   * every episode of the alertname (of the tenant and severities), whenever it started: one still
   * open and not acknowledged makes it firing, open ones all acknowledged make it acknowledged.
   */
  async top(request: SummaryRequestV1, limit: number): Promise<TopAlertRow[]> {
    const rows = await this.dataSource.query<
      { alertname: string; severity: string; count: string; status: AlertCurrentStatus }[]
    >(
      `WITH counted AS (
         SELECT alertname, count(*) AS count,
                (array_agg(severity ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1
                   WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, severity))[1] AS severity
           FROM alert_episodes
          WHERE starts_at >= $1 AND starts_at < $2 AND ($3::text IS NULL OR labels->>'tenant_id' = $3)
            AND ($5::text[] IS NULL OR severity = ANY($5))
          GROUP BY alertname
          ORDER BY count(*) DESC, alertname
          LIMIT $4)
       SELECT c.alertname, c.severity, c.count,
              CASE WHEN count(o.alertname) FILTER (WHERE o.acknowledged_at IS NULL) > 0 THEN 'firing'
                   WHEN count(o.alertname) > 0 THEN 'acknowledged'
                   ELSE 'resolved' END AS status
         FROM counted c
         LEFT JOIN alert_episodes o
           ON o.alertname = c.alertname AND o.resolved_at IS NULL
          AND ($3::text IS NULL OR o.labels->>'tenant_id' = $3)
          AND ($5::text[] IS NULL OR o.severity = ANY($5))
        GROUP BY c.alertname, c.severity, c.count
        ORDER BY c.count DESC, c.alertname`,
      [request.from, request.to, request.tenant_id ?? null, limit, request.severities ?? null],
    );
    return rows.map((r) => ({
      alertname: r.alertname,
      severity: r.severity,
      count: Number(r.count),
      status: r.status,
    }));
  }
}
