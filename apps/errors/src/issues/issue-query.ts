import { z } from 'zod';

import { errorIssueStatusSchema, isoDateTimeSchema } from '@vigil/contracts';

export const MAX_LIMIT = 200;

const text = z.string().min(1).max(256);
const limit = z.coerce
  .number({ error: `limit must be an integer from 1 to ${MAX_LIMIT}` })
  .int(`limit must be an integer from 1 to ${MAX_LIMIT}`)
  .min(1, `limit must be an integer from 1 to ${MAX_LIMIT}`)
  .max(MAX_LIMIT, `limit must be an integer from 1 to ${MAX_LIMIT}`)
  .default(25);

/** Query string of GET /errors/issues. `project` is a slug or an id; `q` searches title and culprit. */
export const issueListQuerySchema = z.strictObject({
  status: errorIssueStatusSchema.optional(),
  level: z.enum(['fatal', 'error', 'warning', 'info', 'debug']).optional(),
  project: text.optional(),
  environment: text.optional(),
  release: text.optional(),
  q: text.optional(),
  limit,
  cursor: z.string().max(200).optional(),
});
export type IssueListQuery = z.infer<typeof issueListQuerySchema>;

/** Query string of GET /errors/issues/:id/events. */
export const issueEventsQuerySchema = z.strictObject({ limit, cursor: z.string().max(200).optional() });

/** Body of POST /errors/issues/:id/status. */
export const statusChangeBodySchema = z
  .strictObject({
    status: errorIssueStatusSchema,
    ignore_until: isoDateTimeSchema.optional(),
    ignore_count: z.int().min(1).max(1_000_000_000).optional(),
    in_next_release: z.boolean().optional(),
  })
  .refine((b) => b.status === 'ignored' || (b.ignore_until === undefined && b.ignore_count === undefined), {
    message: 'ignore_until and ignore_count go with status "ignored"',
    path: ['status'],
  })
  .refine((b) => b.status === 'resolved' || b.in_next_release === undefined, {
    message: 'in_next_release goes with status "resolved"',
    path: ['status'],
  });
export type StatusChangeBody = z.infer<typeof statusChangeBodySchema>;

/** Body of POST /errors/issues/:id/merge. */
export const mergeBodySchema = z.strictObject({
  into: z.string().regex(/^[1-9][0-9]{0,17}$/, 'into must be an issue id'),
});

export const ISSUE_ID = /^[1-9][0-9]{0,17}$/;

/** Position after the last row of a page (newest first): a timestamp, then the id, descending. */
export interface PageCursor {
  at: string;
  id: string;
}

const cursorSchema = z.strictObject({ a: isoDateTimeSchema, i: z.string().regex(ISSUE_ID) });

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ a: cursor.at, i: cursor.id })).toString('base64url');
}

/** Undefined for a cursor this service did not issue. */
export function decodeCursor(value: string): PageCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? { at: parsed.data.a, id: parsed.data.i } : undefined;
  } catch {
    return undefined;
  }
}
