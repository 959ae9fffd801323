import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';

import { ALERTS_STREAM, ALERTS_WILDCARD } from '@vigil/contracts';
import {
  contextFromNatsHeaders,
  type DurablePullConsumer,
  errorMessage,
  headerSafe,
  NatsMessaging,
  type Redelivery,
  runWithContext,
  SERVICE_CONFIG,
} from '@vigil/platform';

import { AlertService } from '../alerts/alert.service';
import type { AlertingConfig } from '../config/alerting-config';
import { translateAlertMessage } from './alert-event.translator';

/** Durable pull consumer of the ALERTS stream. */
export const ALERTING_INGEST_CONSUMER = 'alerting-ingest';
const FETCH_BATCH = 100;
const FETCH_EXPIRES_MS = 1000;
/** Longest reason given with a terminated message (it lands in the server's advisory). */
const TERM_REASON_MAX = 256;

/**
 * Feeds `alerts.v1.fired` / `alerts.v1.resolved` into the same pipeline as the HTTP API, acking each
 * message after its alert is committed. Invalid messages are logged with the reason and dropped
 * (terminated, never redelivered). A message that fails to apply is retried with the platform's backoff
 * and terminated with its error on its last allowed delivery, so it never holds the stream up forever.
 * Survives NATS outages by retrying; stops pulling on shutdown.
 */
@Injectable()
export class AlertEventConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertEventConsumer.name);
  private readonly consumer: DurablePullConsumer;

  constructor(
    @Inject(SERVICE_CONFIG) config: AlertingConfig,
    messaging: NatsMessaging,
    private readonly alerts: AlertService,
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
    if (!result.ok) {
      this.logger.warn(
        {
          subject: msg.subject,
          reason: result.reason,
          detail: result.detail,
          stream_seq: msg.info.streamSequence,
        },
        'alert event dropped',
      );
      msg.term(headerSafe(`${result.reason}: ${result.detail}`, TERM_REASON_MAX));
      return;
    }
    try {
      await this.alerts.receive([result.alert], 'nats');
      msg.ack();
    } catch (error) {
      const final = redelivery.isFinal(msg);
      const fields = {
        subject: msg.subject,
        stream_seq: msg.info.streamSequence,
        deliveries: msg.info.deliveryCount,
        error: errorMessage(error),
      };
      if (!final) {
        this.logger.error(fields, 'alert event not stored; will be redelivered');
        return redelivery.retry(msg);
      }
      this.logger.error(fields, 'alert event not stored after its last delivery; dropped');
      msg.term(headerSafe(`not stored: ${fields.error}`, TERM_REASON_MAX));
    }
  }
}
