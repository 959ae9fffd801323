import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { decodeJson, errorIntakeV1Schema, errorsDlqSubject, type AlertEventV1 } from '@vigil/contracts';
import {
  EventLoopSlice,
  errorMessage,
  holdThroughOutage,
  isRefusedData,
  LifecycleState,
  NatsMessaging,
  Redelivery,
} from '@vigil/platform';

import { IssueAlertsPublisher } from '../alerts/issue-alerts.publisher';
import { IssueAlerts, type StoredEventsContext } from '../alerts/issue-alerts';
import { ERRORS_PROJECTS, type ErrorsProject } from '../config/projects-config';
import { applyEvents } from '../issues/issue-batch';
import type { IssueRow } from '../storage/issue-row';
import {
  ErrorEventStore,
  type EventWriter,
  IssueMovedError,
  type StorableEvent,
  storableEventJson,
} from '../storage/error-event.store';
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

/** Immediate retries of a batch whose issue a merge moved meanwhile (then the usual backoff). */
const MAX_MOVED_RETRIES = 3;

/** Longest stretch of scrubbing before the event loop gets a turn. */
const YIELD_AFTER_MS = 4;

interface Prepared {
  msg: JsMsg;
  project: ErrorsProject;
  event: StorableEvent;
  facts: EventFacts;
}

type Preparation = { ok: true; prepared: Prepared } | { ok: false; reason: DeadLetterReason; detail: string };

/**
 * Turns a fetched batch of ErrorIntake messages into stored events: decode, scrub with the project's
 * redactor, group, then one transaction for the batch (a refused batch is split in halves until the
 * refused event is alone) in which every event claims its (project, event_id) (a redelivery or an SDK
 * retry stores nothing twice) and is inserted under its issue, whose counts, users, breakdowns and
 * status are then updated with the issue row locked. Batches store concurrently. Messages are acked
 * after the commit; alerts are published after it too. A message that cannot be an event, or that
 * Postgres refuses, goes to ERRORS_DLQ with its reason; the consumer never stops.
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
    // Scrubbing a batch takes tens of milliseconds: the intake shares this event loop, so it gets a
    // turn every few milliseconds instead of waiting for the whole batch (its answers' p99).
    const slice = new EventLoopSlice(YIELD_AFTER_MS);
    for (const msg of messages) {
      await slice.yieldIfDue();
      const result = this.prepare(msg);
      if (result.ok) ready.push(result.prepared);
      else letters.push(this.deadLetter(msg, result.reason, result.detail, redelivery));
    }
    await Promise.all(letters);
    if (ready.length === 0) return;
    await this.store.ensurePartitions(
      [...new Set(ready.map((p) => monthOf(p.event.received_at).getTime()))].map((t) => new Date(t)),
    );
    await this.store.recordGroupingVersions(
      new Map(ready.map((p) => [p.project.id, p.event.grouping_version])),
    );
    // New issues are created in one order (fingerprint, then publication) so concurrent batches never
    // deadlock; an issue's events keep their publication order.
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
    const scrubbing = this.redactors.of(intake.project_id);
    if (!project || !scrubbing)
      return {
        ok: false,
        reason: 'unknown_project',
        detail: `project ${intake.project_id} is not configured`,
      };
    try {
      const receivedAt = new Date(intake.received_at);
      const scrubbed = this.pipeline.scrub(intake.event, scrubbing);
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
        event_json: storableEventJson(scrubbed.event),
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
   * Stores the batch in one transaction, acks it, then publishes its alerts. When Postgres refuses the
   * content, the batch is split in halves (in order) until the refused event is alone and dead-lettered,
   * so its neighbours commit (about 2·log2(n) transactions per poison event); other failures
   * (connection lost, deadlock) are retried with the backoff, or held through a Postgres outage.
   */
  private async storeBatch(batch: readonly Prepared[], redelivery: Redelivery, moves = 0): Promise<void> {
    let written: { alerts: AlertEventV1[]; stored: readonly Prepared[] };
    try {
      written = await this.store.transaction((writer) => this.write(writer, batch));
    } catch (error) {
      // An issue merged while the batch was written: at once again, into where it went now.
      if (error instanceof IssueMovedError && moves < MAX_MOVED_RETRIES)
        return this.storeBatch(batch, redelivery, moves + 1);
      if (!isRefusedData(error)) return this.batchFailed(batch, error, redelivery);
      if (batch.length === 1)
        return this.deadLetter(batch[0].msg, 'storage_refused', errorMessage(error), redelivery);
      const half = Math.ceil(batch.length / 2);
      await this.storeBatch(batch.slice(0, half), redelivery);
      return this.storeBatch(batch.slice(half), redelivery);
    }
    for (const { msg } of batch) msg.ack();
    for (const { project } of written.stored) this.stored.inc({ project: project.slug });
    for (const alert of written.alerts) await this.publisher.fire(alert);
  }

  /**
   * The batch's statements: claim the event ids (what was stored before is skipped); find or create
   * each fingerprint's issue (no lock) and insert the events (one statement for the batch); then lock
   * the issues (in id order, so concurrent batches never wait in a cycle), take their status through
   * their events, count them and their users, record activity (one statement each); decide the alerts.
   * Issue rows are locked only for that last, short part: batches store side by side.
   */
  private async write(
    writer: EventWriter,
    batch: readonly Prepared[],
  ): Promise<{ alerts: AlertEventV1[]; stored: readonly Prepared[] }> {
    const claimed = await writer.claimEventIds(batch.map((p) => p.event));
    const fresh = batch.filter((p) => claimed.delete(`${p.event.project_id}:${p.event.event_id}`));
    const byIssueKey = new Map<string, Prepared[]>();
    for (const prepared of fresh) {
      const { project_id, grouping_version, fingerprint } = prepared.event;
      const key = `${project_id}\u0000${grouping_version}\u0000${fingerprint}`;
      byIssueKey.set(key, [...(byIssueKey.get(key) ?? []), prepared]);
    }
    const groups = [...byIssueKey.values()];
    // The events first, with no issue locked: the bulk of the work of concurrent batches overlaps.
    const targets = await writer.issueTargets(groups.map((group) => group[0].event));
    await writer.insertEvents(
      groups.flatMap((group, n) => group.map(({ event }) => ({ issue_id: targets[n].id, event }))),
    );
    // Then the issues, locked for the few statements left before the commit.
    const locked = await writer.lockIssues(targets.map((target) => target.id));
    const touched: { context: Omit<StoredEventsContext, 'issue'>; issue: IssueRow }[] = [];
    const counted: Parameters<EventWriter['countEvents']>[0][number][] = [];
    const activity: Parameters<EventWriter['recordActivities']>[0][number][] = [];
    for (const [n, group] of groups.entries()) {
      const first = group[0].event;
      const last = group[group.length - 1];
      const { id, created } = targets[n];
      // A copy per group: two fingerprints merged into one issue each apply their events to it.
      const issue = { ...(locked.get(id) as IssueRow) };
      const outcome = applyEvents(
        issue,
        group.map((p) => p.event),
      );
      const users = group.flatMap((p) => (p.event.user_hash === null ? [] : [p.event.user_hash]));
      counted.push({ issue_id: issue.id, counts: outcome.counts, user_hashes: users });
      const rowsOf = (kind: string, times: readonly Date[]) =>
        times.map((time) => ({ issue_id: issue.id, kind, at: time, details: {} }));
      activity.push(
        ...rowsOf('created', created ? [first.received_at] : []),
        ...rowsOf('regressed', outcome.regressions),
        ...rowsOf('unignored', outcome.unignored),
      );
      touched.push({
        issue,
        context: {
          project: group[0].project,
          facts: last.facts,
          events: group.length,
          created_at: created ? first.received_at : null,
          regressed_at: outcome.counts.regressed_at,
          last_at: outcome.counts.last_seen,
        },
      });
    }
    await writer.countEvents(counted);
    await writer.recordActivities(activity);
    const alerts: AlertEventV1[] = [];
    for (const { issue, context } of touched)
      alerts.push(...(await this.alerts.forStoredEvents(writer, { ...context, issue })));
    return { alerts, stored: fresh };
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
