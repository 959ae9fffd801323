import {
  AUDIT_EVENT_MAX_BYTES,
  auditEventV1Schema,
  decodeJson,
  sourceFromAuditSubject,
  type AuditEventV1,
} from '@vigil/contracts';
import { errorMessage } from '@vigil/platform';

export type RejectionReason = 'too_large' | 'not_json' | 'schema' | 'source_mismatch';

export type ValidationResult =
  { ok: true; event: AuditEventV1 } | { ok: false; reason: RejectionReason; detail: string };

function mayContainNul(data: Uint8Array): boolean {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).includes('\\u0000');
}

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
  const parsed = auditEventV1Schema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, reason: 'schema', detail };
  }
  // JSON text can only carry U+0000 as the escape \u0000, so the payload is serialised again to look for
  // it only when those bytes occur at all (the ingest hot path skips that for ordinary events).
  if (mayContainNul(data) && JSON.stringify(parsed.data).includes('\\u0000')) {
    // Postgres jsonb cannot store U+0000; such an event would block the consumer forever.
    return { ok: false, reason: 'schema', detail: 'strings must not contain U+0000' };
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
