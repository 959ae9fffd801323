import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { decodeJson, errorIntakeV1Schema, errorsDlqSubject, type AlertEventV1 } from '@vigil/contracts';
import {
  errorMessage,
  holdThroughOutage,
  isRefusedData,
  LifecycleState,
  NatsMessaging,
  Redelivery,
} from '@vigil/platform';

import { IssueAlertsPublisher } from '../alerts/issue-alerts.publisher';
import { IssueAlerts } from '../alerts/issue-alerts';
import { ERRORS_PROJECTS, type ErrorsProject } from '../config/projects-config';
import { applyEvent } from '../issues/issue-status';
import { ErrorEventStore, type EventWriter, type StorableEvent } from '../storage/error-event.store';
import { EVENT_PIPELINE, type EventPipeline } from './event-pipeline';
import { eventFacts, type EventFacts } from './event-facts';
import { ProjectRedactors } from './project-redactors';

export const ERRORS_EVENTS_STORED = 'errors_events_stored_total';
export const ERRORS_EVENTS_REJECTED = 'errors_events_rejected_total';

/**
 * Why a message went to ERRORS_DLQ (its subject token):
 * - schema: not an ErrorIntake v1 message (not JSON, missing fields, subject and project differ);
 * - unknown_project: its project is not configured (any more);
 * - unprocessable: scrubbing or grouping it threw;
 * - storage_refused: Postgres refused its content (SQLSTATE class 22/54…);
 * - delivery_limit: not stored in its allowed deliveries (transient failures every time).
 */
export type DeadLetterReason =
  'schema' | 'unknown_project' | 'unprocessable' | 'storage_refused' | 'delivery_limit';

interface Prepared {
  msg: JsMsg;
  project: ErrorsProject;
  event: StorableEvent;
  facts: EventFacts;
}

type Preparation = { ok: true; prepared: Prepared } | { ok: false; reason: DeadLetterReason; detail: string };

/**
 * Turns a fetched batch of ErrorIntake messages into stored events: decode, scrub with the project's
 * redactor, group, then one transaction for the batch in which every event, under its own savepoint,
 * claims its (project, event_id) (a redelivery or an SDK retry stores nothing twice), upserts its issue
 * (counts, users, breakdowns, status) and is inserted. Messages are acked after the commit; alerts are
 * published after it too. A message that cannot be an event, or that Postgres refuses, goes to
 * ERRORS_DLQ with its reason; the consumer never stops.
 */
@Injectable()
export class ErrorsIngestService {
  private readonly logger = new Logger(ErrorsIngestService.name);
  private readonly projects: ReadonlyMap<string, ErrorsProject>;

  constructor(
    @Inject(ERRORS_PROJECTS) projects: readonly ErrorsProject[],
    private readonly redactors: ProjectRedactors,
    @Inject(EVENT_PIPELINE) private readonly pipeline: EventPipeline,
    private readonly store: ErrorEventStore,
    private readonly alerts: IssueAlerts,
    private readonly publisher: IssueAlertsPublisher,
    private readonly messaging: NatsMessaging,
    private readonly lifecycle: LifecycleState,
    @InjectMetric(ERRORS_EVENTS_STORED) private readonly stored: Counter<string>,
    @InjectMetric(ERRORS_EVENTS_REJECTED) private readonly rejected: Counter<string>,
  ) {
    this.projects = new Map(projects.map((p) => [p.id, p]));
  }

  async handleBatch(messages: readonly JsMsg[], redelivery = new Redelivery()): Promise<void> {
    const ready: Prepared[] = [];
    const letters: Promise<void>[] = [];
    for (const msg of messages) {
      const result = this.prepare(msg);
      if (result.ok) ready.push(result.prepared);
      else letters.push(this.deadLetter(msg, result.reason, result.detail, redelivery));
    }
    await Promise.all(letters);
    if (ready.length === 0) return;
    await this.store.ensurePartitions([...new Set(ready.map((p) => monthOf(p.event.received_at)))]);
    // Issues are locked in one order (fingerprint, then publication) so concurrent batches never deadlock.
    ready.sort(
      (a, b) =>
        a.event.fingerprint.localeCompare(b.event.fingerprint) ||
        a.msg.info.streamSequence - b.msg.info.streamSequence,
    );
    await this.storeBatch(ready, redelivery);
  }

  private prepare(msg: JsMsg): Preparation {
    let decoded: unknown;
    try {
      decoded = decodeJson(msg.data);
    } catch (error) {
      return { ok: false, reason: 'schema', detail: errorMessage(error) };
    }
    const parsed = errorIntakeV1Schema.safeParse(decoded);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
      return { ok: false, reason: 'schema', detail: detail.join('; ') };
    }
    const intake = parsed.data;
    if (msg.subject !== `errors.v1.events.${intake.project_id}`)
      return { ok: false, reason: 'schema', detail: `project_id ${intake.project_id} on ${msg.subject}` };
    const project = this.projects.get(intake.project_id);
    const redactor = this.redactors.of(intake.project_id);
    if (!project || !redactor)
      return {
        ok: false,
        reason: 'unknown_project',
        detail: `project ${intake.project_id} is not configured`,
      };
    try {
      const receivedAt = new Date(intake.received_at);
      const scrubbed = this.pipeline.scrub(intake.event, redactor);
      const group = this.pipeline.group(scrubbed.event);
      const facts = eventFacts(project.id, scrubbed.event, receivedAt);
      const event: StorableEvent = {
        project_id: project.id,
        event_id: intake.event_id,
        received_at: receivedAt,
        occurred_at: facts.occurred_at,
        level: facts.level,
        release: facts.release,
        environment: facts.environment,
        user_hash: facts.user_hash,
        event: scrubbed.event,
        scrub_rules: scrubbed.rules,
        fingerprint: group.fingerprint,
        grouping_version: group.grouping_version,
        title: group.title,
        culprit: group.culprit,
      };
      return { ok: true, prepared: { msg, project, event, facts } };
    } catch (error) {
      return { ok: false, reason: 'unprocessable', detail: errorMessage(error) };
    }
  }

  /**
   * Stores the batch in one transaction and settles every message. An event Postgres refuses rolls back
   * to its savepoint and is dead-lettered after the commit; a failure of the whole transaction
   * (connection lost, deadlock) is retried with the backoff, or held through a Postgres outage.
   */
  private async storeBatch(batch: readonly Prepared[], redelivery: Redelivery): Promise<void> {
    const refused: { prepared: Prepared; detail: string }[] = [];
    let fired: AlertEventV1[] = [];
    try {
      fired = await this.store.transaction(async (writer) => {
        refused.length = 0;
        const alerts: AlertEventV1[] = [];
        for (const prepared of batch) {
          try {
            alerts.push(...(await writer.isolated(() => this.storeOne(writer, prepared))));
          } catch (error) {
            if (!isRefusedData(error)) throw error;
            refused.push({ prepared, detail: errorMessage(error) });
          }
        }
        return alerts;
      });
    } catch (error) {
      return this.batchFailed(batch, error, redelivery);
    }
    const refusedMsgs = new Set(refused.map((r) => r.prepared.msg));
    for (const { msg } of batch) if (!refusedMsgs.has(msg)) msg.ack();
    await Promise.all(
      refused.map((r) => this.deadLetter(r.prepared.msg, 'storage_refused', r.detail, redelivery)),
    );
    for (const alert of fired) await this.publisher.fire(alert);
  }

  /** One event: dedupe, issue upsert and status, event row, alerts to fire (recorded in the same transaction). */
  private async storeOne(writer: EventWriter, { project, event, facts }: Prepared): Promise<AlertEventV1[]> {
    if (!(await writer.claimEventId(event))) return [];
    const { issue, created } = await writer.issueFor(event);
    const outcome = applyEvent(issue, { release: event.release, received_at: event.received_at });
    const newUser = event.user_hash !== null && (await writer.addUser(issue.id, event.user_hash));
    await writer.countEvent(issue.id, event, {
      state: outcome.state,
      regressed: outcome.regressed,
      new_user: newUser,
    });
    await writer.insertEvent(issue.id, event);
    this.stored.inc({ project: project.slug });
    if (created) await writer.recordActivity(issue.id, 'created', event.received_at, null, {});
    if (outcome.regressed)
      await writer.recordActivity(issue.id, 'regressed', event.received_at, null, { release: event.release });
    if (outcome.unignored) await writer.recordActivity(issue.id, 'unignored', event.received_at, null, {});
    return this.alerts.forStoredEvent(writer, {
      project,
      issue: { ...issue, culprit: issue.culprit },
      facts,
      created,
      regressed: outcome.regressed,
      received_at: event.received_at,
    });
  }

  private async batchFailed(
    batch: readonly Prepared[],
    error: unknown,
    redelivery: Redelivery,
  ): Promise<void> {
    const failure = { error: errorMessage(error), batch: batch.length };
    const msgs = batch.map((p) => p.msg);
    const outage = await holdThroughOutage(msgs, {
      reachable: () => this.store.reachable(),
      draining: () => this.lifecycle.isDraining,
      onHold: () =>
        this.logger.error(failure, 'Postgres unreachable: holding the errors batch until it is back'),
    });
    if (outage === 'over') return this.storeBatch(batch, redelivery);
    if (outage === 'draining') {
      for (const msg of msgs) msg.nak();
      return;
    }
    this.logger.error(failure, 'errors batch not stored; retrying');
    const letters: Promise<void>[] = [];
    for (const msg of msgs) {
      if (!redelivery.isFinal(msg)) redelivery.retry(msg);
      else
        letters.push(
          this.deadLetter(
            msg,
            'delivery_limit',
            `not stored after ${msg.info.deliveryCount} deliveries: ${failure.error}`,
            redelivery,
          ),
        );
    }
    await Promise.all(letters);
  }

  /** To ERRORS_DLQ with the reason (bounded by the platform), then acked; retried when NATS refuses. */
  private async deadLetter(
    msg: JsMsg,
    reason: DeadLetterReason,
    detail: string,
    redelivery: Redelivery,
  ): Promise<void> {
    try {
      await this.messaging.deadLetter(errorsDlqSubject(reason), msg, `${reason}: ${detail}`);
      this.rejected.inc({ reason });
      this.logger.warn(
        { reason, subject: msg.subject, stream_seq: msg.info.streamSequence },
        'error event rejected',
      );
    } catch (error) {
      this.logger.error({ reason, error: errorMessage(error) }, 'dead-letter publish failed');
      redelivery.retry(msg);
    }
  }
}

/** The first instant of the event's month, so one partition check covers every event of it. */
function monthOf(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}
