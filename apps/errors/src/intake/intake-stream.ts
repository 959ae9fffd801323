import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import {
  type CheckInV1,
  errorIntakeMsgId,
  ERROR_INTAKE_MAX_BYTES,
  errorsDlqSubject,
  errorsEventSubject,
  HEALTH_CHECKINS_SUBJECT,
} from '@vigil/contracts';
import { correlationHeaders, NatsMessaging } from '@vigil/platform';

/** Room under the server's max_payload for the headers the client adds (ids, traceparent). */
const HEADER_ROOM_BYTES = 4096;

const encoder = new TextEncoder();

export interface DeadItem {
  /** Subject token: `envelope_malformed`, `event_json`, `event_invalid`, `check_in_invalid`. */
  reason: string;
  /** The reason for a person, e.g. the parser's message (never the item's content). */
  detail: string;
  data: Uint8Array;
  /** `POST /api/1/envelope/`. */
  origin: string;
  /** `http:<request id>[:item:<n>]`. */
  reference: string;
}

/** The intake's writes to JetStream; every one resolves only once the stream acknowledged it. */
@Injectable()
export class IntakeStream {
  constructor(private readonly messaging: NatsMessaging) {}

  /** Largest serialized ErrorIntake message: the contract's limit, or less under a smaller max_payload. */
  maxEventMessageBytes(): number {
    return Math.min(ERROR_INTAKE_MAX_BYTES, this.messaging.maxPayload() - HEADER_ROOM_BYTES);
  }

  /** Publishes an ErrorIntake v1 message (already serialized); `duplicate` when the stream had the id. */
  async publishEvent(
    projectId: string,
    eventId: string,
    message: Uint8Array,
  ): Promise<{ duplicate: boolean }> {
    const ack = await this.messaging.js.publish(errorsEventSubject(projectId), message, {
      msgID: errorIntakeMsgId(projectId, eventId),
      headers: correlationHeaders(),
    });
    return { duplicate: ack.duplicate };
  }

  /** Publishes a CheckIn v1 to the HEALTH stream; a retried check-in (same id and status) is stored once. */
  async publishCheckIn(checkIn: CheckInV1): Promise<{ duplicate: boolean }> {
    const ack = await this.messaging.js.publish(
      HEALTH_CHECKINS_SUBJECT,
      encoder.encode(JSON.stringify(checkIn)),
      {
        msgID: `${checkIn.project_id}:${checkIn.check_in_id}:${checkIn.status}`,
        headers: correlationHeaders(),
      },
    );
    return { duplicate: ack.duplicate };
  }

  /** Sends refused bytes to `errors.v1.dlq.<reason>` with the reason (bounded, see deadLetterOf). */
  async deadLetter(item: DeadItem): Promise<void> {
    await this.messaging.deadLetterBytes(
      errorsDlqSubject(item.reason),
      // Request ids may come from the client: the random part keeps two requests' dead letters apart.
      {
        data: item.data,
        origin: item.origin,
        reference: item.reference,
        msgId: `dlq:${item.reference}:${randomUUID()}`,
      },
      `${item.reason}: ${item.detail}`,
    );
  }
}
