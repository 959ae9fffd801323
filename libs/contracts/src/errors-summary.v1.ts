import { z } from 'zod';

import { isoDateTimeSchema } from './iso-datetime';
import { messageJsonSchema } from './json-schema';

/** Request/reply served by errors; the request is a SummaryRequestV1 (`{from, to, tenant_id?}`). */
export const ERRORS_SUMMARY_SUBJECT = 'errors.v1.summary';

const count = z.int().nonnegative();

export const errorIssueStatusSchema = z.enum(['unresolved', 'resolved', 'ignored']);
export type ErrorIssueStatus = z.infer<typeof errorIssueStatusSchema>;

export const errorsTopIssueSchema = z.object({
  issue_id: z.string().min(1),
  title: z.string(),
  culprit: z.string().nullable(),
  level: z.string().min(1),
  project: z.string().min(1).describe('The project slug'),
  count: count.describe('Events of the issue received in the period'),
  users: count.describe('Distinct (hashed) users of those events'),
  status: errorIssueStatusSchema.describe('The issue status now'),
  new: z.boolean().describe('First seen in the period'),
  regressed: z.boolean().describe('Reopened by a regression in the period'),
  resolved: z.boolean().describe('Resolved in the period (and still resolved)'),
});
export type ErrorsTopIssue = z.infer<typeof errorsTopIssueSchema>;

export const errorsSummaryReplyV1Schema = z
  .object({
    from: isoDateTimeSchema,
    to: isoDateTimeSchema,
    total_events: count.describe('Error events received in the period'),
    new_issues: count.describe('Issues first seen in the period'),
    regressions: count.describe('Regressions (a resolved issue seen again) in the period'),
    top_issues: z
      .array(errorsTopIssueSchema)
      .max(10)
      .describe('The 10 issues with the most events in the period, most first'),
  })
  .meta({ title: 'ErrorsSummaryReply v1', description: `Reply on ${ERRORS_SUMMARY_SUBJECT}.` });

export type ErrorsSummaryReplyV1 = z.infer<typeof errorsSummaryReplyV1Schema>;

export const errorsSummaryReplyV1JsonSchema = messageJsonSchema(
  'errors-summary-reply.v1',
  errorsSummaryReplyV1Schema,
);
