import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { ISSUE_COLUMNS, type IssueRow, type IssueStatusState } from './issue-row';

/** An event ready to store: scrubbed, grouped, with its columns extracted. */
export interface StorableEvent {
  project_id: string;
  event_id: string;
  received_at: Date;
  occurred_at: Date;
  level: string;
  release: string | null;
  environment: string | null;
  user_hash: string | null;
  event: unknown;
  scrub_rules: Record<string, number>;
  fingerprint: string;
  grouping_version: string;
  title: string;
  culprit: string | null;
}

/** How an issue changes with one stored event (decided by the ingest service). */
export interface IssueUpdate {
  state: IssueStatusState;
  regressed: boolean;
  new_user: boolean;
}

const MAX_MERGE_HOPS = 16;

/**
 * The ingest's writes, inside one transaction per batch (EventWriter). The hot path uses raw
 * parameterised SQL: one statement per step, no entity hydration, so a batch costs a few round trips
 * per event and one commit.
 */
@Injectable()
export class ErrorEventStore {
  /** Monthly partitions known to exist (created on demand by errors_ensure_partition). */
  private readonly partitions = new Set<string>();

  constructor(private readonly dataSource: DataSource) {}

  async reachable(): Promise<boolean> {
    return this.dataSource
      .query('SELECT 1')
      .then(() => true)
      .catch(() => false);
  }

  /** Creates the monthly partitions of `instants` (each in its own short transaction, outside a batch). */
  async ensurePartitions(instants: readonly Date[]): Promise<void> {
    for (const at of instants) {
      const key = at.toISOString().slice(0, 7);
      if (this.partitions.has(key)) continue;
      await this.dataSource.query(`SELECT errors_ensure_partition($1::timestamptz)`, [at.toISOString()]);
      this.partitions.add(key);
    }
  }

  /** Forgets known partitions (retention dropped some). */
  forgetPartitions(): void {
    this.partitions.clear();
  }

  transaction<T>(work: (writer: EventWriter) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new EventWriter(manager)));
  }
}

/** The statements of one batch transaction; savepoints isolate one event's failure from the others. */
export class EventWriter {
  private savepoints = 0;

  constructor(private readonly manager: EntityManager) {}

  /** Runs `work` under a savepoint: when it throws, only its writes are undone, then it rethrows. */
  async isolated<T>(work: () => Promise<T>): Promise<T> {
    const name = `ev_${++this.savepoints}`;
    await this.manager.query(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      await this.manager.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }

  /** Claims (project_id, event_id); false when it was stored before (an SDK retry or a redelivery). */
  async claimEventId(event: StorableEvent): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO error_event_ids (project_id, event_id, received_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [event.project_id, event.event_id, event.received_at],
    );
    return rows.length === 1;
  }

  /**
   * The issue the event belongs to, locked for update: the one of its fingerprint (followed through
   * merges), or a new one. `created` says the latter.
   */
  async issueFor(event: StorableEvent): Promise<{ issue: IssueRow; created: boolean }> {
    const inserted: { id: string }[] = await this.manager.query(
      `INSERT INTO error_issues (project_id, grouping_version, fingerprint, title, culprit, level, substatus,
         first_seen, last_seen)
       VALUES ($1, $2, $3, $4, $5, $6, 'new', $7, $7)
       ON CONFLICT (project_id, grouping_version, fingerprint) DO NOTHING RETURNING id::text AS id`,
      [
        event.project_id,
        event.grouping_version,
        event.fingerprint,
        event.title,
        event.culprit,
        event.level,
        event.received_at,
      ],
    );
    let id: string;
    if (inserted[0]) id = inserted[0].id;
    else {
      const [found]: { id: string }[] = await this.manager.query(
        `SELECT id::text AS id FROM error_issues
          WHERE project_id = $1 AND grouping_version = $2 AND fingerprint = $3`,
        [event.project_id, event.grouping_version, event.fingerprint],
      );
      id = found.id;
    }
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
      const issue = await this.lockIssue(id);
      if (issue.merged_into === null) return { issue, created: inserted.length === 1 };
      id = issue.merged_into;
    }
    throw new Error(`issue ${id}: merge chain longer than ${MAX_MERGE_HOPS}`);
  }

  private async lockIssue(id: string): Promise<IssueRow> {
    const [row]: IssueRow[] = await this.manager.query(
      `SELECT ${ISSUE_COLUMNS} FROM error_issues WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  /** Records the user; true when the issue had not seen this user before. */
  async addUser(issueId: string, userHash: string): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO error_issue_users (issue_id, user_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [issueId, userHash],
    );
    return rows.length === 1;
  }

  /** Counts the event on the issue (times seen, last seen, users, release and environment breakdowns). */
  async countEvent(issueId: string, event: StorableEvent, update: IssueUpdate): Promise<void> {
    const { state } = update;
    await this.manager.query(
      `UPDATE error_issues SET
         times_seen = times_seen + 1,
         last_seen = GREATEST(last_seen, $2),
         user_count = user_count + $3,
         last_release = COALESCE($4, last_release),
         releases = CASE WHEN $4::text IS NULL THEN releases
           ELSE jsonb_set(releases, ARRAY[$4::text], to_jsonb(COALESCE((releases ->> $4::text)::bigint, 0) + 1)) END,
         environments = CASE WHEN $5::text IS NULL THEN environments
           ELSE jsonb_set(environments, ARRAY[$5::text], to_jsonb(COALESCE((environments ->> $5::text)::bigint, 0) + 1)) END,
         status = $6, substatus = $7, resolved_in_next_release = $8, resolved_release = $9,
         ignore_until = $10, ignore_count_remaining = $11,
         resolved_at = CASE WHEN $6 = 'resolved' THEN resolved_at ELSE NULL END,
         regressed_at = CASE WHEN $12::boolean THEN $2::timestamptz ELSE regressed_at END
       WHERE id = $1`,
      [
        issueId,
        event.received_at,
        update.new_user ? 1 : 0,
        event.release,
        event.environment,
        state.status,
        state.substatus,
        state.resolved_in_next_release,
        state.resolved_release,
        state.ignore_until,
        state.ignore_count_remaining,
        update.regressed,
      ],
    );
  }

  async insertEvent(issueId: string, event: StorableEvent): Promise<void> {
    await this.manager.query(
      `INSERT INTO error_events (project_id, event_id, issue_id, received_at, occurred_at, level, release,
         environment, user_hash, event, scrub_rules)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        event.project_id,
        event.event_id,
        issueId,
        event.received_at,
        event.occurred_at,
        event.level,
        event.release,
        event.environment,
        event.user_hash,
        JSON.stringify(event.event),
        JSON.stringify(event.scrub_rules),
      ],
    );
  }

  async recordActivity(
    issueId: string,
    kind: string,
    at: Date,
    actor: string | null,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.manager.query(
      `INSERT INTO error_issue_activity (issue_id, kind, at, actor, details) VALUES ($1, $2, $3, $4, $5)`,
      [issueId, kind, at, actor, JSON.stringify(details)],
    );
  }

  /** Events of the issue received after `since`, counted up to `limit` (enough to know a spike). */
  async recentEvents(issueId: string, since: Date, limit: number): Promise<number> {
    const [row]: { n: number }[] = await this.manager.query(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM error_events WHERE issue_id = $1 AND received_at > $2 LIMIT $3) recent`,
      [issueId, since, limit],
    );
    return row.n;
  }

  async markSpikeAlerted(issueId: string, at: Date): Promise<void> {
    await this.manager.query(`UPDATE error_issues SET spike_alerted_at = $2 WHERE id = $1`, [issueId, at]);
  }

  /** Remembers a fired alert so resolving the issue resolves it; false when it was already recorded. */
  async recordAlert(issueId: string, alertname: string, startsAt: string, alert: unknown): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO error_issue_alerts (issue_id, alertname, starts_at, alert) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [issueId, alertname, startsAt, JSON.stringify(alert)],
    );
    return rows.length === 1;
  }
}
