import type { AuditQuery } from './audit-query';

type SearchFilters = Pick<AuditQuery, 'action' | 'source' | 'q'>;

const likeEscaped = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * The console's search filters as parameterised WHERE clauses: exact action and source (columns), and
 * free text: a case-insensitive substring of the stored event's JSON (values and keys). Free text has no
 * index: it reads rows newest first until a page is full, so narrow it with a time range or another filter
 * on a large trail.
 */
export function addSearchFilters(
  query: SearchFilters,
  add: (sql: (param: string) => string, value: unknown) => void,
): void {
  if (query.action) add((p) => `action = ${p}`, query.action);
  if (query.source) add((p) => `source = ${p}`, query.source);
  if (query.q) add((p) => `event::text ILIKE ${p}`, `%${likeEscaped(query.q)}%`);
}
