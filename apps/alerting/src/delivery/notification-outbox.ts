import { Inject, Injectable } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { AlertState } from '../alerts/alert';
import type { Transaction } from '../alerts/alert.repository';
import type { AlertingConfig } from '../config/alerting-config';
import { NotificationRepository } from './notification.repository';
import { DEFAULT_RECEIVER } from './webhook.receiver';
import { buildWebhookPayload } from './webhook-payload';

/**
 * The write side of delivery: records "tell the receiver about this alert state" in the caller's
 * transaction, so a notification exists exactly when the alert change committed. The sender does the rest.
 */
@Injectable()
export class NotificationOutbox {
  private readonly externalURL: string;

  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(SERVICE_CONFIG) config: AlertingConfig,
  ) {
    this.externalURL = config.ALERT_EXTERNAL_URL ?? `http://localhost:${config.PORT}`;
  }

  /** Returns false when this episode and status were already queued (a re-sent alert). */
  enqueue(tx: Transaction, alert: AlertState): Promise<boolean> {
    return this.notifications.enqueue(tx, {
      dedupeKey: dedupeKeyOf(alert),
      fingerprint: alert.fingerprint,
      alertStatus: alert.status,
      receiver: DEFAULT_RECEIVER,
      payload: buildWebhookPayload(alert, DEFAULT_RECEIVER, this.externalURL),
    });
  }
}

/** An episode is identified by its fingerprint and startsAt; each status of it is told once. */
export function dedupeKeyOf(alert: AlertState): string {
  return `${alert.fingerprint}:${alert.startsAt.toISOString()}:${alert.status}`;
}
