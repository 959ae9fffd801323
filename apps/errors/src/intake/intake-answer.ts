import { headerSafe } from '@vigil/platform';

import type { QuotaRefusal } from './project-quotas';
import { rateLimitHeaders } from './project-quotas';

/** What the intake answers: a status, a JSON body and headers; `close` when the body was left unread. */
export interface IntakeAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  close?: boolean;
}

/**
 * A refusal in our `{error, message, details?}` shape, plus Sentry's `detail` field and X-Sentry-Error
 * header, which SDKs print in their debug log (they act on the status alone).
 */
export function refusal(
  status: number,
  error: string,
  message: string,
  details?: Record<string, unknown>,
  headers: Record<string, string> = {},
): IntakeAnswer {
  return {
    status,
    body: { error, message, ...(details === undefined ? {} : { details }), detail: message },
    headers: { ...headers, 'X-Sentry-Error': headerSafe(message, 256) },
  };
}

export function rateLimited(projectSlug: string, refusals: readonly QuotaRefusal[]): IntakeAnswer {
  const categories = [...new Set(refusals.map((r) => r.category))];
  const headers = rateLimitHeaders(refusals);
  return refusal(
    429,
    'rate_limited',
    `project "${projectSlug}" is over its quota for ${categories.join(', ')}`,
    { categories, retry_after_s: Number(headers['Retry-After']) },
    headers,
  );
}

export function accepted(eventId: string | undefined, refusals: readonly QuotaRefusal[] = []): IntakeAnswer {
  return {
    status: 200,
    body: eventId === undefined ? {} : { id: eventId },
    headers: rateLimitHeaders(refusals),
  };
}
