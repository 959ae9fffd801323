import type { Response } from 'express';

import type { ConsoleSession } from '../session/console-session';
import type { QueryValue } from '../upstream/upstream.client';
import type { EventPage, ListedEvent } from './audit-api';
import { csvRow } from './csv';

/** Events per upstream call of an export: the audit API's largest page. */
export const EXPORT_PAGE = 500;

export type ExportFormat = 'csv' | 'json';

export const CSV_COLUMNS = [
  'received_at',
  'occurred_at',
  'id',
  'source',
  'tenant_id',
  'actor_type',
  'actor_id',
  'actor_ip',
  'action',
  'resource_type',
  'resource_id',
  'outcome',
  'request_id',
  'trace_id',
  'changes',
  'metadata',
  'log',
  'seq',
] as const;

export function csvLineOf(item: ListedEvent): string {
  const e = item.event;
  return csvRow([
    item.received_at,
    e.occurred_at,
    e.id,
    e.source,
    e.tenant_id,
    e.actor.type,
    e.actor.id,
    e.actor.ip,
    e.action,
    e.resource.type,
    e.resource.id,
    e.outcome,
    e.request_id,
    e.trace_id,
    e.changes === undefined ? undefined : JSON.stringify(e.changes),
    e.metadata === undefined ? undefined : JSON.stringify(e.metadata),
    item.category,
    item.seq,
  ]);
}

/** Fetches one page of the search after `cursor` (the audit API, as the person). */
export type PageFetcher = (
  session: ConsoleSession,
  query: Record<string, QueryValue>,
  limit: number,
) => Promise<EventPage>;

/** Writes `text`, waiting for the socket to drain when its buffer is full (a slow client slows the export). */
async function write(response: Response, text: string): Promise<void> {
  if (response.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

/**
 * Streams every event of a search as CSV or a JSON array: page after page of the audit API (500 at a
 * time, keyset cursor), each written before the next is asked for, so memory holds one page whatever
 * the export's size. The first page is fetched before any header is sent (a refused search becomes an
 * error page); a failure later aborts the connection, so a truncated file never looks complete.
 */
export async function streamExport(input: {
  session: ConsoleSession;
  query: Record<string, QueryValue>;
  format: ExportFormat;
  fetchPage: PageFetcher;
  response: Response;
}): Promise<void> {
  const { session, query, format, fetchPage, response } = input;
  let page = await fetchPage(session, query, EXPORT_PAGE);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  response
    .status(200)
    .setHeader('Cache-Control', 'no-store')
    .setHeader('Content-Disposition', `attachment; filename="audit-${stamp}.${format}"`)
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  let closed = false;
  response.on('close', () => (closed = true));
  let first = true;
  await write(response, format === 'csv' ? csvRow(CSV_COLUMNS) : '[\n');
  try {
    for (;;) {
      for (const item of page.events) {
        const line = format === 'csv' ? csvLineOf(item) : `${first ? '' : ',\n'}${JSON.stringify(item)}`;
        first = false;
        await write(response, line);
      }
      if (page.next_cursor === null || closed) break;
      page = await fetchPage(session, { ...query, cursor: page.next_cursor }, EXPORT_PAGE);
    }
  } catch (error) {
    response.destroy(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  if (format === 'json') await write(response, '\n]\n');
  response.end();
}
