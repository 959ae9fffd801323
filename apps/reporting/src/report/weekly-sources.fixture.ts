import type { WeeklySources } from '../sources/summary.client';
import { customPeriod } from './report-period';

/** A complete set of summaries for unit specs; override one source to make it unavailable. */
export function weeklySources(overrides: Partial<WeeklySources> = {}): WeeklySources {
  const from = '2026-11-16T00:00:00.000Z';
  const to = '2026-11-23T00:00:00.000Z';
  return {
    audit: {
      available: true,
      data: {
        from,
        to,
        total_events: 1234,
        by_action: {
          'admin.profile.viewed': 1000,
          'privacy.settings.updated': 200,
          'admin.bulk_action.executed': 34,
        },
        by_outcome: { success: 1200, failure: 30, denied: 4 },
      },
    },
    alerting: {
      available: true,
      data: { from, to, total_alerts: 3, by_severity: { low: 1, critical: 2 }, delivered: 5, failed: 1 },
    },
    health: {
      available: true,
      data: {
        from,
        to,
        targets: [
          { name: 'shop-api', status: 'up', uptime_pct: 99.9, checks: 10080 },
          { name: 'billing', status: 'up', uptime_pct: 100, checks: 2016 },
        ],
      },
    },
    ...overrides,
  };
}

export const W47 = customPeriod(new Date('2026-11-16T00:00:00Z'), new Date('2026-11-23T00:00:00Z'));
