import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { AckPolicy, jetstreamManager, type Consumer, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { AUDIT_EVENTS_WILDCARD, AUDIT_INGEST_CONSUMER, AUDIT_STREAM } from '@vigil/contracts';
import { NATS_CONNECTION, NatsMessaging, SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { AuditIngestService } from './audit-ingest.service';

const ACK_WAIT_NS = 30 * 1e9;

/**
 * The durable pull consumer of AUDIT: fetches batches and hands them to the ingest service, which
 * acks only after commit. Survives NATS outages by retrying; stops pulling on shutdown.
 */
@Injectable()
export class AuditIngestConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuditIngestConsumer.name);
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
    private readonly messaging: NatsMessaging,
    private readonly ingest: AuditIngestService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureConsumer();
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async ensureConsumer(): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    await jsm.consumers.add(AUDIT_STREAM.name, {
      durable_name: AUDIT_INGEST_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      filter_subject: AUDIT_EVENTS_WILDCARD,
      ack_wait: ACK_WAIT_NS,
      max_ack_pending: 10_000,
    });
  }

  private async run(): Promise<void> {
    let consumer: Consumer | null = null;
    while (!this.stopping) {
      try {
        consumer ??= await this.messaging.js.consumers.get(AUDIT_STREAM.name, AUDIT_INGEST_CONSUMER);
        const batch = await consumer.fetch({
          max_messages: this.config.AUDIT_FETCH_BATCH,
          expires: this.config.AUDIT_FETCH_EXPIRES_MS,
        });
        const messages: JsMsg[] = [];
        for await (const msg of batch) messages.push(msg);
        if (messages.length) await this.ingest.handleBatch(messages);
      } catch (error) {
        this.logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'audit fetch failed; retrying',
        );
        if (/consumer not found|stream not found/i.test(String(error))) {
          consumer = null;
          await this.ensureConsumer().catch(() => undefined);
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}
