import { TokenBuckets } from '@vigil/platform';

import type { ErrorsProject } from '../config/projects-config';

/** Sentry data categories our quotas cover (an `event` item is category `error`). */
export type QuotaCategory = 'error' | 'transaction';

export interface QuotaRefusal {
  category: QuotaCategory;
  /** Whole seconds until the category takes items again (at least 1). */
  retryAfterS: number;
}

/**
 * Per project and category: a token bucket of `<category>_per_minute` tokens, refilled evenly over the
 * minute, so a project may send its quota in one burst and then its rate. Per replica, like the API
 * keys' write limits: with n replicas a project may send up to n times its quota.
 */
export class ProjectQuotas {
  constructor(private readonly buckets: TokenBuckets = new TokenBuckets()) {}

  /** Takes one item of `category` for `project`: null when allowed, else the refusal. */
  take(project: ErrorsProject, category: QuotaCategory): QuotaRefusal | null {
    const perMinute =
      category === 'error' ? project.quota.events_per_minute : project.quota.transactions_per_minute;
    const retryAfterS = this.buckets.take(`${project.id}:${category}`, perMinute / 60, perMinute);
    return retryAfterS === 0 ? null : { category, retryAfterS };
  }

  /** Gives an item back (one that turned out not to be stored, e.g. its publish failed). */
  refund(project: ErrorsProject, category: QuotaCategory): void {
    const perMinute =
      category === 'error' ? project.quota.events_per_minute : project.quota.transactions_per_minute;
    this.buckets.refund(`${project.id}:${category}`, perMinute);
  }
}

/**
 * Sentry's rate-limit headers for the refused categories (develop.sentry.dev, "Rate Limiting"):
 * `X-Sentry-Rate-Limits: <seconds>:<category>[;<category>…]:<scope>[, …]` with scope `project`, and
 * `Retry-After: <seconds>` (the longest), which SDKs without the first header honour for everything.
 */
export function rateLimitHeaders(refusals: readonly QuotaRefusal[]): Record<string, string> {
  if (refusals.length === 0) return {};
  const byCategory = new Map<QuotaCategory, number>();
  for (const { category, retryAfterS } of refusals) {
    byCategory.set(category, Math.max(byCategory.get(category) ?? 0, retryAfterS));
  }
  const groups = [...byCategory].map(([category, seconds]) => `${seconds}:${category}:project`);
  return {
    'Retry-After': String(Math.max(...byCategory.values())),
    'X-Sentry-Rate-Limits': groups.join(', '),
  };
}
