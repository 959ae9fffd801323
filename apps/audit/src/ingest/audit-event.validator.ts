import {
  AUDIT_EVENT_MAX_BYTES,
  auditEventV1Schema,
  decodeJson,
  findUnstorable,
  sourceFromAuditSubject,
  STORABLE_LIMITS,
  type AuditEventV1,
} from '@vigil/contracts';
import { errorMessage } from '@vigil/platform';

export type RejectionReason = 'too_large' | 'not_json' | 'schema' | 'source_mismatch';

export type ValidationResult =
  { ok: true; event: AuditEventV1 } | { ok: false; reason: RejectionReason; detail: string };

/**
 * The shape every stored event keeps unchanged: the redactor walks 32 levels and 1,000 keys, Postgres
 * refuses NUL and lone surrogates; an event outside it is rejected, never stored altered.
 */
const EVENT_SHAPE = { maxDepth: STORABLE_LIMITS.jsonDepth, maxEntries: STORABLE_LIMITS.jsonEntries };

/** Decides whether a raw message on `subject` is a storable AuditEvent v1, and why not. */
export function validateAuditMessage(subject: string, data: Uint8Array): ValidationResult {
  if (data.byteLength > AUDIT_EVENT_MAX_BYTES) {
    return {
      ok: false,
      reason: 'too_large',
      detail: `${data.byteLength} bytes exceeds ${AUDIT_EVENT_MAX_BYTES}`,
    };
  }
  let json: unknown;
  try {
    json = decodeJson(data);
  } catch (error) {
    return { ok: false, reason: 'not_json', detail: errorMessage(error) };
  }
  // Before the schema: zod's records would drop a `__proto__` key, and the schema's refinements would
  // serialise a hostile depth; this walk is iterative and stops at the first problem.
  const unstorable = findUnstorable(json, EVENT_SHAPE);
  if (unstorable) return { ok: false, reason: 'schema', detail: `${unstorable.path}: ${unstorable.message}` };
  const parsed = auditEventV1Schema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, reason: 'schema', detail };
  }
  const subjectSource = sourceFromAuditSubject(subject);
  if (parsed.data.source !== subjectSource) {
    return {
      ok: false,
      reason: 'source_mismatch',
      detail: `source "${parsed.data.source}" does not match subject token "${subjectSource ?? ''}"`,
    };
  }
  return { ok: true, event: parsed.data };
}
