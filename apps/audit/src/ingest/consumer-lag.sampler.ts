import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

import { AUDIT_INGEST_CONSUMER, AUDIT_STREAM } from '@vigil/contracts';
import { errorMessage, NatsMessaging, SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';

export const AUDIT_CONSUMER_PENDING = 'audit_consumer_pending_messages';
export const AUDIT_CONSUMER_ACK_PENDING = 'audit_consumer_ack_pending_messages';

/** Samples the durable consumer's lag (messages not yet delivered, and delivered but not acked). */
@Injectable()
export class ConsumerLagSampler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ConsumerLagSampler.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
    private readonly messaging: NatsMessaging,
    @InjectMetric(AUDIT_CONSUMER_PENDING) private readonly pending: Gauge<string>,
    @InjectMetric(AUDIT_CONSUMER_ACK_PENDING) private readonly ackPending: Gauge<string>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sample(), this.config.AUDIT_LAG_SAMPLE_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    try {
      const jsm = await jetstreamManager(this.messaging.connection);
      const info = await jsm.consumers.info(AUDIT_STREAM.name, AUDIT_INGEST_CONSUMER);
      this.pending.set(info.num_pending);
      this.ackPending.set(info.num_ack_pending);
    } catch (error) {
      this.logger.debug({ error: errorMessage(error) }, 'lag sample failed');
    }
  }
}
