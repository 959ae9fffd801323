import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { SummaryRequestV1 } from '@vigil/contracts';

import type { LabelSet } from '../model/alert';
import type { Transaction } from '../model/alert.repository';

export type HistoryEvent =
  'fired' | 'resolved' | 'acknowledged' | 'resolved_manually' | 'false_positive' | 'escalated';

export interface Episode {
  fingerprint: string;
  startsAt: Date;
  alertname: string;
  severity: string;
  labels: LabelSet;
  firedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  falsePositive: boolean;
  escalationPolicy: string | null;
  escalationStep: number;
  nextEscalationAt: Date | null;
}

export interface NewHistoryEntry {
  id: string;
  fingerprint: string;
  episodeStartsAt: Date;
  alertname: string;
  severity: string;
  event: HistoryEvent;
  actor: string;
  comment?: string | null;
  details?: Record<string, unknown> | null;
  at: Date;
  /** Published to the audit trail (actions by people). */
  audit: boolean;
}

export interface HistoryEntry extends Omit<NewHistoryEntry, 'audit'> {
  comment: string | null;
  details: Record<string, unknown> | null;
}

export interface HistoryQuery {
  fingerprint?: string;
  alertname?: string;
  severity?: string;
  event?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

interface EpisodeRow {
  fingerprint: string;
  starts_at: Date;
  alertname: string;
  severity: string;
  labels: LabelSet;
  fired_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  false_positive: boolean;
  escalation_policy: string | null;
  escalation_step: number;
  next_escalation_at: Date | null;
}

interface HistoryRow {
  id: string;
  fingerprint: string;
  episode_starts_at: Date;
  alertname: string;
  severity: string;
  event: HistoryEvent;
  actor: string;
  comment: string | null;
  details: Record<string, unknown> | null;
  at: Date;
}

const EPISODE_COLUMNS = `fingerprint, starts_at, alertname, severity, labels, fired_at, acknowledged_at, acknowledged_by,
  resolved_at, resolved_by, false_positive, escalation_policy, escalation_step, next_escalation_at`;
const HISTORY_COLUMNS =
  'id, fingerprint, episode_starts_at, alertname, severity, event, actor, comment, details, at';

/** All SQL of alert_episodes and alert_history; no business rule lives here. */
@Injectable()
export class EpisodeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * A batch's episode bookkeeping in one statement (the ingest hot path: one round trip whatever the
   * batch size): opens episodes (one that already exists fires again within its own time range: it is
   * re-opened, keeping its acknowledgement), resolves episodes by their source, adds the history entries.
   */
  async recordAll(
    tx: Transaction,
    work: {
      open: readonly NewEpisode[];
      resolve: readonly { fingerprint: string; startsAt: Date; at: Date }[];
      resolvedBy: string;
      history: readonly NewHistoryEntry[];
    },
  ): Promise<void> {
    await tx.query(
      `WITH resolved AS (
         UPDATE alert_episodes e SET resolved_at = COALESCE(e.resolved_at, r.at),
                resolved_by = COALESCE(e.resolved_by, $4), next_escalation_at = NULL
           FROM unnest($2::text[], $5::timestamptz[], $6::timestamptz[]) AS r(fingerprint, starts_at, at)
          WHERE e.fingerprint = ANY($2::text[]) AND e.fingerprint = r.fingerprint AND e.starts_at = r.starts_at
       ), history AS (
         INSERT INTO alert_history (id, fingerprint, episode_starts_at, alertname, severity, event, actor, comment,
                                    details, at, audit_pending)
         SELECT id, fingerprint, episode_starts_at, alertname, severity, event, actor, comment, details, at,
                audit_pending
           FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, fingerprint text, episode_starts_at timestamptz,
                alertname text, severity text, event text, actor text, comment text, details jsonb, at timestamptz,
                audit_pending boolean)
       )
       INSERT INTO alert_episodes (fingerprint, starts_at, alertname, severity, labels, fired_at,
                                   escalation_policy, next_escalation_at)
       SELECT fingerprint, starts_at, alertname, severity, labels, fired_at, escalation_policy, next_escalation_at
         FROM jsonb_to_recordset($1::jsonb) AS r(fingerprint text, starts_at timestamptz, alertname text,
              severity text, labels jsonb, fired_at timestamptz, escalation_policy text, next_escalation_at timestamptz)
       ON CONFLICT (fingerprint, starts_at) DO UPDATE SET resolved_at = NULL, resolved_by = NULL`,
      [
        JSON.stringify(work.open.map(episodeJson)),
        work.resolve.map((e) => e.fingerprint),
        JSON.stringify(work.history.map(historyJson)),
        work.resolvedBy,
        work.resolve.map((e) => e.startsAt.toISOString()),
        work.resolve.map((e) => e.at.toISOString()),
      ],
    );
  }

  /** Starts an episode; false when it already exists. */
  async open(
    tx: Transaction,
    episode: Pick<Episode, 'fingerprint' | 'startsAt' | 'alertname' | 'severity' | 'labels' | 'firedAt'> & {
      escalationPolicy: string | null;
      nextEscalationAt: Date | null;
    },
  ): Promise<boolean> {
    const rows = await tx.query<unknown[]>(
      `INSERT INTO alert_episodes (fingerprint, starts_at, alertname, severity, labels, fired_at,
                                   escalation_policy, next_escalation_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING 1`,
      [
        episode.fingerprint,
        episode.startsAt.toISOString(),
        episode.alertname,
        episode.severity,
        JSON.stringify(episode.labels),
        episode.firedAt.toISOString(),
        episode.escalationPolicy,
        episode.nextEscalationAt?.toISOString() ?? null,
      ],
    );
    return rows.length > 0;
  }

  async find(tx: Transaction, fingerprint: string, startsAt: Date): Promise<Episode | null> {
    const rows = await tx.query<EpisodeRow[]>(
      `SELECT ${EPISODE_COLUMNS} FROM alert_episodes WHERE fingerprint = $1 AND starts_at = $2`,
      [fingerprint, startsAt.toISOString()],
    );
    return rows.length ? toEpisode(rows[0]) : null;
  }

  /** Ends an episode (keeps the first resolution); escalation stops. */
  async resolve(
    tx: Transaction,
    fingerprint: string,
    startsAt: Date,
    at: Date,
    by: string,
    falsePositive = false,
  ): Promise<void> {
    await tx.query(
      `UPDATE alert_episodes SET resolved_at = COALESCE(resolved_at, $3), resolved_by = COALESCE(resolved_by, $4),
              false_positive = false_positive OR $5, next_escalation_at = NULL
        WHERE fingerprint = $1 AND starts_at = $2`,
      [fingerprint, startsAt.toISOString(), at.toISOString(), by, falsePositive],
    );
  }

  /** Re-opens an episode that fires again after a resolution within its time range. */
  async acknowledge(
    tx: Transaction,
    fingerprint: string,
    startsAt: Date,
    at: Date,
    by: string,
  ): Promise<void> {
    await tx.query(
      `UPDATE alert_episodes SET acknowledged_at = $3, acknowledged_by = $4, next_escalation_at = NULL
        WHERE fingerprint = $1 AND starts_at = $2 AND acknowledged_at IS NULL`,
      [fingerprint, startsAt.toISOString(), at.toISOString(), by],
    );
  }

  /** Locks episodes whose escalation is due at `now` (other replicas skip them). */
  async claimDueEscalations(tx: Transaction, now: Date, limit: number): Promise<Episode[]> {
    const rows = await tx.query<EpisodeRow[]>(
      `SELECT ${EPISODE_COLUMNS} FROM alert_episodes
        WHERE next_escalation_at <= $1 AND acknowledged_at IS NULL AND resolved_at IS NULL
        ORDER BY next_escalation_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now.toISOString(), limit],
    );
    return rows.map(toEpisode);
  }

  async setEscalation(
    tx: Transaction,
    fingerprint: string,
    startsAt: Date,
    step: number,
    next: Date | null,
  ): Promise<void> {
    await tx.query(
      `UPDATE alert_episodes SET escalation_step = $3, next_escalation_at = $4 WHERE fingerprint = $1 AND starts_at = $2`,
      [fingerprint, startsAt.toISOString(), step, next?.toISOString() ?? null],
    );
  }

  async addHistory(tx: Transaction, entry: NewHistoryEntry): Promise<void> {
    await tx.query(
      `INSERT INTO alert_history (id, fingerprint, episode_starts_at, alertname, severity, event, actor, comment,
                                  details, at, audit_pending)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)`,
      [
        entry.id,
        entry.fingerprint,
        entry.episodeStartsAt.toISOString(),
        entry.alertname,
        entry.severity,
        entry.event,
        entry.actor,
        entry.comment ?? null,
        entry.details ? JSON.stringify(entry.details) : null,
        entry.at.toISOString(),
        entry.audit,
      ],
    );
  }

  async history(query: HistoryQuery): Promise<HistoryEntry[]> {
    const rows = await this.dataSource.query<HistoryRow[]>(
      `SELECT ${HISTORY_COLUMNS} FROM alert_history
        WHERE ($1::text IS NULL OR fingerprint = $1) AND ($2::text IS NULL OR alertname = $2)
          AND ($3::text IS NULL OR severity = $3) AND ($4::text IS NULL OR event = $4)
          AND ($5::text IS NULL OR actor = $5) AND ($6::timestamptz IS NULL OR at >= $6)
          AND ($7::timestamptz IS NULL OR at < $7)
        ORDER BY at DESC, id LIMIT $8`,
      [
        query.fingerprint ?? null,
        query.alertname ?? null,
        query.severity ?? null,
        query.event ?? null,
        query.actor ?? null,
        query.from?.toISOString() ?? null,
        query.to?.toISOString() ?? null,
        query.limit,
      ],
    );
    return rows.map(toHistoryEntry);
  }

  /** History entries still to publish to the audit trail, oldest first. */
  async pendingAudit(limit: number): Promise<HistoryEntry[]> {
    const rows = await this.dataSource.query<HistoryRow[]>(
      `SELECT ${HISTORY_COLUMNS} FROM alert_history WHERE audit_pending ORDER BY at LIMIT $1`,
      [limit],
    );
    return rows.map(toHistoryEntry);
  }

  async markAudited(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE alert_history SET audit_pending = false WHERE id = $1`, [id]);
  }

  /** Episodes that started in [from, to) (of the request's tenant and severities): the report's figures. */
  async stats(request: SummaryRequestV1) {
    const params = [request.from, request.to, request.tenant_id ?? null, request.severities ?? null];
    const scope = `starts_at >= $1 AND starts_at < $2 AND ($3::text IS NULL OR labels->>'tenant_id' = $3)
      AND ($4::text[] IS NULL OR severity = ANY($4))`;
    const [totals] = await this.dataSource.query<
      {
        episodes: string;
        acknowledged: string;
        resolved: string;
        false_positives: string;
        mtta_s: number | null;
        mttr_s: number | null;
      }[]
    >(
      `SELECT count(*) AS episodes,
              count(acknowledged_at) AS acknowledged,
              count(resolved_at) AS resolved,
              count(*) FILTER (WHERE false_positive) AS false_positives,
              avg(extract(epoch FROM acknowledged_at - starts_at))::float8 AS mtta_s,
              avg(extract(epoch FROM resolved_at - starts_at))::float8 AS mttr_s
         FROM alert_episodes WHERE ${scope}`,
      params,
    );
    const byAlertname = await this.dataSource.query<{ alertname: string; count: string }[]>(
      `SELECT alertname, count(*) AS count FROM alert_episodes WHERE ${scope}
        GROUP BY alertname ORDER BY count(*) DESC, alertname`,
      params,
    );
    return {
      episodes: Number(totals.episodes),
      acknowledged: Number(totals.acknowledged),
      resolved: Number(totals.resolved),
      falsePositives: Number(totals.false_positives),
      mttaS: totals.mtta_s,
      mttrS: totals.mttr_s,
      byAlertname: byAlertname.map((r) => ({ alertname: r.alertname, count: Number(r.count) })),
    };
  }
}

function toEpisode(row: EpisodeRow): Episode {
  return {
    fingerprint: row.fingerprint,
    startsAt: row.starts_at,
    alertname: row.alertname,
    severity: row.severity,
    labels: row.labels,
    firedAt: row.fired_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    falsePositive: row.false_positive,
    escalationPolicy: row.escalation_policy,
    escalationStep: row.escalation_step,
    nextEscalationAt: row.next_escalation_at,
  };
}

function toHistoryEntry(r: HistoryRow): HistoryEntry {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    episodeStartsAt: r.episode_starts_at,
    alertname: r.alertname,
    severity: r.severity,
    event: r.event,
    actor: r.actor,
    comment: r.comment,
    details: r.details,
    at: r.at,
  };
}

/** An episode to open: what openAll() and recordAll() insert. */
export type NewEpisode = Pick<
  Episode,
  'fingerprint' | 'startsAt' | 'alertname' | 'severity' | 'labels' | 'firedAt'
> & {
  escalationPolicy: string | null;
  nextEscalationAt: Date | null;
};

function episodeJson(e: NewEpisode) {
  return {
    fingerprint: e.fingerprint,
    starts_at: e.startsAt.toISOString(),
    alertname: e.alertname,
    severity: e.severity,
    labels: e.labels,
    fired_at: e.firedAt.toISOString(),
    escalation_policy: e.escalationPolicy,
    next_escalation_at: e.nextEscalationAt?.toISOString() ?? null,
  };
}

function historyJson(e: NewHistoryEntry) {
  return {
    id: e.id,
    fingerprint: e.fingerprint,
    episode_starts_at: e.episodeStartsAt.toISOString(),
    alertname: e.alertname,
    severity: e.severity,
    event: e.event,
    actor: e.actor,
    comment: e.comment ?? null,
    details: e.details ?? null,
    at: e.at.toISOString(),
    audit_pending: e.audit,
  };
}
