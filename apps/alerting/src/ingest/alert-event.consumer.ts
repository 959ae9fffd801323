import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';

import { alertingDlqSubject, ALERTS_STREAM, ALERTS_WILDCARD } from '@vigil/contracts';
import {
  contextFromNatsHeaders,
  type DurablePullConsumer,
  errorMessage,
  holdThroughOutage,
  LifecycleState,
  NatsMessaging,
  type Redelivery,
  runWithContext,
  SERVICE_CONFIG,
} from '@vigil/platform';

import { AlertRepository } from '../model/alert.repository';
import { AlertService } from '../alerts/alert.service';
import type { AlertingConfig } from '../config/alerting-config';
import { translateAlertMessage } from './alert-event.translator';

/** Durable pull consumer of the ALERTS stream. */
export const ALERTING_INGEST_CONSUMER = 'alerting-ingest';
const FETCH_BATCH = 100;
const FETCH_EXPIRES_MS = 1000;

/**
 * Feeds `alerts.v1.fired` / `alerts.v1.resolved` into the same pipeline as the HTTP API, acking each
 * message after its alert is committed. Invalid messages go to ALERTING_DLQ with their reason
 * (`alerting.v1.dlq.<reason>`). A message that fails to apply while Postgres answers is retried with the
 * platform's backoff and dead-lettered on its last allowed delivery, so it never holds the stream up; while
 * Postgres does not answer at all, it is held instead, so an outage drops nothing. Survives NATS outages
 * by retrying; stops pulling on shutdown.
 */
@Injectable()
export class AlertEventConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertEventConsumer.name);
  private readonly consumer: DurablePullConsumer;

  constructor(
    @Inject(SERVICE_CONFIG) config: AlertingConfig,
    private readonly messaging: NatsMessaging,
    private readonly alerts: AlertService,
    private readonly repository: AlertRepository,
    private readonly lifecycle: LifecycleState,
  ) {
    this.consumer = messaging.pullConsumer({
      stream: ALERTS_STREAM.name,
      durable: ALERTING_INGEST_CONSUMER,
      // On first creation start one resolve timeout back: older alerts without endsAt would have
      // resolved by now anyway. Later boots resume where the consumer stopped.
      config: {
        filter_subject: ALERTS_WILDCARD,
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: new Date(Date.now() - config.ALERT_RESOLVE_TIMEOUT_S * 1000).toISOString(),
        max_ack_pending: 1000,
      },
      batch: FETCH_BATCH,
      expiresMs: FETCH_EXPIRES_MS,
      handle: async (messages, redelivery) => {
        for (const msg of messages)
          await runWithContext(contextFromNatsHeaders(msg.headers), () => this.handle(msg, redelivery));
      },
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.consumer.stop();
  }

  private async handle(msg: JsMsg, redelivery: Redelivery): Promise<void> {
    const result = translateAlertMessage(msg.subject, msg.data, new Date());
    if (!result.ok) return this.deadLetter(msg, result.reason, result.detail, redelivery);
    try {
      await this.alerts.receive([result.alert], 'nats');
      msg.ack();
    } catch (error) {
      await this.applyFailed(msg, errorMessage(error), redelivery);
    }
  }

  private async applyFailed(msg: JsMsg, error: string, redelivery: Redelivery): Promise<void> {
    const fields = {
      subject: msg.subject,
      stream_seq: msg.info.streamSequence,
      deliveries: msg.info.deliveryCount,
      error,
    };
    const outage = await holdThroughOutage([msg], {
      reachable: () => this.repository.reachable(),
      draining: () => this.lifecycle.isDraining,
      onHold: () =>
        this.logger.error(fields, 'Postgres unreachable: holding the alert event until it is back'),
    });
    if (outage === 'over') return this.handle(msg, redelivery);
    if (outage === 'draining') return msg.nak();
    if (!redelivery.isFinal(msg)) {
      this.logger.error(fields, 'alert event not stored; will be redelivered');
      return redelivery.retry(msg);
    }
    await this.deadLetter(
      msg,
      'delivery_limit',
      `not stored after ${fields.deliveries} deliveries: ${error}`,
      redelivery,
    );
  }

  /** To ALERTING_DLQ with its reason, then acked; when even that fails (NATS down), retried. */
  private async deadLetter(
    msg: JsMsg,
    reason: string,
    detail: string,
    redelivery: Redelivery,
  ): Promise<void> {
    const fields = { subject: msg.subject, reason, detail, stream_seq: msg.info.streamSequence };
    try {
      await this.messaging.deadLetter(alertingDlqSubject(reason), msg, `${reason}: ${detail}`);
      this.logger.warn(fields, 'alert event dead-lettered');
    } catch (error) {
      this.logger.error({ ...fields, error: errorMessage(error) }, 'dead-letter publish failed');
      redelivery.retry(msg);
    }
  }
}
