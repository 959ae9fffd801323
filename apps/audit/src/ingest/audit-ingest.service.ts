import { Injectable, Logger } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';

import { auditDlqSubject, type AuditEventV1 } from '@vigil/contracts';
import {
  EventLoopSlice,
  errorMessage,
  holdThroughOutage,
  LifecycleState,
  NatsMessaging,
  Redelivery,
  sqlState,
} from '@vigil/platform';
import { redact } from '@vigil/redaction';

import {
  AuditEventRepository,
  type AppendedEvent,
  type AppendResult,
} from '../storage/audit-event.repository';
import { EventSealer } from '../erasure/event-sealer';
import { withIdTokens } from '../erasure/personal-fields';
import { ActivityMetrics } from './activity-metrics';
import { validateAuditMessage, type RejectionReason } from './audit-event.validator';
import { isRefusedContent } from './storage-failure';

export const AUDIT_EVENTS_INGESTED = 'audit_events_ingested_total';
export const AUDIT_EVENTS_REJECTED = 'audit_events_rejected_total';
export const AUDIT_EVENTS_DUPLICATE_CONFLICTS = 'audit_events_duplicate_conflicts_total';
export const AUDIT_INGEST_BATCH_SIZE = 'audit_ingest_batch_size';
export const AUDIT_INGEST_BATCH_DURATION = 'audit_ingest_batch_duration_seconds';

/**
 * Why a message went to AUDIT_DLQ (its subject token): the validator's reasons, or
 * - unprocessable: validating or redacting it threw (e.g. a stack overflow on deep nesting);
 * - storage_refused: Postgres refuses its content (SQLSTATE class 22 or 54…), found by splitting the batch;
 * - delivery_limit: it could not be stored in its allowed deliveries (transient failures every time);
 * - duplicate_conflict: its id is already stored with different content (the first stored copy wins).
 */
export type DeadLetterReason =
  RejectionReason | 'unprocessable' | 'storage_refused' | 'delivery_limit' | 'duplicate_conflict';

/** Called with the events a batch newly stored (after commit); detectors subscribe here. */
export type StoredEventsListener = (events: readonly AppendedEvent[]) => Promise<void>;

/**
 * Validating and redacting a batch yields to the event loop after this long, so a batch of large
 * events never holds probes and other requests behind it for more than the service's 100 ms budget.
 */
const SLICE_MS = 20;

interface Candidate {
  msg: JsMsg;
  event: AuditEventV1;
}

/**
 * Decides what happens to a fetched batch: valid events are redacted and appended in one
 * transaction, then acked; rejected ones go to AUDIT_DLQ with their reason and original bytes.
 * Nothing is acked before it is safely stored somewhere. A poison message costs only itself: a
 * batch Postgres refuses is split until the refused message is alone and dead-lettered, so its
 * neighbours commit; transient failures are retried with the consumer's backoff, up to its limit.
 */
@Injectable()
export class AuditIngestService {
  private readonly logger = new Logger(AuditIngestService.name);
  private readonly listeners: StoredEventsListener[] = [];

  constructor(
    private readonly repository: AuditEventRepository,
    private readonly sealer: EventSealer,
    private readonly messaging: NatsMessaging,
    private readonly activity: ActivityMetrics,
    private readonly lifecycle: LifecycleState,
    @InjectMetric(AUDIT_EVENTS_INGESTED) private readonly ingested: Counter<string>,
    @InjectMetric(AUDIT_EVENTS_REJECTED) private readonly rejected: Counter<string>,
    @InjectMetric(AUDIT_EVENTS_DUPLICATE_CONFLICTS) private readonly conflicts: Counter<string>,
    @InjectMetric(AUDIT_INGEST_BATCH_SIZE) private readonly batchSize: Histogram<string>,
    @InjectMetric(AUDIT_INGEST_BATCH_DURATION) private readonly batchDuration: Histogram<string>,
  ) {}

  onStored(listener: StoredEventsListener): void {
    this.listeners.push(listener);
  }

  async handleBatch(messages: readonly JsMsg[], redelivery = new Redelivery()): Promise<void> {
    const endTimer = this.batchDuration.startTimer();
    this.batchSize.observe(messages.length);
    const accepted: Candidate[] = [];
    const rejections: Promise<void>[] = [];
    const slice = new EventLoopSlice(SLICE_MS);
    for (const msg of messages) {
      await slice.yieldIfDue();
      const result = this.candidate(msg);
      if (result.ok) accepted.push({ msg, event: result.event });
      else rejections.push(this.deadLetter(msg, result.reason, result.detail, redelivery));
    }
    await Promise.all(rejections);
    // The earliest published copy of an id comes first, whichever order the deliveries arrived in.
    accepted.sort((a, b) => a.msg.info.streamSequence - b.msg.info.streamSequence);
    const appended = accepted.length > 0 ? await this.store(accepted, redelivery) : [];
    this.logger.debug({ stored: appended.length, batch: messages.length }, 'audit batch handled');
    endTimer();
    if (appended.length === 0) return;
    // Listeners (detectors) see sealed ids as their blind-index tokens, the way the columns hold them.
    const stored = appended.map((a) => ({ ...a, event: withIdTokens(a.event) }));
    for (const listener of this.listeners) {
      await listener(stored).catch((error: unknown) =>
        this.logger.error({ error: errorMessage(error) }, 'stored-events listener failed'),
      );
    }
  }

  /** The redacted event of a message, or why it cannot be one (a throw costs only this message). */
  private candidate(
    msg: JsMsg,
  ): { ok: true; event: AuditEventV1 } | { ok: false; reason: DeadLetterReason; detail: string } {
    try {
      const result = validateAuditMessage(msg.subject, msg.data);
      return result.ok ? { ok: true, event: redact(result.event) } : result;
    } catch (error) {
      return { ok: false, reason: 'unprocessable', detail: errorMessage(error) };
    }
  }

  /**
   * Appends `batch` and settles every message in it. When Postgres refuses the content, the batch is
   * split in halves (in publication order) until the refused message is alone; it is dead-lettered and
   * the rest commit, at a cost of about 2·log2(n) transactions per poison message.
   */
  private async store(batch: readonly Candidate[], redelivery: Redelivery): Promise<AppendedEvent[]> {
    let result: AppendResult;
    try {
      // Personal fields are sealed under their subjects' keys before the chain hashes the event.
      const sealed = await this.sealer.seal(batch.map((c) => c.event));
      result = await this.repository.appendBatch(sealed);
    } catch (error) {
      return this.storeFailed(batch, error, redelivery);
    }
    for (const { event } of result.appended) {
      this.ingested.inc({ source: event.source });
      this.activity.record(event);
    }
    const conflicting = new Set(result.conflicts);
    const letters: Promise<void>[] = [];
    batch.forEach(({ msg, event }, index) => {
      if (!conflicting.has(index)) return msg.ack();
      this.conflicts.inc({ source: event.source });
      const detail = `id ${event.id} is already stored with different content; the first stored copy is kept`;
      letters.push(this.deadLetter(msg, 'duplicate_conflict', detail, redelivery));
    });
    await Promise.all(letters);
    return result.appended;
  }

  private async storeFailed(
    batch: readonly Candidate[],
    error: unknown,
    redelivery: Redelivery,
  ): Promise<AppendedEvent[]> {
    const failure = { error: errorMessage(error), sqlstate: sqlState(error), batch: batch.length };
    if (!isRefusedContent(error)) {
      const outage = await holdThroughOutage(
        batch.map((c) => c.msg),
        {
          reachable: () => this.repository.reachable(),
          draining: () => this.lifecycle.isDraining,
          onHold: () =>
            this.logger.error(failure, 'Postgres unreachable: holding the audit batch until it is back'),
        },
      );
      if (outage === 'over') return this.store(batch, redelivery);
      if (outage === 'draining') {
        // Redelivered to this or another replica once Postgres is back; not dead-lettered for an outage.
        for (const { msg } of batch) msg.nak();
        return [];
      }
      // Not the messages' fault (connection lost, deadlock…): retried later, dead-lettered at the limit.
      this.logger.error(failure, 'audit batch not stored; retrying');
      const letters: Promise<void>[] = [];
      for (const { msg } of batch) {
        if (!redelivery.isFinal(msg)) redelivery.retry(msg);
        else {
          const detail = `not stored after ${msg.info.deliveryCount} deliveries: ${failure.error}`;
          letters.push(this.deadLetter(msg, 'delivery_limit', detail, redelivery));
        }
      }
      await Promise.all(letters);
      return [];
    }
    if (batch.length === 1) {
      const reason = `${failure.sqlstate ? `SQLSTATE ${failure.sqlstate}: ` : ''}${failure.error}`;
      await this.deadLetter(batch[0].msg, 'storage_refused', reason, redelivery);
      return [];
    }
    this.logger.warn(failure, 'audit batch refused by Postgres; splitting it to isolate the refused event');
    const half = Math.ceil(batch.length / 2);
    const first = await this.store(batch.slice(0, half), redelivery);
    return [...first, ...(await this.store(batch.slice(half), redelivery))];
  }

  /**
   * Publishes the message to AUDIT_DLQ with its reason (the platform sanitises and bounds it) and acks
   * it; when even that fails (NATS down), the message is retried with the backoff.
   */
  private async deadLetter(
    msg: JsMsg,
    reason: DeadLetterReason,
    detail: string,
    redelivery: Redelivery,
  ): Promise<void> {
    try {
      const { truncated } = await this.messaging.deadLetter(
        auditDlqSubject(reason),
        msg,
        `${reason}: ${detail}`,
      );
      this.rejected.inc({ reason });
      this.logger.warn(
        { reason, subject: msg.subject, stream_seq: msg.info.streamSequence, truncated },
        'audit event rejected',
      );
    } catch (error) {
      this.logger.error({ reason, error: errorMessage(error) }, 'dead-letter publish failed');
      redelivery.retry(msg);
    }
  }
}
