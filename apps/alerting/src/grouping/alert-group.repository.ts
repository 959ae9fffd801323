import { Injectable } from '@nestjs/common';

import type { AlertState, AlertStatus, LabelSet } from '../model/alert';
import type { Transaction } from '../model/alert.repository';

export interface GroupRef {
  groupKey: string;
  receiver: string;
}

export interface GroupTimings {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

export interface AlertGroupRow extends GroupRef, GroupTimings {
  groupLabels: LabelSet;
  lastNotifiedAt: Date | null;
  notifiedFiring: string[];
  notifications: number;
  createdAt: Date;
}

/** A member of a group with its alert as stored now; `current` is false for an older episode. */
export type GroupMember = AlertState & { current: boolean };

interface GroupRowSql {
  group_key: string;
  receiver: string;
  group_labels: LabelSet;
  group_wait_ms: string;
  group_interval_ms: string;
  repeat_interval_ms: string;
  last_notified_at: Date | null;
  notified_firing: string[];
  notifications: string;
  created_at: Date;
}

/** All SQL of alert_groups and alert_group_members; no business rule lives here. */
@Injectable()
export class AlertGroupRepository {
  /**
   * Group bookkeeping for a batch of alert changes, in one statement whatever its size: firing alert
   * episodes join their groups; a group with a new member or a member whose status changed is made
   * due (a new group after group_wait, an existing one at its next group_interval boundary); so is
   * every group of an alert that resolved. Groups already due soon are not touched at all, so batches
   * feeding one group do not queue behind its row.
   * Callers hold the alert writers' lock (AlertRepository.lockWriters); the notifier skips locked rows.
   */
  async track(
    tx: Transaction,
    members: readonly (GroupRef & {
      fingerprint: string;
      startsAt: Date;
      transition: boolean;
      labels: LabelSet;
      timings: GroupTimings;
    })[],
    resolved: readonly string[],
  ): Promise<void> {
    if (members.length === 0 && resolved.length === 0) return;
    // Typed arrays rather than a JSON recordset: Postgres then knows how few rows join alert_groups and
    // looks them up by key instead of scanning every live group. The two UPDATEs of the old statements
    // are one here: a statement may not update a row twice.
    await tx.query(
      `WITH c AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::boolean[], $6::jsonb[],
                              $7::bigint[], $8::bigint[], $9::bigint[])
                    AS c(group_key, receiver, fingerprint, starts_at, transition, group_labels, group_wait_ms,
                         group_interval_ms, repeat_interval_ms)
       ), added AS (
         INSERT INTO alert_group_members (group_key, receiver, fingerprint, starts_at)
         SELECT group_key, receiver, fingerprint, starts_at FROM c
         ON CONFLICT DO NOTHING RETURNING group_key, receiver
       ), due AS (
         SELECT DISTINCT ON (c.group_key, c.receiver) c.group_key, c.receiver, c.group_labels, c.group_wait_ms,
                c.group_interval_ms, c.repeat_interval_ms
           FROM c
          WHERE c.transition OR EXISTS (SELECT 1 FROM added a WHERE a.group_key = c.group_key AND a.receiver = c.receiver)
          ORDER BY c.group_key, c.receiver
       ), created AS (
         INSERT INTO alert_groups (group_key, receiver, group_labels, group_wait_ms, group_interval_ms,
                                   repeat_interval_ms, next_flush_at)
         SELECT group_key, receiver, group_labels, group_wait_ms, group_interval_ms, repeat_interval_ms,
                now() + group_wait_ms * interval '1 millisecond'
           FROM due
         ON CONFLICT (group_key, receiver) DO NOTHING
       ), affected AS (
         SELECT group_key, receiver FROM due
         UNION
         SELECT group_key, receiver FROM alert_group_members WHERE fingerprint = ANY($10::text[])
       ), moved AS (
         UPDATE alert_groups g
            SET next_flush_at = GREATEST(g.last_flush_at + g.group_interval_ms * interval '1 millisecond', now())
           FROM affected a
          WHERE g.group_key = ANY(ARRAY(SELECT group_key FROM affected))
            AND g.group_key = a.group_key AND g.receiver = a.receiver AND g.last_flush_at IS NOT NULL
            AND g.next_flush_at > GREATEST(g.last_flush_at + g.group_interval_ms * interval '1 millisecond', now())
       )
       SELECT count(*) FROM affected`,
      [
        members.map((m) => m.groupKey),
        members.map((m) => m.receiver),
        members.map((m) => m.fingerprint),
        members.map((m) => m.startsAt.toISOString()),
        members.map((m) => m.transition),
        members.map((m) => JSON.stringify(m.labels)),
        members.map((m) => m.timings.groupWaitMs),
        members.map((m) => m.timings.groupIntervalMs),
        members.map((m) => m.timings.repeatIntervalMs),
        resolved,
      ],
    );
  }

  /**
   * Creates groups that do not exist yet with their first members, each in the state its first flush
   * left it (`flush`, decided by the caller), or due after group_wait when it was not flushed, in one
   * statement. Callers hold the alert writers' lock and checked the groups are new.
   */
  async createAll(
    tx: Transaction,
    groups: readonly (GroupRef & {
      labels: LabelSet;
      timings: GroupTimings;
      createdAt: Date;
      flush: { nextFlushInMs: number; notifiedFiring: string[] | null } | null;
    })[],
    members: readonly (GroupRef & { fingerprint: string; startsAt: Date })[],
  ): Promise<void> {
    if (groups.length === 0) return;
    await tx.query(
      `WITH created AS (
         INSERT INTO alert_groups (group_key, receiver, group_labels, group_wait_ms, group_interval_ms,
                                   repeat_interval_ms, next_flush_at, last_flush_at, last_notified_at,
                                   notified_firing, notifications, created_at)
         SELECT group_key, receiver, group_labels, group_wait_ms, group_interval_ms, repeat_interval_ms,
                now() + next_flush_in_ms * interval '1 millisecond',
                CASE WHEN flushed THEN now() END,
                CASE WHEN notified IS NOT NULL THEN now() END,
                CASE WHEN notified IS NULL THEN '{}'::text[] ELSE ARRAY(SELECT jsonb_array_elements_text(notified)) END,
                CASE WHEN notified IS NULL THEN 0 ELSE 1 END,
                created_at
           FROM jsonb_to_recordset($1::jsonb) AS r(group_key text, receiver text, group_labels jsonb,
                group_wait_ms bigint, group_interval_ms bigint, repeat_interval_ms bigint, next_flush_in_ms bigint,
                flushed boolean, notified jsonb, created_at timestamptz)
       )
       INSERT INTO alert_group_members (group_key, receiver, fingerprint, starts_at)
       SELECT group_key, receiver, fingerprint, starts_at
         FROM jsonb_to_recordset($2::jsonb) AS m(group_key text, receiver text, fingerprint text, starts_at timestamptz)`,
      [
        JSON.stringify(
          groups.map((g) => ({
            group_key: g.groupKey,
            receiver: g.receiver,
            group_labels: g.labels,
            group_wait_ms: g.timings.groupWaitMs,
            group_interval_ms: g.timings.groupIntervalMs,
            repeat_interval_ms: g.timings.repeatIntervalMs,
            next_flush_in_ms: g.flush ? g.flush.nextFlushInMs : g.timings.groupWaitMs,
            flushed: g.flush !== null,
            notified: g.flush?.notifiedFiring ?? null,
            created_at: g.createdAt.toISOString(),
          })),
        ),
        JSON.stringify(
          members.map((m) => ({
            group_key: m.groupKey,
            receiver: m.receiver,
            fingerprint: m.fingerprint,
            starts_at: m.startsAt.toISOString(),
          })),
        ),
      ],
    );
  }

  /** The groups an alert is a member of. */
  async groupsOf(tx: Transaction, fingerprint: string): Promise<GroupRef[]> {
    const rows = await tx.query<{ group_key: string; receiver: string }[]>(
      `SELECT DISTINCT group_key, receiver FROM alert_group_members WHERE fingerprint = $1`,
      [fingerprint],
    );
    return rows.map((r) => ({ groupKey: r.group_key, receiver: r.receiver }));
  }

  /**
   * The groups due now, locked (SKIP LOCKED: another replica's claim is left to it), each with its
   * members as stored now, in one statement (the notify path of every alert), members keyed by
   * `groupKey\0receiver` (a group without members has no entry), oldest due first. LATERAL with
   * OFFSET 0 (which keeps the planner from flattening it into a join): the members are looked up by
   * key for each group, whatever plan a prepared statement settles on (a hash join would read every
   * member of every live group).
   */
  async claimDueWithMembers(
    tx: Transaction,
    limit: number,
  ): Promise<{ due: AlertGroupRow[]; members: Map<string, GroupMember[]> }> {
    const rows = await tx.query<
      (GroupRowSql & {
        fingerprint: string | null;
        labels: LabelSet;
        annotations: Record<string, string>;
        generator_url: string | null;
        starts_at: Date;
        ends_at: Date;
        status: AlertStatus;
        current: boolean;
      })[]
    >(
      `WITH due AS MATERIALIZED (
         SELECT group_key, receiver, group_labels, group_wait_ms, group_interval_ms, repeat_interval_ms,
                last_notified_at, notified_firing, notifications, created_at, next_flush_at
           FROM alert_groups WHERE next_flush_at <= now()
          ORDER BY next_flush_at LIMIT $1 FOR UPDATE SKIP LOCKED
       )
       SELECT d.group_key, d.receiver, d.group_labels, d.group_wait_ms, d.group_interval_ms,
              d.repeat_interval_ms, d.last_notified_at, d.notified_firing, d.notifications, d.created_at,
              x.fingerprint, x.labels, x.annotations, x.generator_url, x.starts_at, x.ends_at, x.status,
              x.current
         FROM due d
         LEFT JOIN LATERAL (
           SELECT a.fingerprint, a.labels, a.annotations, a.generator_url, a.starts_at, a.ends_at, a.status,
                  a.starts_at = m.starts_at AS current
             FROM alert_group_members m JOIN alerts a ON a.fingerprint = m.fingerprint
            WHERE m.group_key = d.group_key AND m.receiver = d.receiver
           OFFSET 0
         ) x ON true
        ORDER BY d.next_flush_at, d.group_key, d.receiver, x.starts_at, x.fingerprint`,
      [limit],
    );
    const due: AlertGroupRow[] = [];
    const members = new Map<string, GroupMember[]>();
    let previous: string | null = null;
    for (const r of rows) {
      const id = `${r.group_key}\u0000${r.receiver}`;
      if (id !== previous) {
        due.push(groupRowOf(r));
        previous = id;
      }
      if (r.fingerprint === null) continue;
      let list = members.get(id);
      if (!list) members.set(id, (list = []));
      list.push({
        fingerprint: r.fingerprint,
        labels: r.labels,
        annotations: r.annotations,
        generatorURL: r.generator_url,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        status: r.status,
        current: r.current,
      });
    }
    return { due, members };
  }

  /** removeMembers() for many groups in one statement. */
  async removeMembersAll(
    tx: Transaction,
    members: readonly (GroupRef & { fingerprint: string })[],
  ): Promise<void> {
    if (members.length === 0) return;
    await tx.query(
      `DELETE FROM alert_group_members m
        USING unnest($1::text[], $2::text[], $3::text[]) AS r(group_key, receiver, fingerprint), alerts a
        WHERE m.group_key = ANY($1::text[]) AND m.group_key = r.group_key AND m.receiver = r.receiver
          AND m.fingerprint = r.fingerprint
          AND a.fingerprint = m.fingerprint AND (a.status = 'resolved' OR a.starts_at <> m.starts_at)`,
      [members.map((m) => m.groupKey), members.map((m) => m.receiver), members.map((m) => m.fingerprint)],
    );
  }

  /** afterFlush() for many groups in one statement. */
  async afterFlushAll(
    tx: Transaction,
    outcomes: readonly (GroupRef & { nextFlushInMs: number; notifiedFiring: string[] | null })[],
  ): Promise<void> {
    if (outcomes.length === 0) return;
    await tx.query(
      `UPDATE alert_groups g SET last_flush_at = now(),
              next_flush_at = now() + r.next_flush_in_ms * interval '1 millisecond',
              notified_firing = CASE WHEN r.notified IS NULL THEN g.notified_firing
                                     ELSE ARRAY(SELECT jsonb_array_elements_text(r.notified::jsonb)) END,
              last_notified_at = CASE WHEN r.notified IS NULL THEN g.last_notified_at ELSE now() END,
              notifications = g.notifications + CASE WHEN r.notified IS NULL THEN 0 ELSE 1 END
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS r(group_key, receiver, next_flush_in_ms, notified)
        WHERE g.group_key = ANY($1::text[]) AND g.group_key = r.group_key AND g.receiver = r.receiver`,
      [
        outcomes.map((o) => o.groupKey),
        outcomes.map((o) => o.receiver),
        outcomes.map((o) => o.nextFlushInMs),
        outcomes.map((o) => (o.notifiedFiring === null ? null : JSON.stringify(o.notifiedFiring))),
      ],
    );
  }

  /** deleteIfEmpty() for many groups in one statement. */
  async deleteIfEmptyAll(tx: Transaction, groups: readonly GroupRef[]): Promise<void> {
    if (groups.length === 0) return;
    await tx.query(
      `DELETE FROM alert_groups g USING unnest($1::text[], $2::text[]) AS r(group_key, receiver)
        WHERE g.group_key = ANY($1::text[]) AND g.group_key = r.group_key AND g.receiver = r.receiver
          AND NOT EXISTS (SELECT 1 FROM alert_group_members m
                           WHERE m.group_key = r.group_key AND m.receiver = r.receiver)`,
      [groups.map((g) => g.groupKey), groups.map((g) => g.receiver)],
    );
  }
}

function groupRowOf(r: GroupRowSql): AlertGroupRow {
  return {
    groupKey: r.group_key,
    receiver: r.receiver,
    groupLabels: r.group_labels,
    groupWaitMs: Number(r.group_wait_ms),
    groupIntervalMs: Number(r.group_interval_ms),
    repeatIntervalMs: Number(r.repeat_interval_ms),
    lastNotifiedAt: r.last_notified_at,
    notifiedFiring: r.notified_firing,
    notifications: Number(r.notifications),
    createdAt: r.created_at,
  };
}
