import { z } from 'zod';

import { targetStatusSchema } from './health-status-changed.v1';
import { isoDateTimeSchema } from './iso-datetime';
import { messageJsonSchema } from './json-schema';

const count = z.int().nonnegative();
const counts = z.record(z.string(), count);

export const auditSummaryReplyV1Schema = z
  .object({
    from: isoDateTimeSchema,
    to: isoDateTimeSchema,
    total_events: count,
    by_action: counts,
    by_outcome: counts,
    admin_activity: counts.optional().describe('Events by admin actor id'),
    privacy_changes: count.optional().describe('privacy.* events'),
    sensitive_access: counts
      .optional()
      .describe('Admin accesses to sensitive records (wallet, KYC), by admin actor id'),
    detections: counts.optional().describe('Detector rule matches, by rule name'),
    checkpoints: z
      .array(
        z.object({
          category: z.string().min(1).describe('The log (audit category)'),
          size: count.describe('Leaves in the tree the checkpoint commits to'),
          root_hash: z
            .string()
            .regex(/^[0-9a-f]{64}$/)
            .describe('The Merkle tree root, lowercase hex'),
          note: z
            .string()
            .min(1)
            .describe('The C2SP signed checkpoint note, with the cosignature lines of witnesses'),
          final: z.boolean().optional().describe('Cosigned by the configured quorum of witnesses'),
        }),
      )
      .optional()
      .describe('The latest signed checkpoint of each Merkle log when the summary was made'),
  })
  .meta({ title: 'AuditSummaryReply v1', description: 'Reply on audit.v1.summary.' });

/**
 * The current status of an alertname in a summary: `firing` while one of its episodes is open and
 * unacknowledged, `acknowledged` while it has open episodes and all of them are acknowledged,
 * `resolved` when none is open.
 */
export const alertCurrentStatusSchema = z.enum(['firing', 'acknowledged', 'resolved']);
export type AlertCurrentStatus = z.infer<typeof alertCurrentStatusSchema>;

export const alertingSummaryReplyV1Schema = z
  .object({
    from: isoDateTimeSchema,
    to: isoDateTimeSchema,
    total_alerts: count,
    by_severity: counts,
    delivered: count,
    failed: count,
    by_alertname: counts.optional().describe('Episodes started in the window, by alertname'),
    episodes: count.optional().describe('Episodes started in the window'),
    acknowledged: count.optional().describe('Of those episodes, how many were acknowledged'),
    mtta_s: z
      .number()
      .nonnegative()
      .nullable()
      .optional()
      .describe('Mean seconds from firing to acknowledgement; null when none was acknowledged'),
    mttr_s: z
      .number()
      .nonnegative()
      .nullable()
      .optional()
      .describe('Mean seconds from firing to resolution; null when none was resolved'),
    false_positives: count.optional().describe('Episodes marked false positive'),
    false_positive_rate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .optional()
      .describe('false_positives / episodes; null when there were no episodes'),
    top_noisy: z
      .array(z.object({ alertname: z.string().min(1), count }))
      .optional()
      .describe('The noisiest alertnames, most episodes first'),
    top_alerts: z
      .array(
        z.object({
          alertname: z.string().min(1),
          severity: z.string().min(1).describe('The most severe severity its episodes in the window had'),
          count,
          status: alertCurrentStatusSchema,
        }),
      )
      .optional()
      .describe(
        'The alertnames with the most episodes in the window (at most 10), most first, each with its current status',
      ),
  })
  .meta({ title: 'AlertingSummaryReply v1', description: 'Reply on alerting.v1.summary.' });

export const healthSummaryReplyV1Schema = z
  .object({
    from: isoDateTimeSchema,
    to: isoDateTimeSchema,
    targets: z.array(
      z.object({
        name: z.string().min(1),
        status: targetStatusSchema,
        uptime_pct: z.number().min(0).max(100).nullable(),
        checks: count,
        p50_ms: z
          .number()
          .nonnegative()
          .nullable()
          .optional()
          .describe('Median check duration in the window; null without checks'),
        p95_ms: z
          .number()
          .nonnegative()
          .nullable()
          .optional()
          .describe('95th percentile check duration in the window; null without checks'),
        kind: z
          .string()
          .min(1)
          .optional()
          .describe('What is checked: http, tcp, postgres, nats, synthetic, heartbeat, sql, ...'),
        last_value: z
          .number()
          .nullable()
          .optional()
          .describe("The latest measured value (an SQL check's result); null when none was measured"),
        values: z
          .array(
            z.object({
              day: z.iso.date().describe('A UTC day, YYYY-MM-DD'),
              value: z.number().describe('The last value measured that day'),
            }),
          )
          .optional()
          .describe('Measured values per UTC day in the window, oldest first (SQL checks)'),
      }),
    ),
    late_or_failed_jobs: z
      .array(
        z.object({
          target: z.string().min(1).describe('The heartbeat monitor'),
          problem: z
            .enum(['late', 'failed'])
            .describe(
              'late: no ping by the deadline; failed: the job reported a failure or ran out of bounds',
            ),
          started_at: isoDateTimeSchema,
          ended_at: isoDateTimeSchema.nullable(),
          reason: z.string(),
        }),
      )
      .optional()
      .describe('Heartbeat monitors that were down in the window, oldest first, one entry per incident'),
    incidents: z
      .array(
        z.object({
          target: z.string().min(1),
          started_at: isoDateTimeSchema,
          ended_at: isoDateTimeSchema.nullable(),
          duration_s: z.number().nonnegative().nullable(),
          reason: z.string(),
        }),
      )
      .optional()
      .describe('Periods a target was down that overlap the window'),
  })
  .meta({ title: 'HealthSummaryReply v1', description: 'Reply on health.v1.summary.' });

export type AuditSummaryReplyV1 = z.infer<typeof auditSummaryReplyV1Schema>;
export type AlertingSummaryReplyV1 = z.infer<typeof alertingSummaryReplyV1Schema>;
export type HealthSummaryReplyV1 = z.infer<typeof healthSummaryReplyV1Schema>;

export const auditSummaryReplyV1JsonSchema = messageJsonSchema(
  'audit-summary-reply.v1',
  auditSummaryReplyV1Schema,
);
export const alertingSummaryReplyV1JsonSchema = messageJsonSchema(
  'alerting-summary-reply.v1',
  alertingSummaryReplyV1Schema,
);
export const healthSummaryReplyV1JsonSchema = messageJsonSchema(
  'health-summary-reply.v1',
  healthSummaryReplyV1Schema,
);
