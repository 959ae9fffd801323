import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';

import { AUDIT_EVENTS_SUBJECT_PREFIX, type AuditEventV1 } from '@vigil/contracts';
import { redactString } from '@vigil/redaction';

import { validateAuditMessage } from '../ingest/audit-event.validator';

/** Most events one `POST /audit/v1/events` may carry (more: 413, as for alert batches). */
export const MAX_EVENTS_PER_REQUEST = 500;

/**
 * What happened to one event of a request: 202 stored durably in JetStream (or already there), 400
 * invalid, 403 a source the key may not publish as, 409 its id names another event earlier in the same
 * request, 503 JetStream did not acknowledge it (retry).
 */
export type EventStatus = 202 | 400 | 403 | 409 | 503;

export interface EventResult {
  /** The event's `id` as sent, or null when it has none (results keep the order of the request). */
  id: string | null;
  status: EventStatus;
  error?: string;
}

export type CheckedEvent =
  | { ok: true; id: string; subject: string; event: AuditEventV1; text: string }
  | { ok: false; result: EventResult };

/** Ids echoed back are at most this long (a UUID is 36); longer ones are invalid anyway. */
const MAX_ECHOED_ID = 64;

/**
 * The events of a request body: one event, or an array of 1 to MAX_EVENTS_PER_REQUEST. Throws 400 for
 * an empty body (body-parser reads an empty JSON body as `{}`) or an empty array, 413 past the maximum.
 */
export function eventsOf(body: unknown): unknown[] {
  const events = Array.isArray(body) ? body : [body];
  if (events.length === 0 || (events.length === 1 && isEmptyObject(events[0]))) throw noEvent();
  if (events.length > MAX_EVENTS_PER_REQUEST) {
    throw new PayloadTooLargeException({
      message: `at most ${MAX_EVENTS_PER_REQUEST} events per request (got ${events.length}); send smaller batches`,
      details: { max_events: MAX_EVENTS_PER_REQUEST, events: events.length },
    });
  }
  return events;
}

/** The 400 of a request without any event (no body, an empty one, `{}` or `[]`). */
export function noEvent(): BadRequestException {
  return new BadRequestException({
    message: 'request body holds no event: send one AuditEvent v1 or an array of them',
  });
}

/**
 * Checks one event exactly as the ingest consumer will check the message it becomes (the same
 * validator over the same bytes), so an event answered 202 is never dead-lettered as invalid later.
 */
export function checkEvent(item: unknown): CheckedEvent {
  const id = idOf(item);
  const text = JSON.stringify(item) ?? '';
  const source = isRecord(item) && typeof item.source === 'string' ? item.source : '';
  const subject = `${AUDIT_EVENTS_SUBJECT_PREFIX}${source}`;
  const verdict = validateAuditMessage(subject, Buffer.from(text, 'utf8'));
  if (!verdict.ok) {
    return {
      ok: false,
      result: { id, status: 400, error: `${verdict.reason}: ${redactString(verdict.detail)}` },
    };
  }
  return { ok: true, id: verdict.event.id, subject, event: verdict.event, text };
}

/**
 * The status of the whole answer: 202 when every event is stored, 403 when every one was refused for
 * its source, 503 when JetStream acknowledged none, else 207 (results per event; 400s included).
 */
export function batchStatus(results: readonly EventResult[]): 202 | 207 | 403 | 503 {
  const all = (status: EventStatus) => results.every((result) => result.status === status);
  if (all(202)) return 202;
  if (all(403)) return 403;
  if (all(503)) return 503;
  return 207;
}

function idOf(item: unknown): string | null {
  const id = isRecord(item) ? item.id : undefined;
  return typeof id === 'string' && id.length <= MAX_ECHOED_ID ? id : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyObject(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 0;
}
