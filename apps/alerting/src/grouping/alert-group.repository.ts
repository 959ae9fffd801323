import { Injectable } from '@nestjs/common';

import type { AlertStatus, LabelSet } from '../alerts/alert';
import type { Transaction } from '../alerts/alert.repository';

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
export interface GroupMember {
  fingerprint: string;
  labels: LabelSet;
  annotations: Record<string, string>;
  generatorURL: string | null;
  startsAt: Date;
  endsAt: Date;
  status: AlertStatus;
  current: boolean;
}

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
  /** Adds an alert episode to a group; true when it was not a member yet. */
  async addMember(tx: Transaction, group: GroupRef, fingerprint: string, startsAt: Date): Promise<boolean> {
    const rows = await tx.query<unknown[]>(
      `INSERT INTO alert_group_members (group_key, receiver, fingerprint, starts_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [group.groupKey, group.receiver, fingerprint, startsAt.toISOString()],
    );
    return rows.length > 0;
  }

  /** addMember() for many episodes in one statement; returns the `groupKey\0receiver\0fingerprint` of new ones. */
  async addMembers(
    tx: Transaction,
    members: readonly (GroupRef & { fingerprint: string; startsAt: Date })[],
  ): Promise<Set<string>> {
    if (members.length === 0) return new Set();
    const rows = await tx.query<{ group_key: string; receiver: string; fingerprint: string }[]>(
      `INSERT INTO alert_group_members (group_key, receiver, fingerprint, starts_at)
       SELECT group_key, receiver, fingerprint, starts_at
         FROM jsonb_to_recordset($1::jsonb) AS r(group_key text, receiver text, fingerprint text, starts_at timestamptz)
       ON CONFLICT DO NOTHING RETURNING group_key, receiver, fingerprint`,
      [
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
    return new Set(rows.map((r) => `${r.group_key}\u0000${r.receiver}\u0000${r.fingerprint}`));
  }

  /** The groups any of these alerts is a member of. */
  async groupsOfAll(tx: Transaction, fingerprints: readonly string[]): Promise<GroupRef[]> {
    if (fingerprints.length === 0) return [];
    const rows = await tx.query<{ group_key: string; receiver: string }[]>(
      `SELECT DISTINCT group_key, receiver FROM alert_group_members WHERE fingerprint = ANY($1::text[])`,
      [fingerprints],
    );
    return rows.map((r) => ({ groupKey: r.group_key, receiver: r.receiver }));
  }

  /**
   * schedule() for many groups: creates the missing ones (due after group_wait) in one statement, then
   * moves up, one by one in key order, only those whose next flush is later than their next
   * group_interval boundary. Groups already due soon are not locked at all, so concurrent batches
   * feeding one group do not queue behind its row.
   */
  async scheduleAll(
    tx: Transaction,
    groups: readonly (GroupRef & { labels: LabelSet; timings: GroupTimings })[],
  ): Promise<void> {
    if (groups.length === 0) return;
    const rows = JSON.stringify(
      groups.map((g) => ({
        group_key: g.groupKey,
        receiver: g.receiver,
        group_labels: g.labels,
        group_wait_ms: g.timings.groupWaitMs,
        group_interval_ms: g.timings.groupIntervalMs,
        repeat_interval_ms: g.timings.repeatIntervalMs,
      })),
    );
    const recordset = `jsonb_to_recordset($1::jsonb) AS r(group_key text, receiver text, group_labels jsonb,
              group_wait_ms bigint, group_interval_ms bigint, repeat_interval_ms bigint)`;
    await tx.query(
      `INSERT INTO alert_groups (group_key, receiver, group_labels, group_wait_ms, group_interval_ms,
                                 repeat_interval_ms, next_flush_at)
       SELECT group_key, receiver, group_labels, group_wait_ms, group_interval_ms, repeat_interval_ms,
              now() + group_wait_ms * interval '1 millisecond'
         FROM ${recordset}
        ORDER BY group_key, receiver
       ON CONFLICT (group_key, receiver) DO NOTHING`,
      [rows],
    );
    const late = await tx.query<{ group_key: string; receiver: string }[]>(
      `SELECT g.group_key, g.receiver FROM alert_groups g JOIN ${recordset}
           ON g.group_key = r.group_key AND g.receiver = r.receiver
        WHERE g.last_flush_at IS NOT NULL
          AND g.next_flush_at > GREATEST(g.last_flush_at + r.group_interval_ms * interval '1 millisecond', now())
        ORDER BY g.group_key, g.receiver`,
      [rows],
    );
    for (const group of late)
      await this.reschedule(tx, { groupKey: group.group_key, receiver: group.receiver });
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
   * Creates a group due after group_wait, or, when it exists, makes it due at its next
   * group_interval boundary (or now, if that has passed). A group still in its group_wait keeps it.
   */
  async schedule(tx: Transaction, group: GroupRef, labels: LabelSet, timings: GroupTimings): Promise<void> {
    await tx.query(
      `INSERT INTO alert_groups (group_key, receiver, group_labels, group_wait_ms, group_interval_ms,
                                 repeat_interval_ms, next_flush_at)
       VALUES ($1, $2, $3::jsonb, $4::bigint, $5::bigint, $6::bigint, now() + $4::bigint * interval '1 millisecond')
       ON CONFLICT (group_key, receiver) DO UPDATE SET
         group_wait_ms = EXCLUDED.group_wait_ms,
         group_interval_ms = EXCLUDED.group_interval_ms,
         repeat_interval_ms = EXCLUDED.repeat_interval_ms,
         next_flush_at = CASE WHEN alert_groups.last_flush_at IS NULL THEN alert_groups.next_flush_at
           ELSE LEAST(alert_groups.next_flush_at,
                      GREATEST(alert_groups.last_flush_at + EXCLUDED.group_interval_ms * interval '1 millisecond', now()))
           END`,
      [
        group.groupKey,
        group.receiver,
        JSON.stringify(labels),
        timings.groupWaitMs,
        timings.groupIntervalMs,
        timings.repeatIntervalMs,
      ],
    );
  }

  /** Makes an existing group due at its next group_interval boundary (a member resolved). */
  async reschedule(tx: Transaction, group: GroupRef): Promise<void> {
    await tx.query(
      `UPDATE alert_groups SET next_flush_at = CASE WHEN last_flush_at IS NULL THEN next_flush_at
           ELSE LEAST(next_flush_at, GREATEST(last_flush_at + group_interval_ms * interval '1 millisecond', now()))
           END
        WHERE group_key = $1 AND receiver = $2`,
      [group.groupKey, group.receiver],
    );
  }

  /** Locks up to `limit` due groups for this transaction; other replicas skip them. */
  async claimDue(tx: Transaction, limit: number): Promise<AlertGroupRow[]> {
    const rows = await tx.query<GroupRowSql[]>(
      `SELECT group_key, receiver, group_labels, group_wait_ms, group_interval_ms, repeat_interval_ms,
              last_notified_at, notified_firing, notifications, created_at
         FROM alert_groups WHERE next_flush_at <= now()
        ORDER BY next_flush_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((r) => ({
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
    }));
  }

  async members(tx: Transaction, group: GroupRef): Promise<GroupMember[]> {
    const rows = await tx.query<
      {
        fingerprint: string;
        labels: LabelSet;
        annotations: Record<string, string>;
        generator_url: string | null;
        starts_at: Date;
        ends_at: Date;
        status: AlertStatus;
        current: boolean;
      }[]
    >(
      `SELECT a.fingerprint, a.labels, a.annotations, a.generator_url, a.starts_at, a.ends_at, a.status,
              a.starts_at = m.starts_at AS current
         FROM alert_group_members m JOIN alerts a ON a.fingerprint = m.fingerprint
        WHERE m.group_key = $1 AND m.receiver = $2
        ORDER BY a.starts_at, a.fingerprint`,
      [group.groupKey, group.receiver],
    );
    return rows.map((r) => ({
      fingerprint: r.fingerprint,
      labels: r.labels,
      annotations: r.annotations,
      generatorURL: r.generator_url,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      status: r.status,
      current: r.current,
    }));
  }

  /** Drops members whose episode is over: resolved now, or superseded by a newer episode. */
  async removeMembers(tx: Transaction, group: GroupRef, fingerprints: readonly string[]): Promise<void> {
    if (fingerprints.length === 0) return;
    await tx.query(
      `DELETE FROM alert_group_members m USING alerts a
        WHERE m.group_key = $1 AND m.receiver = $2 AND m.fingerprint = ANY($3::text[])
          AND a.fingerprint = m.fingerprint AND (a.status = 'resolved' OR a.starts_at <> m.starts_at)`,
      [group.groupKey, group.receiver, fingerprints],
    );
  }

  async afterFlush(
    tx: Transaction,
    group: GroupRef,
    outcome: { nextFlushInMs: number; notifiedFiring: string[] | null },
  ): Promise<void> {
    await tx.query(
      `UPDATE alert_groups SET last_flush_at = now(),
              next_flush_at = now() + $3::bigint * interval '1 millisecond',
              notified_firing = COALESCE($4::text[], notified_firing),
              last_notified_at = CASE WHEN $4::text[] IS NULL THEN last_notified_at ELSE now() END,
              notifications = notifications + CASE WHEN $4::text[] IS NULL THEN 0 ELSE 1 END
        WHERE group_key = $1 AND receiver = $2`,
      [group.groupKey, group.receiver, outcome.nextFlushInMs, outcome.notifiedFiring],
    );
  }

  /** Deletes a group that has no members left. */
  async deleteIfEmpty(tx: Transaction, group: GroupRef): Promise<void> {
    await tx.query(
      `DELETE FROM alert_groups g WHERE g.group_key = $1 AND g.receiver = $2
          AND NOT EXISTS (SELECT 1 FROM alert_group_members m WHERE m.group_key = $1 AND m.receiver = $2)`,
      [group.groupKey, group.receiver],
    );
  }
}
