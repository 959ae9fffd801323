import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';

import {
  HEALTH_CHECKINS_CONSUMER,
  HEALTH_CHECKINS_SUBJECT,
  HEALTH_STREAM,
  healthDlqSubject,
} from '@vigil/contracts';
import { type DurablePullConsumer, errorMessage, NatsMessaging, type Redelivery } from '@vigil/platform';

import { pingOfCheckIn, readCheckIn } from './check-in-ping';
import { HeartbeatTokenIndex } from './heartbeat-token-index';
import { PingMetrics } from './ping-metrics';
import { PingWriter } from './ping-writer';

const FETCH_BATCH = 200;
const FETCH_EXPIRES_MS = 5000;

/**
 * Sentry cron check-ins (health.v1.checkins, forwarded by the errors intake) into heartbeat_pings, through
 * the same group-commit writer as HTTP pings; each message is acked once its row committed. A malformed
 * check-in goes to HEALTH_DLQ (`health.v1.dlq.json|schema`); one naming no monitor is counted, logged
 * (project and slug: no token is involved) and acked, as Sentry drops check-ins of unknown monitors.
 * A check-in that cannot be stored is retried with the platform's backoff and dead-lettered
 * (`delivery_limit`) on its last delivery.
 */
@Injectable()
export class CheckInConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CheckInConsumer.name);
  private readonly consumer: DurablePullConsumer;

  constructor(
    private readonly messaging: NatsMessaging,
    private readonly tokens: HeartbeatTokenIndex,
    private readonly writer: PingWriter,
    private readonly metrics: PingMetrics,
  ) {
    this.consumer = messaging.pullConsumer({
      stream: HEALTH_STREAM.name,
      durable: HEALTH_CHECKINS_CONSUMER,
      config: { filter_subject: HEALTH_CHECKINS_SUBJECT },
      batch: FETCH_BATCH,
      expiresMs: FETCH_EXPIRES_MS,
      handle: (messages, redelivery) => this.handleBatch(messages, redelivery),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.consumer.stop();
  }

  /** The batch's check-ins share the writer's batches (one commit for many), each settled on its own. */
  async handleBatch(messages: readonly JsMsg[], redelivery: Redelivery): Promise<void> {
    await Promise.all(messages.map((msg) => this.handle(msg, redelivery)));
  }

  private async handle(msg: JsMsg, redelivery: Redelivery): Promise<void> {
    const read = readCheckIn(msg.data);
    if (!read.ok) return this.deadLetter(msg, read.reason, read.detail, redelivery);
    const { checkIn } = read;
    if (!(await this.tokens.hasMonitor(checkIn.monitor_slug))) {
      this.metrics.unknownMonitor('sentry');
      this.logger.warn(
        { project_id: checkIn.project_id, monitor_slug: checkIn.monitor_slug, status: checkIn.status },
        'check-in for an unknown heartbeat monitor dropped',
      );
      msg.ack();
      return;
    }
    try {
      await this.writer.write(pingOfCheckIn(checkIn));
      msg.ack();
    } catch (error) {
      const fields = { stream_seq: msg.info.streamSequence, deliveries: msg.info.deliveryCount };
      if (!redelivery.isFinal(msg)) {
        this.logger.warn(
          { ...fields, error: errorMessage(error) },
          'check-in not stored; will be redelivered',
        );
        redelivery.retry(msg);
        return;
      }
      await this.deadLetter(msg, 'delivery_limit', `not stored: ${errorMessage(error)}`, redelivery);
    }
  }

  /** To HEALTH_DLQ with its reason, then acked; when even that fails (NATS down), retried. */
  private async deadLetter(msg: JsMsg, reason: string, detail: string, redelivery: Redelivery) {
    const fields = { reason, detail, stream_seq: msg.info.streamSequence };
    try {
      await this.messaging.deadLetter(healthDlqSubject(reason), msg, `${reason}: ${detail}`);
      this.logger.warn(fields, 'check-in dead-lettered');
    } catch (error) {
      this.logger.error({ ...fields, error: errorMessage(error) }, 'dead-letter publish failed');
      redelivery.retry(msg);
    }
  }
}
