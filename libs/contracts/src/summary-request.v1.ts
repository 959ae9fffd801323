import { z } from 'zod';

import { severitySchema } from './alert-event.v1';
import { isoDateTimeSchema } from './iso-datetime';
import { messageJsonSchema } from './json-schema';

/** Request/reply subjects served by audit, alerting and health; all take a SummaryRequestV1. */
export const AUDIT_SUMMARY_SUBJECT = 'audit.v1.summary';
export const ALERTING_SUMMARY_SUBJECT = 'alerting.v1.summary';
export const HEALTH_SUMMARY_SUBJECT = 'health.v1.summary';

export const summaryRequestV1Schema = z
  .strictObject({
    from: isoDateTimeSchema,
    to: isoDateTimeSchema,
    tenant_id: z.string().min(1).optional(),
    severities: z
      .array(severitySchema)
      .min(1)
      .optional()
      .describe(
        `Only alerts of these severities (alerting.v1.summary; audit and health ignore it). Absent: all`,
      ),
  })
  .refine((r) => Date.parse(r.from) <= Date.parse(r.to), {
    message: 'from must not be after to',
    path: ['to'],
  })
  .meta({
    title: 'SummaryRequest v1',
    description: `Request on ${AUDIT_SUMMARY_SUBJECT}, ${ALERTING_SUMMARY_SUBJECT} or ${HEALTH_SUMMARY_SUBJECT}; from <= to.`,
  });

export type SummaryRequestV1 = z.infer<typeof summaryRequestV1Schema>;

export const summaryRequestV1JsonSchema = messageJsonSchema('summary-request.v1', summaryRequestV1Schema);
