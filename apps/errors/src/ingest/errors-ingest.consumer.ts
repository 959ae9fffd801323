import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { ERRORS_EVENTS_WILDCARD, ERRORS_INGEST_CONSUMER, ERRORS_STREAM } from '@vigil/contracts';
import { NatsMessaging, type DurablePullConsumer } from '@vigil/platform';

import { ErrorsIngestService } from './errors-ingest.service';

/**
 * Messages per fetched batch (one transaction each); batches in hand: one scrubs while two store side
 * by side (a batch locks its issues only at the end of its transaction).
 */
const FETCH_BATCH = 250;
const FETCH_EXPIRES_MS = 5000;
const CONCURRENCY = 3;

/**
 * The durable pull consumer of ERRORS. The ingest service acks each message after its batch committed
 * and, on a message's last allowed delivery, dead-letters it instead of retrying (platform default).
 */
@Injectable()
export class ErrorsIngestConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumer: DurablePullConsumer;

  constructor(messaging: NatsMessaging, ingest: ErrorsIngestService) {
    this.consumer = messaging.pullConsumer({
      stream: ERRORS_STREAM.name,
      durable: ERRORS_INGEST_CONSUMER,
      config: { filter_subject: ERRORS_EVENTS_WILDCARD },
      batch: FETCH_BATCH,
      expiresMs: FETCH_EXPIRES_MS,
      concurrency: CONCURRENCY,
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
