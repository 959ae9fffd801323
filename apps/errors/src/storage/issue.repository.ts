import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { ISSUE_COLUMNS, type IssueRow, type IssueStatusState } from './issue-row';

export interface IssueFilter {
  project_ids?: readonly string[];
  status?: string;
  level?: string;
  environment?: string;
  release?: string;
  q?: string;
  limit: number;
  after?: { at: string; id: string };
}

export interface EventRow {
  id: string;
  event_id: string;
  project_id: string;
  issue_id: string;
  received_at: Date;
  occurred_at: Date;
  level: string;
  release: string | null;
  environment: string | null;
  scrub_rules: Record<string, number>;
  event: unknown;
}

export interface AlertRow {
  issue_id: string;
  alertname: string;
  alert: unknown;
}

const likeEscaped = (value: string) => value.replace(/[\\%_]/g, '\\$&');

/** Reads and writes of issues outside ingest (API, summary); no rule lives here. */
@Injectable()
export class IssueRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(filter: IssueFilter): Promise<IssueRow[]> {
    const where = ['merged_into IS NULL'];
    const params: unknown[] = [];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.project_ids) add((n) => `project_id = ANY(${n})`, filter.project_ids);
    if (filter.status) add((n) => `status = ${n}`, filter.status);
    if (filter.level) add((n) => `level = ${n}`, filter.level);
    if (filter.environment) add((n) => `environments ? ${n}`, filter.environment);
    if (filter.release) add((n) => `releases ? ${n}`, filter.release);
    if (filter.q) add((n) => `(title ILIKE ${n} OR culprit ILIKE ${n})`, `%${likeEscaped(filter.q)}%`);
    if (filter.after) {
      params.push(filter.after.at, filter.after.id);
      where.push(`(last_seen, id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
    }
    params.push(filter.limit);
    return this.dataSource.query(
      `SELECT ${ISSUE_COLUMNS} FROM error_issues WHERE ${where.join(' AND ')}
        ORDER BY last_seen DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }

  async byId(id: string, manager: EntityManager = this.dataSource.manager): Promise<IssueRow | undefined> {
    const rows: IssueRow[] = await manager.query(`SELECT ${ISSUE_COLUMNS} FROM error_issues WHERE id = $1`, [
      id,
    ]);
    return rows[0];
  }

  async events(issueId: string, limit: number, after?: { at: string; id: string }): Promise<EventRow[]> {
    const params: unknown[] = [issueId, limit];
    let cursor = '';
    if (after) {
      params.push(after.at, after.id);
      cursor = `AND (received_at, id) < ($3::timestamptz, $4::bigint)`;
    }
    return this.dataSource.query(
      `SELECT id::text AS id, event_id, project_id, issue_id::text AS issue_id, received_at, occurred_at, level,
              release, environment, scrub_rules, event
         FROM error_events WHERE issue_id = $1 ${cursor}
        ORDER BY received_at DESC, id DESC LIMIT $2`,
      params,
    );
  }

  /** How often each scrub rule fired over the issue's stored events (counts only, never values). */
  async scrubTotals(issueId: string): Promise<Record<string, number>> {
    const rows: { rule: string; n: string }[] = await this.dataSource.query(
      `SELECT r.key AS rule, sum(r.value::bigint)::text AS n
         FROM error_events e, jsonb_each_text(e.scrub_rules) r
        WHERE e.issue_id = $1 GROUP BY r.key ORDER BY r.key`,
      [issueId],
    );
    return Object.fromEntries(rows.map((r) => [r.rule, Number(r.n)]));
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async lock(manager: EntityManager, id: string): Promise<IssueRow | undefined> {
    const rows: IssueRow[] = await manager.query(
      `SELECT ${ISSUE_COLUMNS} FROM error_issues WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async setStatus(manager: EntityManager, id: string, state: IssueStatusState, at: Date): Promise<void> {
    await manager.query(
      `UPDATE error_issues SET status = $2, substatus = $3, resolved_in_next_release = $4, resolved_release = $5,
         ignore_until = $6, ignore_count_remaining = $7,
         resolved_at = CASE WHEN $2 = 'resolved' THEN $8::timestamptz ELSE NULL END
       WHERE id = $1`,
      [
        id,
        state.status,
        state.substatus,
        state.resolved_in_next_release,
        state.resolved_release,
        state.ignore_until,
        state.ignore_count_remaining,
        at,
      ],
    );
  }

  async recordActivity(
    manager: EntityManager,
    issueId: string,
    kind: string,
    at: Date,
    actor: string | null,
    details: Record<string, unknown>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO error_issue_activity (issue_id, kind, at, actor, details) VALUES ($1, $2, $3, $4, $5)`,
      [issueId, kind, at, actor, JSON.stringify(details)],
    );
  }

  async activity(
    issueId: string,
  ): Promise<{ kind: string; at: Date; actor: string | null; details: unknown }[]> {
    return this.dataSource.query(
      `SELECT kind, at, actor, details FROM error_issue_activity WHERE issue_id = $1 ORDER BY at DESC, id DESC LIMIT 50`,
      [issueId],
    );
  }

  /** The issue's open alerts, marked resolved at `at` (the caller publishes their resolution). */
  async closeAlerts(manager: EntityManager, issueId: string, at: Date): Promise<AlertRow[]> {
    // An UPDATE answers [rows, affected count] through TypeORM.
    const [rows]: [AlertRow[], number] = await manager.query(
      `UPDATE error_issue_alerts SET resolved_at = $2 WHERE issue_id = $1 AND resolved_at IS NULL
       RETURNING issue_id::text AS issue_id, alertname, alert`,
      [issueId, at],
    );
    return rows;
  }

  /**
   * Moves everything of `from` into `into`: events, users, counts, breakdowns, activity and open alerts;
   * `from` keeps its fingerprint and points at `into` (later events of it land in `into`).
   */
  async merge(manager: EntityManager, from: IssueRow, into: IssueRow): Promise<void> {
    await manager.query(`UPDATE error_events SET issue_id = $2 WHERE issue_id = $1`, [from.id, into.id]);
    await manager.query(
      `INSERT INTO error_issue_users (issue_id, user_hash)
         SELECT $2, user_hash FROM error_issue_users WHERE issue_id = $1 ON CONFLICT DO NOTHING`,
      [from.id, into.id],
    );
    await manager.query(
      `UPDATE error_issues SET
         times_seen = times_seen + $2,
         first_seen = LEAST(first_seen, $3), last_seen = GREATEST(last_seen, $4),
         user_count = (SELECT count(*) FROM error_issue_users WHERE issue_id = $1),
         releases = $5, environments = $6
       WHERE id = $1`,
      [
        into.id,
        from.times_seen,
        from.first_seen,
        from.last_seen,
        JSON.stringify(sumCounts(into.releases, from.releases)),
        JSON.stringify(sumCounts(into.environments, from.environments)),
      ],
    );
    // Its open alerts now resolve with `into` (they keep the labels they fired with).
    await manager.query(
      `UPDATE error_issue_alerts SET issue_id = $2 WHERE issue_id = $1 AND resolved_at IS NULL`,
      [from.id, into.id],
    );
    await manager.query(`UPDATE error_issues SET merged_into = $2 WHERE merged_into = $1`, [
      from.id,
      into.id,
    ]);
    await manager.query(
      `UPDATE error_issues SET merged_into = $2, times_seen = 0, user_count = 0 WHERE id = $1`,
      [from.id, into.id],
    );
  }
}

function sumCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const sum: Record<string, number> = { ...a };
  for (const [key, n] of Object.entries(b)) sum[key] = (sum[key] ?? 0) + Number(n);
  return sum;
}
