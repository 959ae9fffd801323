import { isUtf8 } from 'node:buffer';

import { type CheckInV1, checkInV1Schema, type ErrorIntakeV1 } from '@vigil/contracts';

import { jsonObject } from './envelope';
import { newEventId, normaliseEventId } from './event-id';

/** Relay's default max_check_in_size: a check-in is a few hundred bytes. */
export const CHECK_IN_MAX_BYTES = 100 * 1024;

const encoder = new TextEncoder();

export interface ItemContext {
  projectId: string;
  receivedAt: string;
  clientIp?: string;
  /** The envelope header's event_id, for an event item without one. */
  envelopeEventId?: unknown;
}

export interface ItemLimits {
  /** An event payload (decompressed). */
  maxEventBytes: number;
  /** The serialized ErrorIntake message that carries it. */
  maxMessageBytes: number;
}

export type PreparedItem =
  | { kind: 'event'; eventId: string; message: Uint8Array }
  | { kind: 'check_in'; checkIn: CheckInV1 }
  | { kind: 'invalid'; reason: 'event_json' | 'event_invalid' | 'check_in_invalid'; detail: string }
  | { kind: 'too_large'; limitBytes: number };

/**
 * An `event` item (or a /store/ body) as the ErrorIntake v1 message to publish: a JSON object whose
 * `event_id` (filled when missing, dashes removed) becomes the message's and the stream's dedupe key.
 */
export function prepareEvent(payload: Buffer, context: ItemContext, limits: ItemLimits): PreparedItem {
  if (payload.length > limits.maxEventBytes) return { kind: 'too_large', limitBytes: limits.maxEventBytes };
  const event = jsonObject(payload);
  if (event === null)
    return { kind: 'invalid', reason: 'event_json', detail: 'the event is not a JSON object' };
  const given = event.event_id;
  let eventId: string | null;
  if (given === undefined || given === null) {
    eventId = normaliseEventId(context.envelopeEventId) ?? newEventId();
  } else {
    eventId = normaliseEventId(given);
    if (eventId === null) {
      return {
        kind: 'invalid',
        reason: 'event_invalid',
        detail: 'event_id must be 32 hex characters or a UUID',
      };
    }
  }
  const envelope: Omit<ErrorIntakeV1, 'event'> = {
    project_id: context.projectId,
    event_id: eventId,
    received_at: context.receivedAt,
    item_type: 'event',
    ...(context.clientIp === undefined ? {} : { client_ip: context.clientIp }),
  };
  const bytes =
    given === eventId && isUtf8(payload)
      ? splicedMessage(envelope, payload)
      : encoder.encode(JSON.stringify({ ...envelope, event: { ...event, event_id: eventId } }));
  // Re-encoding can grow a payload (bytes that were not UTF-8 become U+FFFD): the message is what counts.
  if (bytes.length > limits.maxMessageBytes) return { kind: 'too_large', limitBytes: limits.maxEventBytes };
  return { kind: 'event', eventId, message: bytes };
}

/**
 * The message with the payload spliced in as its `event`, byte for byte: when the payload is UTF-8
 * JSON whose event_id is already the message's, encoding the parsed event again would give the same
 * object to the consumer at the cost of a second serialisation (a 46 KB event: about 0.2 ms).
 */
function splicedMessage(envelope: Omit<ErrorIntakeV1, 'event'>, payload: Buffer): Buffer {
  const head = JSON.stringify(envelope);
  return Buffer.concat([Buffer.from(`${head.slice(0, -1)},"event":`), payload, CLOSE_BRACE]);
}

const CLOSE_BRACE = Buffer.from('}');

/** A `check_in` item (Sentry Crons) as a CheckIn v1 heartbeat for health. */
export function prepareCheckIn(payload: Buffer, context: ItemContext): PreparedItem {
  if (payload.length > CHECK_IN_MAX_BYTES) return { kind: 'too_large', limitBytes: CHECK_IN_MAX_BYTES };
  const item = jsonObject(payload);
  if (item === null)
    return { kind: 'invalid', reason: 'check_in_invalid', detail: 'the check-in is not a JSON object' };
  const candidate = {
    project_id: context.projectId,
    check_in_id: normaliseEventId(item.check_in_id) ?? item.check_in_id,
    monitor_slug: item.monitor_slug,
    status: item.status,
    ...(item.duration === undefined || item.duration === null ? {} : { duration_s: item.duration }),
    ...(item.environment === undefined || item.environment === null ? {} : { environment: item.environment }),
    received_at: context.receivedAt,
  };
  const parsed = checkInV1Schema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.map(String).join('.') || 'check-in';
    return { kind: 'invalid', reason: 'check_in_invalid', detail: `${field}: ${issue.message}` };
  }
  return { kind: 'check_in', checkIn: parsed.data };
}
