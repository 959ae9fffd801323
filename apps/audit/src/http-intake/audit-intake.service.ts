import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { AccessDenials, errorMessage, mayPublishAs, NatsMessaging, type Principal } from '@vigil/platform';

import { checkEvent, type EventResult, type EventStatus } from './intake-batch';

export const AUDIT_HTTP_INTAKE_EVENTS = 'audit_http_intake_events_total';

/** Who sent a request: the verified key, and where from (for the audit record of a denial). */
export interface IntakePublisher {
  principal: Principal;
  ip?: string;
  /** `POST /audit/v1/events`, as the guard names routes in denials. */
  route: string;
}

const RESULT_LABELS: Record<EventStatus, string> = {
  202: 'accepted',
  400: 'invalid',
  403: 'forbidden',
  409: 'conflict',
  503: 'failed',
};

/**
 * The HTTP door to the AUDIT stream, for publishers without a JetStream client: each event is checked
 * as the ingest consumer will check it, bound to the sources of the publisher's key, and published to
 * `audit.v1.events.<source>` with `Nats-Msg-Id: <id>` (so a resend is stored once) and the request's
 * correlation headers. Resolves once JetStream acknowledged or refused every accepted event.
 */
@Injectable()
export class AuditIntakeService {
  private readonly logger = new Logger(AuditIntakeService.name);

  constructor(
    private readonly messaging: NatsMessaging,
    private readonly denials: AccessDenials,
    @InjectMetric(AUDIT_HTTP_INTAKE_EVENTS) private readonly counted: Counter<'result'>,
  ) {}

  /** One result per event, in the order of `events`. */
  async publish(events: readonly unknown[], publisher: IntakePublisher): Promise<EventResult[]> {
    const forbidden = new Set<string>();
    /** Text of each id's first event in this request: a later copy is the same event or a conflict. */
    const firstText = new Map<string, string>();
    const publishes = new Map<string, Promise<EventResult>>();
    const results = events.map((item): Promise<EventResult> => {
      const checked = checkEvent(item);
      if (!checked.ok) return Promise.resolve(checked.result);
      const { id, subject, event, text } = checked;
      if (!mayPublishAs(publisher.principal, event.source)) {
        forbidden.add(event.source);
        const error = `this API key may not publish as source "${event.source}"`;
        return Promise.resolve({ id, status: 403, error });
      }
      const earlier = firstText.get(id);
      if (earlier !== undefined && earlier !== text) {
        return Promise.resolve({
          id,
          status: 409,
          error: 'id already used by another event in this request',
        });
      }
      firstText.set(id, text);
      const pending = publishes.get(id) ?? this.publishOne(subject, item, id);
      publishes.set(id, pending);
      return pending;
    });
    for (const source of forbidden) this.denySource(publisher, source);
    const settled = await Promise.all(results);
    this.account(settled, publisher.principal.name);
    return settled;
  }

  private async publishOne(subject: string, event: unknown, id: string): Promise<EventResult> {
    try {
      await this.messaging.publish(subject, event, id);
      return { id, status: 202 };
    } catch (error) {
      return { id, status: 503, error: `not stored, retry: ${errorMessage(error)}` };
    }
  }

  private denySource(publisher: IntakePublisher, source: string): void {
    this.denials.record({
      actor: publisher.principal.name,
      ip: publisher.ip,
      route: publisher.route,
      reason: `key may not publish as source "${source}"`,
    });
  }

  /** Counts the results; logs the refused and failed ones by kind (never their content). */
  private account(results: readonly EventResult[], apiKeyName: string): void {
    const counts = new Map<string, number>();
    for (const { status } of results) {
      const label = RESULT_LABELS[status];
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    for (const [result, count] of counts) this.counted.inc({ result }, count);
    if (counts.size === 1 && counts.has('accepted')) return;
    const fields = { api_key_name: apiKeyName, events: results.length, ...Object.fromEntries(counts) };
    if (counts.has('failed')) this.logger.error(fields, 'audit events not acknowledged by JetStream');
    else this.logger.warn(fields, 'audit events refused at the HTTP intake');
  }
}
