import { TokenBuckets } from '@vigil/platform';

import type { ErrorsProject } from '../config/projects-config';
import { ProjectQuotas, rateLimitHeaders } from './project-quotas';

const project: ErrorsProject = {
  id: '1',
  slug: 'shop',
  keys: ['a'.repeat(32)],
  quota: { events_per_minute: 3, transactions_per_minute: 60 },
  retention_days: 90,
  alert_rules: [],
};

describe('project quotas', () => {
  it('allows a burst of the per-minute quota, then refuses with the seconds until the next item', () => {
    let now = 0;
    const quotas = new ProjectQuotas(new TokenBuckets(() => now));
    expect([1, 2, 3].map(() => quotas.take(project, 'error'))).toEqual([null, null, null]);
    expect(quotas.take(project, 'error')).toEqual({ category: 'error', retryAfterS: 20 });
    // Transactions have their own bucket.
    expect(quotas.take(project, 'transaction')).toBeNull();
    now = 20_000;
    expect(quotas.take(project, 'error')).toBeNull();
    expect(quotas.take(project, 'error')?.retryAfterS).toBe(20);
  });

  it('gives back a refunded item', () => {
    const quotas = new ProjectQuotas(new TokenBuckets(() => 0));
    for (let i = 0; i < 3; i++) quotas.take(project, 'error');
    expect(quotas.take(project, 'error')).not.toBeNull();
    quotas.refund(project, 'error');
    expect(quotas.take(project, 'error')).toBeNull();
  });

  it("writes Sentry's X-Sentry-Rate-Limits and Retry-After headers", () => {
    expect(rateLimitHeaders([])).toEqual({});
    expect(
      rateLimitHeaders([
        { category: 'error', retryAfterS: 20 },
        { category: 'error', retryAfterS: 12 },
        { category: 'transaction', retryAfterS: 3 },
      ]),
    ).toEqual({ 'Retry-After': '20', 'X-Sentry-Rate-Limits': '20:error:project, 3:transaction:project' });
  });
});
