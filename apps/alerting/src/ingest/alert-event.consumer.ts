import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, jetstreamManager, type Consumer, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { ALERTS_STREAM } from '@vigil/contracts';
import {
  contextFromNatsHeaders,
  NATS_CONNECTION,
  NatsMessaging,
  runWithContext,
  SERVICE_CONFIG,
} from '@vigil/platform';

import { AlertService } from '../alerts/alert.service';
import type { AlertingConfig } from '../config/alerting-config';
import { translateAlertMessage } from './alert-event.translator';

/** Durable pull consumer of the ALERTS stream. */
export const ALERTING_INGEST_CONSUMER = 'alerting-ingest';
const ALERTS_WILDCARD = 'alerts.v1.>';
const FETCH_BATCH = 100;
const FETCH_EXPIRES_MS = 1000;
const ACK_WAIT_NS = 30 * 1e9;
const RETRY_DELAY_MS = 2000;

/**
 * Feeds `alerts.v1.fired` / `alerts.v1.resolved` into the same pipeline as the HTTP API, acking each
 * message after its alert is committed. Invalid messages are logged with the reason and dropped
 * (terminated, never redelivered). Survives NATS outages by retrying; stops pulling on shutdown.
 */
@Injectable()
export class AlertEventConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertEventConsumer.name);
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    private readonly messaging: NatsMessaging,
    private readonly alerts: AlertService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureConsumer();
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  /**
   * Created once; later boots reuse it and resume where it stopped. On first creation it starts one
   * resolve timeout back: older alerts without endsAt would have resolved by now anyway.
   */
  private async ensureConsumer(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    try {
      await jsm.consumers.info(ALERTS_STREAM.name, ALERTING_INGEST_CONSUMER);
      return;
    } catch (error) {
      if (!/not found/i.test(String(error))) throw error;
    }
    try {
      await jsm.consumers.add(ALERTS_STREAM.name, {
        durable_name: ALERTING_INGEST_CONSUMER,
        ack_policy: AckPolicy.Explicit,
        filter_subject: ALERTS_WILDCARD,
        deliver_policy: DeliverPolicy.StartTime,
        opt_start_time: new Date(Date.now() - this.config.ALERT_RESOLVE_TIMEOUT_S * 1000).toISOString(),
        ack_wait: ACK_WAIT_NS,
        max_ack_pending: 1000,
      });
    } catch (error) {
      // Another replica created it between our info and add.
      if (!/already in use|already exists/i.test(String(error))) throw error;
    }
  }

  private async run(): Promise<void> {
    let consumer: Consumer | null = null;
    while (!this.stopping) {
      try {
        consumer ??= await this.messaging.js.consumers.get(ALERTS_STREAM.name, ALERTING_INGEST_CONSUMER);
        const batch = await consumer.fetch({ max_messages: FETCH_BATCH, expires: FETCH_EXPIRES_MS });
        for await (const msg of batch) {
          await runWithContext(contextFromNatsHeaders(msg.headers), () => this.handle(msg));
        }
      } catch (error) {
        this.logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'alert fetch failed; retrying',
        );
        if (/consumer not found|stream not found/i.test(String(error))) {
          consumer = null;
          await this.ensureConsumer().catch(() => undefined);
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
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
      msg.term(`${result.reason}: ${result.detail}`.slice(0, 256));
      return;
    }
    try {
      await this.alerts.receive([result.alert], 'nats');
      msg.ack();
    } catch (error) {
      this.logger.error(
        {
          subject: msg.subject,
          stream_seq: msg.info.streamSequence,
          error: error instanceof Error ? error.message : String(error),
        },
        'alert event not stored; will be redelivered',
      );
      msg.nak(RETRY_DELAY_MS);
    }
  }
}
