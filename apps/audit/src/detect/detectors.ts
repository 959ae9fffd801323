import type { AlertEventV1, AuditEventV1, Severity } from '@vigil/contracts';

import type { DetectorRule } from '../config/detector-rules';
import { fieldMatches, settingWord, stateAfter } from './profile-state';

export interface Detection {
  rule: string;
  severity: Severity;
  event: AuditEventV1;
  summary: string;
  /** Extra alert labels that tell detections of one rule apart (e.g. the admin). */
  labels: Record<string, string>;
}

/** Counts an admin's accesses to some resource types in a window ending at `at` (stored events, this one included). */
export type AccessCounter = (
  actorId: string,
  resourceTypes: readonly string[],
  since: Date,
  at: Date,
) => Promise<number>;

function affectedCount(event: AuditEventV1, fields: readonly string[]): number | undefined {
  const metadata = event.metadata ?? {};
  for (const field of fields) {
    const value = metadata[field];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (Array.isArray(value)) return value.length;
  }
  const ids = metadata.record_ids;
  return Array.isArray(ids) ? ids.length : undefined;
}

/** Decides whether one stored event trips a per-event rule (all kinds except access_rate). */
export function detect(rule: DetectorRule, event: AuditEventV1): Detection | null {
  const base = { rule: rule.name, severity: rule.severity, event };
  const who = `${event.actor.type} ${event.actor.id}`;
  switch (rule.kind) {
    case 'field_change': {
      const touched = rule.fields.filter((f) => event.changes?.[f] !== undefined);
      const byActor = !rule.actor_types || rule.actor_types.includes(event.actor.type);
      // One detection however many ways the event matches (by action and by field): one alert.
      if (!rule.actions.includes(event.action) && !(touched.length > 0 && byActor)) return null;
      const what = touched.length > 0 ? `changed ${touched.join(', ')} of` : `${event.action} on`;
      return {
        ...base,
        summary: `${who} ${what} ${event.resource.type} ${event.resource.id}`,
        labels: { actor_id: event.actor.id },
      };
    }
    case 'bulk_threshold': {
      if (event.action !== rule.action) return null;
      const count = affectedCount(event, rule.count_fields);
      if (count === undefined || count <= rule.threshold) return null;
      return {
        ...base,
        summary: `${who} ran a bulk action on ${count} records (threshold ${rule.threshold})`,
        labels: { actor_id: event.actor.id },
      };
    }
    case 'access_rate':
      return null; // evaluated per batch: detectAccessRate
    case 'contradictory_privacy': {
      const publicSections = contradictions(rule, event);
      if (publicSections.length === 0) return null;
      return {
        ...base,
        summary: `${event.resource.type} ${event.resource.id} saved private with public sections: ${publicSections.join(', ')}`,
        labels: { resource_id: event.resource.id },
      };
    }
  }
}

/**
 * The public sections of a profile that an event leaves private: read from its state after the change
 * (`changes[f].after`, else `metadata.state`), values normalised. Only events that change a field of
 * the rule, or carry one of its actions, are privacy saves; a view or an unrelated edit says nothing.
 */
function contradictions(
  rule: Extract<DetectorRule, { kind: 'contradictory_privacy' }>,
  event: AuditEventV1,
): string[] {
  const isPublicField = (name: string) =>
    name !== rule.private_field && rule.public_fields.some((p) => fieldMatches(p, name));
  const changed = Object.keys(event.changes ?? {});
  const isSave =
    rule.actions.includes(event.action) ||
    changed.some((name) => name === rule.private_field || isPublicField(name));
  if (!isSave) return [];
  const state = stateAfter(event);
  const words = (values: readonly unknown[]) => new Set(values.map(settingWord));
  if (!words(rule.private_values).has(settingWord(state[rule.private_field]))) return [];
  const publicWords = words(rule.public_values);
  return Object.keys(state).filter(
    (name) => isPublicField(name) && publicWords.has(settingWord(state[name])),
  );
}

/** Admin accesses to the rule's resource types in a batch of stored events. */
export function sensitiveAccesses(
  rule: Extract<DetectorRule, { kind: 'access_rate' }>,
  events: readonly AuditEventV1[],
): AuditEventV1[] {
  return events.filter((e) => e.actor.type === 'admin' && rule.resource_types.includes(e.resource.type));
}

/**
 * access_rate over a batch of newly stored events: per admin, fires once when the batch takes the
 * admin's count in the window (stored events, this batch included) past the threshold.
 */
export async function detectAccessRate(
  rule: Extract<DetectorRule, { kind: 'access_rate' }>,
  events: readonly AuditEventV1[],
  countAccesses: AccessCounter,
): Promise<Detection[]> {
  const byAdmin = new Map<string, AuditEventV1[]>();
  for (const event of sensitiveAccesses(rule, events)) {
    byAdmin.set(event.actor.id, [...(byAdmin.get(event.actor.id) ?? []), event]);
  }
  const detections: Detection[] = [];
  for (const [actorId, accesses] of byAdmin) {
    const last = accesses.reduce((a, b) => (Date.parse(b.occurred_at) > Date.parse(a.occurred_at) ? b : a));
    const at = new Date(last.occurred_at);
    const since = new Date(at.getTime() - rule.window_minutes * 60_000);
    const count = await countAccesses(actorId, rule.resource_types, since, at);
    if (count <= rule.threshold || count - accesses.length > rule.threshold) continue;
    detections.push({
      rule: rule.name,
      severity: rule.severity,
      event: last,
      summary: `admin ${actorId} accessed ${rule.resource_types.join('/')} records ${count} times in ${rule.window_minutes} min (threshold ${rule.threshold})`,
      labels: { actor_id: actorId },
    });
  }
  return detections;
}

/** The AlertEvent v1 a detection is published as. */
export function alertOf(detection: Detection): AlertEventV1 {
  return {
    labels: {
      alertname: detection.rule,
      severity: detection.severity,
      service: 'audit',
      source: detection.event.source,
      ...detection.labels,
    },
    annotations: {
      summary: detection.summary,
      event_id: detection.event.id,
      action: detection.event.action,
    },
    startsAt: new Date(detection.event.occurred_at).toISOString(),
  };
}
