import { z } from 'zod';

import { isoDateTimeSchema } from './iso-datetime';
import { messageJsonSchema } from './json-schema';
import { STORABLE_LIMITS, storableString } from './storable';

export const AUDIT_EVENTS_SUBJECT_PREFIX = 'audit.v1.events.';
export const AUDIT_EVENTS_WILDCARD = 'audit.v1.events.>';
/** Largest accepted message (the whole serialized event), enforced by the consumer. */
export const AUDIT_EVENT_MAX_BYTES = 64 * 1024;
export const AUDIT_METADATA_MAX_BYTES = 16 * 1024;

export const ACTOR_TYPES = ['user', 'admin', 'service', 'system'] as const;
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;

const SOURCE_PATTERN = /^[a-z0-9_-]{1,64}$/;
const ACTION_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export const auditSourceSchema = z
  .string()
  .regex(SOURCE_PATTERN, 'source must be 1-64 characters of [a-z0-9_-] (a service name token)');

/** Identifiers and types are indexed: bounded so any two fit one btree entry. */
const indexedText = () => storableString(STORABLE_LIMITS.indexedTextChars).min(1);

function jsonByteLength(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export const auditEventV1Schema = z
  .strictObject({
    id: z.uuid().describe('Idempotency key; also sent as the Nats-Msg-Id header'),
    occurred_at: isoDateTimeSchema,
    source: auditSourceSchema.describe('Publishing service; equals the last token of the subject'),
    tenant_id: indexedText().optional(),
    actor: z.strictObject({
      type: z.enum(ACTOR_TYPES),
      id: indexedText(),
      ip: storableString(64).min(1).optional(),
    }),
    action: z
      .string()
      .max(STORABLE_LIMITS.indexedTextChars)
      .regex(ACTION_PATTERN, 'action must be dot.case, e.g. privacy.settings.updated')
      .describe('dot.case verb phrase, e.g. admin.profile.viewed'),
    resource: z.strictObject({ type: indexedText(), id: indexedText() }),
    outcome: z.enum(AUDIT_OUTCOMES),
    changes: z
      .record(z.string(), z.strictObject({ before: z.unknown(), after: z.unknown() }))
      .optional()
      .describe('Changed fields: { <field>: { before, after } }'),
    metadata: z
      .record(z.string(), z.unknown())
      .refine((value) => jsonByteLength(value) <= AUDIT_METADATA_MAX_BYTES, {
        message: `metadata must serialize to at most ${AUDIT_METADATA_MAX_BYTES} bytes of JSON`,
      })
      .optional()
      .describe(`Free-form object, at most ${AUDIT_METADATA_MAX_BYTES} bytes as JSON`),
    request_id: indexedText().optional(),
    trace_id: indexedText().optional(),
  })
  .meta({
    title: 'AuditEvent v1',
    description: `Published to ${AUDIT_EVENTS_SUBJECT_PREFIX}<source> with header Nats-Msg-Id: <id>; at most ${AUDIT_EVENT_MAX_BYTES} bytes.`,
  });

export type AuditEventV1 = z.infer<typeof auditEventV1Schema>;
export type ActorType = (typeof ACTOR_TYPES)[number];
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const auditEventV1JsonSchema = messageJsonSchema('audit-event.v1', auditEventV1Schema);

/** `audit.v1.events.<source>`; throws when `source` is not a valid subject token. */
export function auditEventSubject(source: string): string {
  if (!SOURCE_PATTERN.test(source)) {
    throw new Error(`invalid audit source "${source}": expected 1-64 characters of [a-z0-9_-]`);
  }
  return `${AUDIT_EVENTS_SUBJECT_PREFIX}${source}`;
}

/** The `<source>` token of `audit.v1.events.<source>`, or `undefined` for any other subject. */
export function sourceFromAuditSubject(subject: string): string | undefined {
  if (!subject.startsWith(AUDIT_EVENTS_SUBJECT_PREFIX)) return undefined;
  const source = subject.slice(AUDIT_EVENTS_SUBJECT_PREFIX.length);
  return SOURCE_PATTERN.test(source) ? source : undefined;
}
