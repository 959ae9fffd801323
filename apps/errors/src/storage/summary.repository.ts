import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { ErrorIssueStatus } from '@vigil/contracts';

export interface Period {
  from: Date;
  to: Date;
}

export interface TopIssueRow {
  issue_id: string;
  project_id: string;
  title: string;
  culprit: string | null;
  level: string;
  status: ErrorIssueStatus;
  first_seen: Date;
  count: number;
  users: number;
  regressed: boolean;
  resolved: boolean;
}

/** The summary's reads over [from, to); events of merged issues count for the issue they went into. */
@Injectable()
export class SummaryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async totals(period: Period): Promise<{ total_events: number; new_issues: number; regressions: number }> {
    const [row]: { total_events: number; new_issues: number; regressions: number }[] =
      await this.dataSource.query(
        `SELECT
         (SELECT count(*)::int FROM error_events WHERE received_at >= $1 AND received_at < $2) AS total_events,
         (SELECT count(*)::int FROM error_issues WHERE merged_into IS NULL AND first_seen >= $1 AND first_seen < $2) AS new_issues,
         (SELECT count(*)::int FROM error_issue_activity WHERE kind = 'regressed' AND at >= $1 AND at < $2) AS regressions`,
        [period.from, period.to],
      );
    return row;
  }

  async topIssues(period: Period, limit: number): Promise<TopIssueRow[]> {
    return this.dataSource.query(
      `WITH counted AS (
         SELECT issue_id, count(*)::int AS count, count(DISTINCT user_hash)::int AS users
           FROM error_events WHERE received_at >= $1 AND received_at < $2
          GROUP BY issue_id ORDER BY count DESC, issue_id LIMIT $3)
       SELECT i.id::text AS issue_id, i.project_id, i.title, i.culprit, i.level, i.status, i.first_seen,
              c.count, c.users,
              EXISTS (SELECT 1 FROM error_issue_activity a WHERE a.issue_id = i.id AND a.kind = 'regressed'
                        AND a.at >= $1 AND a.at < $2) AS regressed,
              (i.resolved_at IS NOT NULL AND i.resolved_at >= $1 AND i.resolved_at < $2) AS resolved
         FROM counted c JOIN error_issues i ON i.id = c.issue_id
        ORDER BY c.count DESC, i.id`,
      [period.from, period.to, limit],
    );
  }
}
