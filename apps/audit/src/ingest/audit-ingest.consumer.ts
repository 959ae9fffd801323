import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';

import { AUDIT_EVENTS_WILDCARD, AUDIT_INGEST_CONSUMER, AUDIT_STREAM } from '@vigil/contracts';
import { NatsMessaging, SERVICE_CONFIG, type DurablePullConsumer } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { AuditIngestService } from './audit-ingest.service';

/**
 * The durable pull consumer of AUDIT. Up to AUDIT_INGEST_CONCURRENCY batches are stored at once (the
 * next batch is fetched, validated and redacted while the previous one commits); appends to a chain
 * stay serialised by its head lock. The ingest service acks each message only after its commit.
 */
@Injectable()
export class AuditIngestConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumer: DurablePullConsumer;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
    messaging: NatsMessaging,
    private readonly ingest: AuditIngestService,
  ) {
    this.consumer = messaging.pullConsumer({
      stream: AUDIT_STREAM.name,
      durable: AUDIT_INGEST_CONSUMER,
      config: { filter_subject: AUDIT_EVENTS_WILDCARD },
      batch: config.AUDIT_FETCH_BATCH,
      expiresMs: config.AUDIT_FETCH_EXPIRES_MS,
      handle: (messages) => this.admit(messages),
    });
  }

  /** Starts storing a batch; returns once fewer than the allowed number of batches are in flight. */
  private async admit(messages: readonly JsMsg[]): Promise<void> {
    const stored: Promise<void> = this.ingest
      .handleBatch(messages)
      .finally(() => this.inFlight.delete(stored));
    this.inFlight.add(stored);
    while (this.inFlight.size >= this.config.AUDIT_INGEST_CONCURRENCY) await Promise.race(this.inFlight);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
    await Promise.all(this.inFlight);
  }
}
