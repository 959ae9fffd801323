import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { SummaryRequestV1 } from '@vigil/contracts';

import type { AlertStatus } from '../model/alert';
import type { Transaction } from '../model/alert.repository';
import type { WebhookPayload } from './webhook-payload';

export interface NewNotification {
  /** One notification per group flush and integration: a retried flush maps to the same key. */
  dedupeKey: string;
  fingerprint: string;
  alertStatus: AlertStatus;
  receiver: string;
  /** Which integration of the receiver: `<kind>:<index>`. */
  integration: string;
  payload: WebhookPayload;
  /** Set for events other than the group's state, e.g. a PagerDuty acknowledge. */
  action: NotificationAction | null;
}

export type NotificationAction = 'acknowledge';

export interface ClaimedNotification {
  id: string;
  fingerprint: string;
  receiver: string;
  integration: string;
  payload: WebhookPayload;
  action: NotificationAction | null;
  /** Attempts including the one about to be made. */
  attempts: number;
}

/** All SQL of the notifications outbox; no business rule lives here. */
@Injectable()
export class NotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds a pending notification in the caller's transaction; false when its dedupe key already exists. */
  async enqueue(tx: Transaction, notification: NewNotification): Promise<boolean> {
    const rows = await tx.query<{ id: string }[]>(
      `INSERT INTO notifications (dedupe_key, fingerprint, alert_status, receiver, integration, payload, action)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [
        notification.dedupeKey,
        notification.fingerprint,
        notification.alertStatus,
        notification.receiver,
        notification.integration,
        JSON.stringify(notification.payload),
        notification.action,
      ],
    );
    return rows.length > 0;
  }

  /**
   * enqueue() for notifications this replica is about to send itself, in one statement: stored
   * already claimed (first attempt counted, hidden from other senders for `leaseMs`), so no claim
   * round trip is needed; a crash before the send only delays it until the lease ends. Returns them
   * by dedupe key; a key already stored is left out.
   */
  async enqueueClaimed(
    tx: Transaction,
    notifications: readonly NewNotification[],
    leaseMs: number,
  ): Promise<Map<string, ClaimedNotification>> {
    if (notifications.length === 0) return new Map();
    // The payload comes back as stored (jsonb orders keys its own way), so that this first attempt and
    // any retry send byte-identical bodies. Ids follow the order given (the sender's retry order).
    const rows = await tx.query<{ id: string; dedupe_key: string; payload: WebhookPayload }[]>(
      `INSERT INTO notifications (dedupe_key, fingerprint, alert_status, receiver, integration, payload, action,
                                  attempts, next_attempt_at)
       SELECT dedupe_key, fingerprint, alert_status, receiver, integration, payload, action, 1,
              now() + $2 * interval '1 millisecond'
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (dedupe_key text, fingerprint text, alert_status text,
              receiver text, integration text, payload jsonb, action text)) WITH ORDINALITY
              AS r(dedupe_key, fingerprint, alert_status, receiver, integration, payload, action, n)
        ORDER BY n
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id, dedupe_key, payload`,
      [
        JSON.stringify(
          notifications.map((n) => ({
            dedupe_key: n.dedupeKey,
            fingerprint: n.fingerprint,
            alert_status: n.alertStatus,
            receiver: n.receiver,
            integration: n.integration,
            payload: n.payload,
            action: n.action,
          })),
        ),
        leaseMs,
      ],
    );
    const byKey = new Map(notifications.map((n) => [n.dedupeKey, n]));
    return new Map(
      rows.map((row) => {
        const notification = byKey.get(row.dedupe_key) as NewNotification;
        const claimed: ClaimedNotification = {
          id: String(row.id),
          fingerprint: notification.fingerprint,
          receiver: notification.receiver,
          integration: notification.integration,
          payload: row.payload,
          action: notification.action,
          attempts: 1,
        };
        return [row.dedupe_key, claimed];
      }),
    );
  }

  /**
   * Takes up to `limit` due notifications, counts the attempt and hides them for `leaseMs`, so other
   * replicas skip them while this one sends; a crash mid-send only delays the retry until the lease ends.
   * SKIP LOCKED keeps concurrent senders from waiting on each other.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedNotification[]> {
    // pg reports UPDATE ... RETURNING as [rows, affected].
    const [rows] = await this.dataSource.query<[ClaimedNotification[], number]>(
      `UPDATE notifications n
          SET attempts = n.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
        WHERE n.id IN (SELECT id FROM notifications
                        WHERE status = 'pending' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at, id
                        LIMIT $1
                        FOR UPDATE SKIP LOCKED)
      RETURNING n.id, n.fingerprint, n.receiver, n.integration, n.payload, n.action, n.attempts`,
      [limit, leaseMs],
    );
    return rows;
  }

  async markDelivered(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE notifications SET status = 'delivered', finished_at = now(), last_error = NULL
        WHERE id = ANY($1::bigint[])`,
      [ids],
    );
  }

  async scheduleRetry(id: string, delayMs: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET next_attempt_at = now() + $2 * interval '1 millisecond', last_error = $3 WHERE id = $1`,
      [id, delayMs, error],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET status = 'failed', finished_at = now(), last_error = $2 WHERE id = $1`,
      [id, error],
    );
  }

  /** Notifications that reached a final state within [from, to). */
  async countFinished(request: SummaryRequestV1): Promise<{ delivered: number; failed: number }> {
    const rows = await this.dataSource.query<{ delivered: string; failed: string }[]>(
      `SELECT count(*) FILTER (WHERE n.status = 'delivered') AS delivered,
              count(*) FILTER (WHERE n.status = 'failed') AS failed
         FROM notifications n
         LEFT JOIN alerts a ON a.fingerprint = n.fingerprint
        WHERE n.finished_at >= $1 AND n.finished_at < $2
          AND ($3::text IS NULL OR a.labels->>'tenant_id' = $3)
          AND ($4::text[] IS NULL OR a.labels->>'severity' = ANY($4))`,
      [request.from, request.to, request.tenant_id ?? null, request.severities ?? null],
    );
    return { delivered: Number(rows[0].delivered), failed: Number(rows[0].failed) };
  }
}
