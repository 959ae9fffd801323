import type { z } from 'zod';

import { alertEventV1Schema } from './alert-event.v1';
import { auditEventV1Schema } from './audit-event.v1';
import { checkInV1Schema } from './check-in.v1';
import { errorIntakeV1Schema } from './error-intake.v1';
import { errorsSummaryReplyV1Schema } from './errors-summary.v1';
import { healthStatusChangedV1Schema } from './health-status-changed.v1';
import { messageJsonSchema } from './json-schema';
import { rpcErrorSchema } from './rpc-error.v1';
import {
  alertingSummaryReplyV1Schema,
  auditSummaryReplyV1Schema,
  healthSummaryReplyV1Schema,
} from './summary-reply.v1';
import { summaryRequestV1Schema } from './summary-request.v1';

/** Every message, by versioned name; drives `schemas/<name>.schema.json` and its staleness test. */
export const MESSAGE_SCHEMAS = {
  'audit-event.v1': auditEventV1Schema,
  'alert-event.v1': alertEventV1Schema,
  'health-status-changed.v1': healthStatusChangedV1Schema,
  'summary-request.v1': summaryRequestV1Schema,
  'audit-summary-reply.v1': auditSummaryReplyV1Schema,
  'alerting-summary-reply.v1': alertingSummaryReplyV1Schema,
  'health-summary-reply.v1': healthSummaryReplyV1Schema,
  'rpc-error.v1': rpcErrorSchema,
  'error-intake.v1': errorIntakeV1Schema,
  'check-in.v1': checkInV1Schema,
  'errors-summary-reply.v1': errorsSummaryReplyV1Schema,
} as const satisfies Record<string, z.ZodType>;

export type MessageName = keyof typeof MESSAGE_SCHEMAS;

/** File name → file content (pretty JSON with a trailing newline) for every registered message. */
export function renderSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, schema] of Object.entries(MESSAGE_SCHEMAS)) {
    files.set(`${name}.schema.json`, `${JSON.stringify(messageJsonSchema(name, schema), null, 2)}\n`);
  }
  return files;
}
