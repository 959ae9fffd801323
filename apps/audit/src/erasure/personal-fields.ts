import type { AuditEventV1 } from '@vigil/contracts';

import type { ErasurePolicy, RetentionRule } from '../config/erasure-policy';
import {
  columnToken,
  ERASED,
  isEnvelope,
  sealValue,
  envelopeKeyId,
  openValue,
  type DataKey,
} from '../model/field-cipher';

/**
 * Which key seals a field: the data subject's, in a bucket. Bucket '' is the subject's own key (destroyed
 * only by an erase request); `<rule>/<YYYY-MM-DD>` is the key of the events an erase rule matched on that
 * day (UTC, of occurred_at), destroyed by retention keep_days later, or with the subject.
 */
export interface KeyScope {
  subject: string;
  bucket: string;
  rule: string | null;
  day: string | null;
}

/** One field to seal: its path in the event and the key scope it is sealed under. */
export interface SealTarget {
  path: readonly string[];
  scope: KeyScope;
}

export const scopeKey = (subject: string, bucket: string) => `${bucket}\u0000${subject}`;

function matches(patterns: readonly string[] | undefined, value: string): boolean {
  if (patterns === undefined) return true;
  return patterns.some((p) => (p.endsWith('*') ? value.startsWith(p.slice(0, -1)) : value === p));
}

/** The first erase rule whose match holds for the event, if any. */
export function eraseRuleOf(event: AuditEventV1, rules: readonly RetentionRule[]): RetentionRule | undefined {
  return rules.find(
    (r) =>
      matches(r.match.action, event.action) &&
      matches(r.match.resource_type, event.resource.type) &&
      matches(r.match.source, event.source),
  );
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The personal fields of an event under the policy, each with the subject whose key seals it. */
export function sealTargets(event: AuditEventV1, policy: ErasurePolicy): SealTarget[] {
  const fields = policy.personalFields(event.source);
  const rule = eraseRuleOf(event, policy.eraseRules);
  const day = rule ? new Date(event.occurred_at).toISOString().slice(0, 10) : null;
  const scope = (subject: string): KeyScope => ({
    subject,
    bucket: rule ? `${rule.name}/${day}` : '',
    rule: rule?.name ?? null,
    day,
  });
  const targets: SealTarget[] = [];
  const add = (path: string[], subject: string) => {
    const value = valueAt(event, path);
    if (value !== undefined && value !== null && !isEnvelope(value))
      targets.push({ path, scope: scope(subject) });
  };
  const actorSubject = fields.actor_types.includes(event.actor.type) ? event.actor.id : undefined;
  const resourceSubject = fields.resource_types.includes(event.resource.type) ? event.resource.id : undefined;
  if (actorSubject !== undefined) {
    add(['actor', 'id'], actorSubject);
    add(['actor', 'ip'], actorSubject);
  }
  if (resourceSubject !== undefined) add(['resource', 'id'], resourceSubject);
  // Personal data in metadata and changes belongs to the event's subject: the person whose record it is,
  // else the person who acted. An event with neither keeps them as published (redacted at ingest).
  const subject = resourceSubject ?? actorSubject;
  if (subject !== undefined && event.metadata !== undefined) {
    for (const field of fields.metadata) add(['metadata', ...field.split('.')], subject);
  }
  if (subject !== undefined && event.changes !== undefined) {
    for (const field of fields.changes) {
      add(['changes', ...field.split('.'), 'before'], subject);
      add(['changes', ...field.split('.'), 'after'], subject);
    }
  }
  if (event.metadata === undefined) return targets;
  for (const field of fields.metadata_subject_ids) {
    const path = ['metadata', ...field.split('.')];
    const value = valueAt(event, path);
    if (typeof value === 'string' && value.length > 0) add(path, value);
  }
  return targets;
}

/** The associated data of a sealed field: its path in the event. */
const associated = (path: readonly string[]) => path.join('.');

/** A copy of `root` with the value at `path` replaced (only the objects along the path are copied). */
function replaced(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const node = root as Record<string, unknown>;
  return { ...node, [path[0]]: replaced(node[path[0]], path.slice(1), value) };
}

/** The event with each target sealed under its scope's key (`keyOf` has every key the targets need). */
export function sealEvent(
  event: AuditEventV1,
  targets: readonly SealTarget[],
  keyOf: (scope: KeyScope) => DataKey,
): AuditEventV1 {
  let sealed: unknown = event;
  for (const { path, scope } of targets) {
    const envelope = sealValue(keyOf(scope), associated(path), valueAt(event, path));
    sealed = replaced(sealed, path, envelope);
  }
  return sealed as AuditEventV1;
}

/** Key ids of every envelope in a stored event. */
export function sealedKeyIds(event: unknown, into: Set<string> = new Set()): Set<string> {
  if (isEnvelope(event)) {
    const keyId = envelopeKeyId(event);
    if (keyId !== null) into.add(keyId);
  } else if (Array.isArray(event)) for (const item of event) sealedKeyIds(item, into);
  else if (event !== null && typeof event === 'object') {
    for (const value of Object.values(event)) sealedKeyIds(value, into);
  }
  return into;
}

/**
 * The stored event as readers see it: every envelope opened with its key, or `[ERASED]` when the key
 * was destroyed (`keys` has no entry for it). Throws when an envelope does not open under its key
 * (a tampered or moved field): reads never show a forged value.
 */
export function openEvent<T>(stored: T, keys: ReadonlyMap<string, DataKey>): T {
  const open = (node: unknown, path: string[]): unknown => {
    if (isEnvelope(node)) {
      const keyId = envelopeKeyId(node);
      const key = keyId === null ? undefined : keys.get(keyId);
      return key ? openValue(key, associated(path), node) : ERASED;
    }
    if (Array.isArray(node)) return node.map((item, i) => open(item, [...path, String(i)]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, open(v, [...path, k])]));
    }
    return node;
  };
  return open(stored, []) as T;
}

/**
 * The stored event with sealed actor and resource ids shown as their column tokens (`vigil-enc:v1:<key_id>`),
 * as detectors see it: alerts and detections name a sealed person by that token (short, stable per key,
 * meaningless once erased), never by the plaintext and never by the ciphertext.
 */
export function withIdTokens(event: AuditEventV1): AuditEventV1 {
  if (!isEnvelope(event.actor.id) && !isEnvelope(event.resource.id)) return event;
  return {
    ...event,
    actor: { ...event.actor, id: columnToken(event.actor.id) },
    resource: { ...event.resource, id: columnToken(event.resource.id) },
  };
}
