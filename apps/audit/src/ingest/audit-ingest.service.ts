import { Injectable, Logger } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { auditDlqSubject, HEADER_DLQ_REASON, HEADER_DLQ_SUBJECT, type AuditEventV1 } from '@vigil/contracts';
import { contextFromNatsHeaders, correlationHeaders, NatsMessaging, runWithContext } from '@vigil/platform';
import { redact } from '@vigil/redaction';

import { AuditEventRepository } from '../storage/audit-event.repository';
import { validateAuditMessage, type RejectionReason } from './audit-event.validator';

export const AUDIT_EVENTS_STORED = 'audit_events_stored_total';
export const AUDIT_EVENTS_REJECTED = 'audit_events_rejected_total';

/**
 * Decides what happens to a fetched batch: valid events are redacted and stored in one
 * transaction, then acked; rejected ones go to AUDIT_DLQ with their reason and original bytes.
 * Nothing is acked before it is safely stored somewhere.
 */
@Injectable()
export class AuditIngestService {
  private readonly logger = new Logger(AuditIngestService.name);

  constructor(
    private readonly repository: AuditEventRepository,
    private readonly messaging: NatsMessaging,
    @InjectMetric(AUDIT_EVENTS_STORED) private readonly stored: Counter<string>,
    @InjectMetric(AUDIT_EVENTS_REJECTED) private readonly rejected: Counter<string>,
  ) {}

  async handleBatch(messages: readonly JsMsg[]): Promise<void> {
    const accepted: { msg: JsMsg; event: AuditEventV1 }[] = [];
    for (const msg of messages) {
      const result = validateAuditMessage(msg.subject, msg.data);
      if (result.ok) accepted.push({ msg, event: redact(result.event) });
      else await this.deadLetter(msg, result.reason, result.detail);
    }
    if (accepted.length === 0) return;
    try {
      const inserted = await this.repository.insertBatch(accepted.map((a) => a.event));
      this.stored.inc(inserted);
      for (const { msg, event } of accepted) {
        runWithContext(contextFromNatsHeaders(msg.headers), () =>
          this.logger.log(
            { event_id: event.id, source: event.source, action: event.action },
            'audit event stored',
          ),
        );
        msg.ack();
      }
    } catch (error) {
      // Not stored: leave the messages for redelivery after a short delay.
      this.logger.error(
        { error: error instanceof Error ? error.message : String(error), batch: accepted.length },
        'audit batch not stored',
      );
      for (const { msg } of accepted) msg.nak(2000);
    }
  }

  private async deadLetter(msg: JsMsg, reason: RejectionReason, detail: string): Promise<void> {
    try {
      await this.messaging.js.publish(auditDlqSubject(reason), msg.data, {
        msgID: `dlq-${msg.info.streamSequence}`,
        headers: correlationHeaders({
          [HEADER_DLQ_REASON]: `${reason}: ${detail}`.slice(0, 1024),
          [HEADER_DLQ_SUBJECT]: msg.subject,
        }),
      });
      this.rejected.inc({ reason });
      this.logger.warn(
        { reason, subject: msg.subject, stream_seq: msg.info.streamSequence },
        'audit event rejected',
      );
      msg.ack();
    } catch (error) {
      this.logger.error(
        { reason, error: error instanceof Error ? error.message : String(error) },
        'dead-letter publish failed',
      );
      msg.nak(2000);
    }
  }
}
