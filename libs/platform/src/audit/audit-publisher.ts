import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { auditEventSubject, auditEventV1Schema, type AuditEventV1 } from '@vigil/contracts';

import { SERVICE_IDENTITY, type ServiceIdentity } from '../config/config.tokens';
import { currentContext } from '../context/request-context';
import { NatsMessaging } from '../nats/nats-messaging';
import { errorMessage } from '../errors/error-message';

/** An audit event as a service describes it; id, occurred_at, source and correlation ids are filled in. */
export type AuditEventInput = Omit<AuditEventV1, 'id' | 'occurred_at' | 'source'> &
  Partial<Pick<AuditEventV1, 'id' | 'occurred_at' | 'source'>>;

export interface AuditPublishOptions {
  /** Publish attempts before giving up (default 5). */
  attempts?: number;
  /** First retry delay; doubled each attempt, with jitter, capped at 5 s (default 100 ms). */
  baseDelayMs?: number;
}

export interface AuditPublishResult {
  id: string;
  /** JetStream stream sequence. */
  seq: number;
  /** True when JetStream already had this id (a retry within the duplicate window). */
  duplicate: boolean;
}

const MAX_DELAY_MS = 5000;

/**
 * Publishes AuditEvent v1 from a NestJS service: validated with the contracts schema, sent through
 * JetStream to `audit.v1.events.<source>` with `Nats-Msg-Id: <id>` and the request/trace ids of the
 * current request in the headers, retried with exponential backoff under the same id (so a retry is
 * stored once). Add `AuditPublisher` to your module's providers; PlatformModule supplies NatsMessaging.
 */
@Injectable()
export class AuditPublisher {
  private readonly logger = new Logger(AuditPublisher.name);

  constructor(
    private readonly messaging: NatsMessaging,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {}

  /** Throws a ZodError for an invalid event (a bug in the caller), or the last publish error. */
  async publish(input: AuditEventInput, options: AuditPublishOptions = {}): Promise<AuditPublishResult> {
    const context = currentContext();
    const event = auditEventV1Schema.parse({
      ...input,
      id: input.id ?? randomUUID(),
      occurred_at: input.occurred_at ?? new Date().toISOString(),
      source: input.source ?? this.identity.name,
      request_id: input.request_id ?? context?.requestId,
      trace_id: input.trace_id ?? context?.traceId,
    });
    const attempts = Math.max(1, options.attempts ?? 5);
    const baseDelayMs = options.baseDelayMs ?? 100;
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.messaging.publish(auditEventSubject(event.source), event, event.id);
        return { id: event.id, seq: ack.seq, duplicate: ack.duplicate };
      } catch (error) {
        const message = errorMessage(error);
        if (attempt >= attempts) {
          this.logger.error({ event_id: event.id, attempts, error: message }, 'audit event not published');
          throw error;
        }
        const delay = Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        this.logger.warn(
          { event_id: event.id, attempt, retry_in_ms: Math.round(delay), error: message },
          'audit publish failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
