import { Inject, Injectable, Logger } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { AlertState, LabelSet } from '../model/alert';
import type { Transaction } from '../model/alert.repository';
import type { AlertingConfig } from '../config/alerting-config';
import type { Receiver } from '../routing/routing-config';
import {
  NotificationRepository,
  type ClaimedNotification,
  type NewNotification,
} from './notification.repository';
import { buildGroupPayload } from './webhook-payload';

export interface GroupNotification {
  groupKey: string;
  groupLabels: LabelSet;
  receiver: Receiver;
  /** Names this notification: queued once per key and integration, however often it is asked for. */
  key: string;
  alerts: readonly AlertState[];
  /** An event other than the group's state: only integrations that know it are told. */
  action?: 'acknowledge';
}

/** Integrations that understand an acknowledgement. */
const ACKNOWLEDGING: ReadonlySet<string> = new Set(['pagerduty']);

/**
 * The write side of delivery: records "tell this receiver integration about this group" in the
 * caller's transaction, so a notification exists exactly when the flush that decided it committed.
 * Integrations without send_resolved are not told about resolved alerts. The sender does the rest.
 */
@Injectable()
export class NotificationOutbox {
  private readonly logger = new Logger(NotificationOutbox.name);
  private readonly externalURL: string;

  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(SERVICE_CONFIG) config: AlertingConfig,
  ) {
    this.externalURL = config.ALERT_EXTERNAL_URL ?? `http://localhost:${config.PORT}`;
  }

  /** Returns how many integrations got a notification queued. */
  async enqueue(tx: Transaction, notification: GroupNotification): Promise<number> {
    let queued = 0;
    for (const row of this.rowsOf(notification)) {
      if (await this.notifications.enqueue(tx, row)) queued++;
    }
    return queued;
  }

  /**
   * enqueue() for notifications the caller hands to OutboxSender.deliverClaimed() right after its
   * transaction commits (the notify hot path): they are stored claimed for `leaseMs`, all in one
   * statement. Returns, for each notification, what was stored (nothing for a key already queued).
   */
  async enqueueClaimedAll(
    tx: Transaction,
    notifications: readonly GroupNotification[],
    leaseMs: number,
  ): Promise<ClaimedNotification[][]> {
    const rows = notifications.map((notification) => this.rowsOf(notification));
    const stored = await this.notifications.enqueueClaimed(tx, rows.flat(), leaseMs);
    return notifications.map((notification, index) => {
      const queued = rows[index].flatMap((row) => stored.get(row.dedupeKey) ?? []);
      const firing = notification.alerts.filter((a) => a.status === 'firing').length;
      this.logger.log(
        {
          group_key: notification.groupKey,
          receiver: notification.receiver.name,
          firing,
          resolved: notification.alerts.length - firing,
          integrations: queued.length,
        },
        'group notification queued',
      );
      return queued;
    });
  }

  /** One row per integration that is told: integrations without send_resolved skip resolved alerts. */
  private rowsOf(notification: GroupNotification): NewNotification[] {
    const rows: NewNotification[] = [];
    const firing = notification.alerts.filter((a) => a.status === 'firing');
    for (const [index, integration] of notification.receiver.integrations.entries()) {
      if (notification.action && !ACKNOWLEDGING.has(integration.kind)) continue;
      const alerts = integration.sendResolved ? notification.alerts : firing;
      if (alerts.length === 0) continue;
      const target = `${integration.kind}:${index}`;
      const payload = buildGroupPayload(alerts, notification.receiver.name, this.externalURL, {
        key: notification.groupKey,
        labels: notification.groupLabels,
      });
      rows.push({
        dedupeKey: `${notification.key}:${target}`,
        fingerprint: alerts[0].fingerprint,
        alertStatus: payload.status,
        receiver: notification.receiver.name,
        integration: target,
        payload,
        action: notification.action ?? null,
      });
    }
    return rows;
  }
}
