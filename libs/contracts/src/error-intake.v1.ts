import { z } from 'zod';

import { isoDateTimeSchema } from './iso-datetime';
import { messageJsonSchema } from './json-schema';

export const ERRORS_EVENTS_SUBJECT_PREFIX = 'errors.v1.events.';
export const ERRORS_EVENTS_WILDCARD = 'errors.v1.events.>';
/**
 * Largest serialized ErrorIntake message (1016 KiB). The intake refuses bigger events with 413 before
 * publishing; it stays under NATS max_payload (1 MiB in docker/nats.conf and k8s/) with room for headers.
 */
export const ERROR_INTAKE_MAX_BYTES = 1024 * 1024 - 8 * 1024;

const PROJECT_ID = /^[1-9][0-9]{0,9}$/;

/** `errors.v1.events.<project_id>`: one accepted Sentry event of that project. */
export function errorsEventSubject(projectId: string): string {
  if (!PROJECT_ID.test(projectId)) throw new Error(`invalid project id "${projectId}": expected digits`);
  return `${ERRORS_EVENTS_SUBJECT_PREFIX}${projectId}`;
}

/** `Nats-Msg-Id` of an event: an SDK retry of the same event_id is dropped by the ERRORS stream. */
export function errorIntakeMsgId(projectId: string, eventId: string): string {
  return `${projectId}:${eventId}`;
}

export const errorIntakeV1Schema = z
  .strictObject({
    project_id: z
      .string()
      .regex(PROJECT_ID)
      .describe('The DSN project id; equals the last token of the subject'),
    event_id: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .describe('32 lowercase hex characters; also event.event_id; with project_id the Nats-Msg-Id'),
    received_at: isoDateTimeSchema.describe('When the intake accepted the event'),
    item_type: z.literal('event'),
    client_ip: z.string().min(1).max(64).optional().describe('The sender address, for policies that keep it'),
    event: z
      .record(z.string(), z.unknown())
      .describe('The Sentry event JSON as the SDK sent it (not yet scrubbed: the consumer scrubs it)'),
  })
  .meta({
    title: 'ErrorIntake v1',
    description: `Published to ${ERRORS_EVENTS_SUBJECT_PREFIX}<project_id> with Nats-Msg-Id <project_id>:<event_id>; at most ${ERROR_INTAKE_MAX_BYTES} bytes serialized.`,
  });

export type ErrorIntakeV1 = z.infer<typeof errorIntakeV1Schema>;

export const errorIntakeV1JsonSchema = messageJsonSchema('error-intake.v1', errorIntakeV1Schema);
