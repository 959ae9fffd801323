import { Injectable, Logger } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

import { auditDlqSubject, HEADER_DLQ_REASON, HEADER_DLQ_SUBJECT, type AuditEventV1 } from '@vigil/contracts';
import { correlationHeaders, errorMessage, NatsMessaging } from '@vigil/platform';
import { redact } from '@vigil/redaction';

import { AuditEventRepository, type AppendedEvent } from '../storage/audit-event.repository';
import { ActivityMetrics } from './activity-metrics';
import { validateAuditMessage, type RejectionReason } from './audit-event.validator';

export const AUDIT_EVENTS_INGESTED = 'audit_events_ingested_total';
export const AUDIT_EVENTS_REJECTED = 'audit_events_rejected_total';
export const AUDIT_INGEST_BATCH_SIZE = 'audit_ingest_batch_size';
export const AUDIT_INGEST_BATCH_DURATION = 'audit_ingest_batch_duration_seconds';

/** Called with the events a batch newly stored (after commit); detectors subscribe here. */
export type StoredEventsListener = (events: readonly AppendedEvent[]) => Promise<void>;

/**
 * Decides what happens to a fetched batch: valid events are redacted and appended in one
 * transaction, then acked; rejected ones go to AUDIT_DLQ with their reason and original bytes.
 * Nothing is acked before it is safely stored somewhere.
 */
@Injectable()
export class AuditIngestService {
  private readonly logger = new Logger(AuditIngestService.name);
  private readonly listeners: StoredEventsListener[] = [];

  constructor(
    private readonly repository: AuditEventRepository,
    private readonly messaging: NatsMessaging,
    private readonly activity: ActivityMetrics,
    @InjectMetric(AUDIT_EVENTS_INGESTED) private readonly ingested: Counter<string>,
    @InjectMetric(AUDIT_EVENTS_REJECTED) private readonly rejected: Counter<string>,
    @InjectMetric(AUDIT_INGEST_BATCH_SIZE) private readonly batchSize: Histogram<string>,
    @InjectMetric(AUDIT_INGEST_BATCH_DURATION) private readonly batchDuration: Histogram<string>,
  ) {}

  onStored(listener: StoredEventsListener): void {
    this.listeners.push(listener);
  }

  async handleBatch(messages: readonly JsMsg[]): Promise<void> {
    const endTimer = this.batchDuration.startTimer();
    this.batchSize.observe(messages.length);
    const accepted: { msg: JsMsg; event: AuditEventV1 }[] = [];
    const rejections: Promise<void>[] = [];
    for (const msg of messages) {
      const result = validateAuditMessage(msg.subject, msg.data);
      if (result.ok) accepted.push({ msg, event: redact(result.event) });
      else rejections.push(this.deadLetter(msg, result.reason, result.detail));
    }
    await Promise.all(rejections);
    if (accepted.length === 0) {
      endTimer();
      return;
    }
    let appended: AppendedEvent[];
    try {
      appended = await this.repository.appendBatch(accepted.map((a) => a.event));
    } catch (error) {
      // Not stored: leave the messages for redelivery after a short delay.
      this.logger.error({ error: errorMessage(error), batch: accepted.length }, 'audit batch not stored');
      for (const { msg } of accepted) msg.nak(2000);
      endTimer();
      return;
    }
    for (const { event } of appended) {
      this.ingested.inc({ source: event.source });
      this.activity.record(event);
    }
    for (const { msg } of accepted) msg.ack();
    this.logger.debug(
      { stored: appended.length, duplicates: accepted.length - appended.length, batch: messages.length },
      'audit batch stored',
    );
    endTimer();
    for (const listener of this.listeners) {
      await listener(appended).catch((error: unknown) =>
        this.logger.error({ error: errorMessage(error) }, 'stored-events listener failed'),
      );
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
      this.logger.error({ reason, error: errorMessage(error) }, 'dead-letter publish failed');
      msg.nak(2000);
    }
  }
}
