import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { AUDIT_EVENTS_WILDCARD, AUDIT_INGEST_CONSUMER, AUDIT_STREAM } from '@vigil/contracts';
import { NatsMessaging, SERVICE_CONFIG, type DurablePullConsumer } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { AuditIngestService } from './audit-ingest.service';

/**
 * The durable pull consumer of AUDIT. Up to AUDIT_INGEST_CONCURRENCY batches are stored at once (the
 * next batch is validated and redacted while the previous one commits); appends to a chain stay
 * serialised by its head lock. The ingest service acks each message only after its commit, and on a
 * message's last allowed delivery (the platform's default policy) dead-letters it instead of retrying.
 */
@Injectable()
export class AuditIngestConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumer: DurablePullConsumer;

  constructor(
    @Inject(SERVICE_CONFIG) config: AuditConfig,
    messaging: NatsMessaging,
    ingest: AuditIngestService,
  ) {
    this.consumer = messaging.pullConsumer({
      stream: AUDIT_STREAM.name,
      durable: AUDIT_INGEST_CONSUMER,
      config: { filter_subject: AUDIT_EVENTS_WILDCARD },
      batch: config.AUDIT_FETCH_BATCH,
      expiresMs: config.AUDIT_FETCH_EXPIRES_MS,
      concurrency: config.AUDIT_INGEST_CONCURRENCY,
      handle: (messages, redelivery) => ingest.handleBatch(messages, redelivery),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start();
  }

  /** Resolves once the batches in hand are stored and acked. */
  onModuleDestroy(): Promise<void> {
    return this.consumer.stop();
  }
}
