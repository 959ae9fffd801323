import { z } from 'zod';

import { AUDIT_OUTCOMES, isoDateTimeSchema } from '@vigil/contracts';

export const MAX_LIMIT = 500;

const text = z.string().min(1).max(256);

/** Query string of GET /audit/events: filters, page size and the opaque cursor of the previous page. */
export const auditQuerySchema = z.strictObject({
  actor: text.optional(),
  action_prefix: z
    .string()
    .regex(/^[a-z0-9_.]{1,128}$/, 'action_prefix must be dot.case characters')
    .optional(),
  resource_type: text.optional(),
  resource_id: text.optional(),
  outcome: z.enum(AUDIT_OUTCOMES).optional(),
  tenant: text.optional(),
  // Search filters of the console (src/query/search-filters.ts): exact action and source, free text.
  action: z
    .string()
    .regex(/^[a-z0-9_.]{1,128}$/, 'action must be dot.case characters')
    .optional(),
  source: text.optional(),
  q: text.optional(),
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT, `limit must be an integer from 1 to ${MAX_LIMIT}`)
    .default(50)
    .refine(Number.isInteger, `limit must be an integer from 1 to ${MAX_LIMIT}`),
  cursor: z.string().max(200).optional(),
});

export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Position after the last row of a page (newest first): received_at, then id, descending. */
export interface PageCursor {
  received_at: string;
  id: string;
}

const cursorSchema = z.strictObject({ r: isoDateTimeSchema, i: z.uuid() });

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ r: cursor.received_at, i: cursor.id })).toString('base64url');
}

/** Undefined for a cursor this service did not issue. */
export function decodeCursor(text: string): PageCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success ? { received_at: parsed.data.r, id: parsed.data.i } : undefined;
  } catch {
    return undefined;
  }
}
