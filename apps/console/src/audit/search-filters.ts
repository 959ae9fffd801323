import type { QueryValue } from '../upstream/upstream.client';

/** The audit search form's fields, as the page's query string carries them (all optional text). */
export const SEARCH_FIELDS = [
  'actor',
  'action',
  'resource_type',
  'resource_id',
  'outcome',
  'source',
  'from',
  'to',
  'q',
] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];
export type SearchForm = Partial<Record<SearchField, string>>;

export const OUTCOMES = ['success', 'failure', 'denied'] as const;

/** The form as the person filled it: known fields only, trimmed, empty ones left out. */
export function searchFormOf(query: Record<string, unknown>): SearchForm {
  const form: SearchForm = {};
  for (const field of SEARCH_FIELDS) {
    const value = query[field];
    if (typeof value === 'string' && value.trim() !== '') form[field] = value.trim().slice(0, 256);
  }
  return form;
}

/**
 * A time the form holds as an instant: `datetime-local` inputs send `2026-12-08T02:00` (read as UTC, as
 * the page says); a full ISO-8601 time with an offset passes as typed (the audit service validates it).
 */
export function instantOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return `${value}:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value)) return `${value}Z`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00:00Z`;
  return value;
}

/**
 * The audit API's query for the form: an action ending in `*` is a prefix (`wallet.*`), otherwise exact.
 */
export function auditQueryOf(form: SearchForm): Record<string, QueryValue> {
  const action = form.action;
  const prefix = action?.endsWith('*') === true ? action.slice(0, -1).replace(/\.$/, '') : undefined;
  return {
    actor: form.actor,
    action: prefix === undefined ? action : undefined,
    action_prefix: prefix === '' ? undefined : prefix,
    resource_type: form.resource_type,
    resource_id: form.resource_id,
    outcome: form.outcome,
    source: form.source,
    from: instantOf(form.from),
    to: instantOf(form.to),
    q: form.q,
  };
}

/** The page's own query string for the form (links to the next page and the exports keep the filters). */
export function searchParamsOf(form: SearchForm, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const field of SEARCH_FIELDS) {
    const value = form[field];
    if (value !== undefined) params.set(field, value);
  }
  for (const [name, value] of Object.entries(extra)) params.set(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
