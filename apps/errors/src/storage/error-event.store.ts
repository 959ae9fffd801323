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
  /**
   * The scrubbed event as JSON text, serialised while the batch is prepared (see storableEventJson):
   * the batch's insert then splices it into its document instead of encoding every event inside the
   * store phase, which batches take one at a time.
   */
  event_json: string;
  scrub_rules: Record<string, number>;
  fingerprint: string;
  grouping_version: string;
  title: string;
  culprit: string | null;
}

/** How an issue changes with a batch's events of it (decided by the ingest service). */
export interface IssueCounts {
  events: number;
  last_seen: Date;
  /** The newest release among the events, if any had one. */
  last_release: string | null;
  /** The issue's breakdowns with the events counted in. */
  releases: Record<string, number>;
  environments: Record<string, number>;
  state: IssueStatusState;
  /** When a regression reopened it (null: none in this batch). */
  regressed_at: Date | null;
}

const MAX_MERGE_HOPS = 16;

/** Splits rows into consecutive rounds in which each issue appears at most once, keeping list order. */
export function distinctRounds<T extends { issue_id: string }>(rows: readonly T[]): T[][] {
  const rounds: T[][] = [];
  const seen: Set<string>[] = [];
  for (const row of rows) {
    let n = 0;
    while (n < rounds.length && seen[n].has(row.issue_id)) n++;
    if (n === rounds.length) {
      rounds.push([]);
      seen.push(new Set());
    }
    rounds[n].push(row);
    seen[n].add(row.issue_id);
  }
  return rounds;
}

/** An issue's identity: its project, grouping version and fingerprint. */
function issueKey(of: { project_id: string; grouping_version: string; fingerprint: string }): string {
  return `${of.project_id}\u0000${of.grouping_version}\u0000${of.fingerprint}`;
}

/**
 * The ingest's writes, inside one transaction per batch (EventWriter). The hot path uses raw
 * parameterised SQL with arrays unnested server-side: no entity hydration, one statement for the batch's
 * event ids, one for its events, one for its issues' counts, one for their activity, and one commit.
 */
@Injectable()
export class ErrorEventStore {
  /** Monthly partitions known to exist (created on demand by errors_ensure_partition). */
  private readonly partitions = new Set<string>();
  private readonly groupingVersions = new Set<string>();

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

  /**
   * Records the grouping version each project's events are grouped with now (once per project, version
   * and process). Issues keep the version they were made under in their key: a new grouping version
   * starts new issues instead of mixing two fingerprint schemes in one.
   */
  async recordGroupingVersions(versions: ReadonlyMap<string, string>): Promise<void> {
    for (const [projectId, version] of versions) {
      const key = `${projectId}\u0000${version}`;
      if (this.groupingVersions.has(key)) continue;
      await this.dataSource.query(
        `INSERT INTO error_projects (project_id, grouping_version) VALUES ($1, $2)
         ON CONFLICT (project_id) DO UPDATE SET grouping_version = EXCLUDED.grouping_version, updated_at = now()
         WHERE error_projects.grouping_version <> EXCLUDED.grouping_version`,
        [projectId, version],
      );
      this.groupingVersions.add(key);
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

/** An issue a batch files events into was merged (or removed) while the batch was being written. */
export class IssueMovedError extends Error {
  override readonly name = 'IssueMovedError';

  constructor(readonly issueId: string) {
    super(`issue ${issueId} was merged while a batch was filing events into it; the batch is retried`);
  }
}

/** The statements of one batch transaction. */
export class EventWriter {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Claims the events' (project_id, event_id) in one statement; returns the keys newly claimed
   * (`<project_id>:<event_id>`). A key stored before (an SDK retry, a redelivery) or twice in the batch
   * is claimed once. Claimed in (project, event id) order: two batches holding the same ids (a
   * redelivery) wait on each other in one order.
   */
  async claimEventIds(events: readonly StorableEvent[]): Promise<Set<string>> {
    const rows: { key: string }[] = await this.manager.query(
      `INSERT INTO error_event_ids (project_id, event_id, received_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS c(p, e, r) ORDER BY p, e
       ON CONFLICT DO NOTHING RETURNING project_id || ':' || event_id AS key`,
      [events.map((e) => e.project_id), events.map((e) => e.event_id), events.map((e) => e.received_at)],
    );
    return new Set(rows.map((r) => r.key));
  }

  /**
   * The issue each event's fingerprint files into (one per fingerprint, in the order given): the one of
   * its fingerprint followed through merges, or a new one (`created`). Takes no row lock, so batches
   * insert their events side by side; `lockIssues` locks them afterwards and sees whether a merge moved
   * one meanwhile. New issues are inserted in the order given (fingerprint order: two batches creating
   * the same issues wait on each other in one order, never in a cycle).
   */
  async issueTargets(events: readonly StorableEvent[]): Promise<{ id: string; created: boolean }[]> {
    if (events.length === 0) return [];
    const keys = events.map((e, n) => ({
      n,
      p: e.project_id,
      g: e.grouping_version,
      f: e.fingerprint,
      t: e.title,
      c: e.culprit,
      l: e.level,
      r: e.received_at,
    }));
    const inserted: { id: string }[] = await this.manager.query(
      `INSERT INTO error_issues (project_id, grouping_version, fingerprint, title, culprit, level, substatus,
         first_seen, last_seen)
       SELECT p, g, f, t, c, l, 'new', r, r
         FROM json_to_recordset($1::json)
           AS e(p text, g text, f text, t text, c text, l text, r timestamptz, n int)
        ORDER BY n
       ON CONFLICT (project_id, grouping_version, fingerprint) DO NOTHING
       RETURNING id::text AS id`,
      [JSON.stringify(keys)],
    );
    // A statement of its own: its snapshot sees issues another batch committed while the insert waited.
    const rows: {
      id: string;
      project_id: string;
      grouping_version: string;
      fingerprint: string;
      merged_into: string | null;
    }[] = await this.manager.query(
      `SELECT i.id::text AS id, i.project_id, i.grouping_version, i.fingerprint, i.merged_into::text AS merged_into
           FROM error_issues i
           JOIN json_to_recordset($1::json) AS e(p text, g text, f text)
             ON i.project_id = e.p AND i.grouping_version = e.g AND i.fingerprint = e.f`,
      [JSON.stringify(keys.map(({ p, g, f }) => ({ p, g, f })))],
    );
    const created = new Set(inserted.map((row) => row.id));
    const byKey = new Map(rows.map((row) => [issueKey(row), row]));
    const targets: { id: string; created: boolean }[] = [];
    for (const event of events) {
      const row = byKey.get(issueKey(event));
      if (row === undefined) throw new Error(`no issue row found for fingerprint ${event.fingerprint}`);
      targets.push({ id: await this.mergeTarget(row), created: created.has(row.id) });
    }
    return targets;
  }

  private async mergeTarget(issue: { id: string; merged_into: string | null }): Promise<string> {
    let current = issue;
    for (let hop = 0; current.merged_into !== null; hop++) {
      if (hop === MAX_MERGE_HOPS)
        throw new Error(`issue ${issue.id}: merge chain longer than ${MAX_MERGE_HOPS}`);
      const [next]: { id: string; merged_into: string | null }[] = await this.manager.query(
        `SELECT id::text AS id, merged_into::text AS merged_into FROM error_issues WHERE id = $1`,
        [current.merged_into],
      );
      if (next === undefined) throw new Error(`issue ${current.merged_into} (merge target) not found`);
      current = next;
    }
    return current.id;
  }

  /**
   * Locks the issues (by id, in id order: every batch locks in one order, so none waits in a cycle)
   * and returns them by id. Throws IssueMovedError when one was merged into another since
   * `issueTargets` named it: the batch is rolled back and retried, and then files into the new target.
   */
  async lockIssues(ids: readonly string[]): Promise<Map<string, IssueRow>> {
    const distinct = [...new Set(ids)];
    if (distinct.length === 0) return new Map();
    const rows: IssueRow[] = await this.manager.query(
      `SELECT ${ISSUE_COLUMNS} FROM error_issues WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`,
      [distinct],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of distinct) {
      const row = byId.get(id);
      if (row === undefined || row.merged_into !== null) throw new IssueMovedError(id);
    }
    return byId;
  }

  /**
   * Writes what the batch's events changed per issue (counts, breakdowns, last seen, status) and records
   * their users, counting those each issue had not seen: one statement per round of distinct issues
   * (rows travel as one JSON document). An issue listed twice (two fingerprints merged into it) gets a
   * second round, since one UPDATE applies only one row per target; later rows win, as in list order.
   */
  async countEvents(
    updates: readonly { issue_id: string; counts: IssueCounts; user_hashes: readonly string[] }[],
  ): Promise<void> {
    for (const round of distinctRounds(updates)) {
      const document = JSON.stringify(
        round.map(({ issue_id, counts, user_hashes }) => ({
          id: issue_id,
          n: counts.events,
          ls: counts.last_seen,
          u: [...new Set(user_hashes)],
          lr: counts.last_release,
          rel: counts.releases,
          env: counts.environments,
          st: counts.state.status,
          sub: counts.state.substatus,
          rnr: counts.state.resolved_in_next_release,
          rr: counts.state.resolved_release,
          iu: counts.state.ignore_until,
          icr: counts.state.ignore_count_remaining,
          ra: counts.regressed_at,
        })),
      );
      await this.manager.query(
        `WITH t AS (
           SELECT * FROM json_to_recordset($1::json) AS r(id bigint, n bigint, ls timestamptz, u text[],
             lr text, rel jsonb, env jsonb, st text, sub text, rnr boolean, rr text, iu timestamptz,
             icr integer, ra timestamptz)),
         new_users AS (
           INSERT INTO error_issue_users (issue_id, user_hash) SELECT t.id, unnest(t.u) FROM t
           ON CONFLICT DO NOTHING RETURNING issue_id),
         added AS (SELECT issue_id, count(*) AS n FROM new_users GROUP BY issue_id)
         UPDATE error_issues i SET
           times_seen = i.times_seen + t.n, last_seen = GREATEST(i.last_seen, t.ls),
           user_count = i.user_count + COALESCE(added.n, 0), last_release = COALESCE(t.lr, i.last_release),
           releases = t.rel, environments = t.env,
           status = t.st, substatus = t.sub, resolved_in_next_release = t.rnr, resolved_release = t.rr,
           ignore_until = t.iu, ignore_count_remaining = t.icr,
           resolved_at = CASE WHEN t.st = 'resolved' THEN i.resolved_at ELSE NULL END,
           regressed_at = COALESCE(t.ra, i.regressed_at)
         FROM t LEFT JOIN added ON added.issue_id = t.id
         WHERE i.id = t.id`,
        [document],
      );
    }
  }

  /** Inserts activity rows (no actor) in one statement, in list order (their ids break ties of `at`). */
  async recordActivities(
    rows: readonly { issue_id: string; kind: string; at: Date; details: Record<string, unknown> }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.manager.query(
      `INSERT INTO error_issue_activity (issue_id, kind, at, actor, details)
       SELECT (r->>'i')::bigint, r->>'k', (r->>'a')::timestamptz, NULL, r->'d'
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n`,
      [
        JSON.stringify(
          rows.map(({ issue_id, kind, at, details }) => ({ i: issue_id, k: kind, a: at, d: details })),
        ),
      ],
    );
  }

  /**
   * Inserts the batch's events in one statement. The rows travel as one JSON document parsed once
   * server-side into jsonb (jsonb_to_recordset hands each event over as the jsonb it already is; a json
   * document was parsed again per row by `::jsonb`). Each event's JSON text was made while the batch
   * was prepared and is spliced in as it is.
   */
  async insertEvents(rows: readonly { issue_id: string; event: StorableEvent }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.manager.query(
      `INSERT INTO error_events (project_id, event_id, issue_id, received_at, occurred_at, level, release,
         environment, user_hash, event, scrub_rules)
       SELECT p, e, i, r, o, l, rel, env, u, ev, sr
         FROM jsonb_to_recordset($1::jsonb) AS t(p text, e text, i bigint, r timestamptz, o timestamptz,
                                                 l text, rel text, env text, u text, ev jsonb, sr jsonb)`,
      [eventRowsDocument(rows)],
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
      `INSERT INTO error_issue_alerts (origin_issue_id, issue_id, alertname, starts_at, alert)
       VALUES ($1, $1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [issueId, alertname, startsAt, JSON.stringify(alert)],
    );
    return rows.length === 1;
  }
}

/**
 * The JSON array of event rows for insertEvents: each row's columns encoded, with the event's own JSON
 * text (`event_json`, valid JSON made by JSON.stringify) spliced in as its `ev` member.
 */
export function eventRowsDocument(rows: readonly { issue_id: string; event: StorableEvent }[]): string {
  const parts: string[] = [];
  for (const { issue_id, event: e } of rows) {
    const columns = JSON.stringify({
      p: e.project_id,
      e: e.event_id,
      i: issue_id,
      r: e.received_at,
      o: e.occurred_at,
      l: e.level,
      rel: e.release,
      env: e.environment,
      u: e.user_hash,
      sr: e.scrub_rules,
    });
    // `{...}` → `{...,"ev":<event>}`: columns always has members, so the comma is right.
    parts.push(`${columns.slice(0, -1)},"ev":${e.event_json}}`);
  }
  return `[${parts.join(',')}]`;
}

/** The scrubbed event as the JSON text stored (`{}` for an event that encodes to nothing). */
export function storableEventJson(event: unknown): string {
  return JSON.stringify(event) ?? '{}';
}
