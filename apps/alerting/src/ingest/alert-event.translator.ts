import {
  ALERT_FIRED_SUBJECT,
  ALERT_RESOLVED_SUBJECT,
  alertEventV1Schema,
  decodeJson,
  findUnstorable,
} from '@vigil/contracts';

import type { IncomingAlert } from '../model/alert';
import { errorMessage } from '@vigil/platform';

export type TranslationResult =
  | { ok: true; alert: IncomingAlert }
  | { ok: false; reason: 'not_json' | 'schema' | 'subject'; detail: string };

/**
 * Turns an AlertEvent v1 message into the pipeline's input. On `alerts.v1.resolved` a missing endsAt
 * means "resolved now"; on `alerts.v1.fired` it means "firing until the resolve timeout", as over HTTP.
 */
export function translateAlertMessage(subject: string, data: Uint8Array, now: Date): TranslationResult {
  if (subject !== ALERT_FIRED_SUBJECT && subject !== ALERT_RESOLVED_SUBJECT) {
    return { ok: false, reason: 'subject', detail: `no alert events are expected on ${subject}` };
  }
  let json: unknown;
  try {
    json = decodeJson(data);
  } catch (error) {
    return { ok: false, reason: 'not_json', detail: errorMessage(error) };
  }
  // Before the schema, whose records would drop a `__proto__` key instead of refusing it.
  const unstorable = findUnstorable(json, { maxDepth: 4, maxEntries: 1000 });
  if (unstorable) return { ok: false, reason: 'schema', detail: `${unstorable.path}: ${unstorable.message}` };
  const parsed = alertEventV1Schema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, reason: 'schema', detail };
  }
  const event = parsed.data;
  const endsAt = event.endsAt ? new Date(event.endsAt) : subject === ALERT_RESOLVED_SUBJECT ? now : undefined;
  return {
    ok: true,
    alert: {
      labels: Object.fromEntries(Object.entries(event.labels).filter(([, value]) => value !== '')),
      annotations: event.annotations,
      startsAt: new Date(event.startsAt),
      endsAt,
      generatorURL: event.generatorURL,
    },
  };
}
