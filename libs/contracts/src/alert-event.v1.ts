import { z } from 'zod';

import { isoDateTimeSchema } from './iso-datetime';
import { messageJsonSchema } from './json-schema';
import { storableString } from './storable';

export const ALERT_FIRED_SUBJECT = 'alerts.v1.fired';
export const ALERT_RESOLVED_SUBJECT = 'alerts.v1.resolved';
export const ALERTS_WILDCARD = 'alerts.v1.>';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Priority = 'P1' | 'P2' | 'P3';

export const severitySchema = z.enum(SEVERITIES);

/** P1 = critical, P2 = high, P3 = medium or low. */
export function priorityOf(severity: Severity): Priority {
  switch (severity) {
    case 'critical':
      return 'P1';
    case 'high':
      return 'P2';
    case 'medium':
    case 'low':
      return 'P3';
  }
}

/** Longest label value and annotation value, in UTF-16 units (labels are indexed and hashed). */
export const ALERT_LABEL_VALUE_MAX_CHARS = 2048;
export const ALERT_ANNOTATION_VALUE_MAX_CHARS = 16 * 1024;

const labelValue = () => storableString(ALERT_LABEL_VALUE_MAX_CHARS);

/** Alertmanager-shaped alert; extra top-level fields (status, fingerprint, ...) are dropped. */
export const alertEventV1Schema = z
  .object({
    labels: z
      .object({ alertname: labelValue().min(1), severity: severitySchema, service: labelValue().min(1) })
      .catchall(labelValue()),
    annotations: z.record(storableString(256), storableString(ALERT_ANNOTATION_VALUE_MAX_CHARS)).default({}),
    startsAt: isoDateTimeSchema,
    endsAt: isoDateTimeSchema.optional(),
    generatorURL: z.url().optional(),
  })
  .meta({
    title: 'AlertEvent v1',
    description: `Published to ${ALERT_FIRED_SUBJECT} or ${ALERT_RESOLVED_SUBJECT}.`,
  });

export type AlertEventV1 = z.infer<typeof alertEventV1Schema>;

export const alertEventV1JsonSchema = messageJsonSchema('alert-event.v1', alertEventV1Schema);
