import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import { CoalescingPoller } from '../scheduling/coalescing-poller';
import { GroupCommit } from '../scheduling/group-commit';
import type { AlertingConfig } from '../config/alerting-config';
import { NotificationRepository, type ClaimedNotification } from './notification.repository';
import { afterFailure } from './retry-policy';
import { DeliveryError, IntegrationSender } from './integration.sender';

export const NOTIFICATION_ATTEMPTS = 'alerting_notification_attempts_total';

const BATCH_SIZE = 50;
/**
 * Deliveries are marked in batches, each mark waiting up to this long for others: one lone alert's
 * UPDATE would otherwise compete with the next alert's transaction for the same cores. A crash in
 * this window only means the lease ends and the notification is sent again, as for a crash mid-send.
 */
const MARK_LINGER_MS = 20;

/**
 * The background half of the outbox: every DELIVERY_POLL_MS (and right after new notifications are
 * queued) it claims due notifications, sends them, and marks each delivered, due for a retry with
 * exponential backoff, or failed. Stops on shutdown after the batch in flight.
 */
@Injectable()
export class OutboxSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxSender.name);
  private readonly poller: CoalescingPoller;
  /** Deliveries handed over by deliverClaimed() and not finished yet. */
  private readonly handedOver = new Set<Promise<void>>();
  private readonly delivered: GroupCommit<string>;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    private readonly notifications: NotificationRepository,
    private readonly integrations: IntegrationSender,
    @InjectMetric(NOTIFICATION_ATTEMPTS) private readonly attempts: Counter<string>,
  ) {
    this.poller = new CoalescingPoller(this.config.DELIVERY_POLL_MS, () => this.drain());
    this.delivered = new GroupCommit((ids) => notifications.markDelivered(ids), 1, MARK_LINGER_MS);
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.poller.stop();
    await Promise.all(this.handedOver);
    await this.delivered.close();
  }

  /** How long a claimed notification stays hidden from other senders. */
  get leaseMs(): number {
    return this.config.WEBHOOK_TIMEOUT_MS + this.config.DELIVERY_LEASE_MARGIN_MS;
  }

  /**
   * Sends notifications stored already claimed (NotificationOutbox.enqueueClaimed) by a transaction
   * that has committed: the notify hot path skips the claim round trip and the wait for a pass.
   */
  deliverClaimed(notifications: readonly ClaimedNotification[]): void {
    for (const notification of notifications) {
      const delivery = this.deliver(notification)
        .catch((error: unknown) =>
          // The database went away after the send: the lease ends and a pass retries it.
          this.logger.warn(
            { notification_id: notification.id, error: errorMessage(error) },
            'outbox update failed',
          ),
        )
        .finally(() => this.handedOver.delete(delivery));
      this.handedOver.add(delivery);
    }
  }

  /** Runs a pass now, or right after the pass in progress. */
  nudge(): void {
    this.poller.nudge();
  }

  private async drain(): Promise<void> {
    try {
      let batch: ClaimedNotification[];
      do {
        batch = await this.notifications.claimDue(BATCH_SIZE, this.leaseMs);
        await Promise.all(batch.map((notification) => this.deliver(notification)));
      } while (batch.length === BATCH_SIZE && !this.poller.isStopped);
    } catch (error) {
      // The database is unreachable: the next tick tries again, nothing is lost.
      this.logger.warn({ error: errorMessage(error) }, 'outbox pass failed');
    }
  }

  private async deliver(notification: ClaimedNotification): Promise<void> {
    const fields = {
      notification_id: notification.id,
      alert_fingerprint: notification.fingerprint,
      receiver: notification.receiver,
      integration: notification.integration,
      attempt: notification.attempts,
    };
    try {
      await this.integrations.send(
        notification.receiver,
        notification.integration,
        notification.payload,
        notification.action,
      );
    } catch (error) {
      const retriable = error instanceof DeliveryError ? error.retriable : true;
      const message = errorMessage(error);
      const outcome = afterFailure(notification.attempts, retriable, {
        maxAttempts: this.config.DELIVERY_MAX_ATTEMPTS,
        baseMs: this.config.DELIVERY_RETRY_BASE_MS,
      });
      if (outcome.kind === 'retry') {
        await this.notifications.scheduleRetry(notification.id, outcome.delayMs, message);
        this.attempts.inc({ result: 'retry' });
        this.logger.warn(
          { ...fields, error: message, retry_in_ms: outcome.delayMs },
          'alert delivery failed; will retry',
        );
      } else {
        await this.notifications.markFailed(notification.id, message);
        this.attempts.inc({ result: 'failed' });
        this.logger.error({ ...fields, error: message }, 'alert delivery failed; giving up');
      }
      return;
    }
    await this.delivered.submit(notification.id);
    this.attempts.inc({ result: 'delivered' });
    this.logger.log(fields, 'alert delivered');
  }
}
