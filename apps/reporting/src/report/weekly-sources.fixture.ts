import type { SummarySources, WeeklySources } from '../sources/summary.client';
import { customPeriod } from '../model/report-period';

const DAY_MS = 86_400_000;

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
        admin_activity: { 'admin-alice': 1020, 'admin-bob': 14 },
        privacy_changes: 200,
        sensitive_access: { 'admin-alice': 12 },
        detections: { bulk_action_threshold: 2, economy_field_edit: 1 },
      },
    },
    alerting: {
      available: true,
      data: {
        from,
        to,
        total_alerts: 3,
        by_severity: { low: 1, critical: 2 },
        delivered: 5,
        failed: 1,
        by_alertname: { DiskFull: 2, HighLatency: 1 },
        episodes: 3,
        acknowledged: 2,
        mtta_s: 125,
        mttr_s: 3720,
        false_positives: 1,
        false_positive_rate: 1 / 3,
        top_noisy: [
          { alertname: 'DiskFull', count: 2 },
          { alertname: 'HighLatency', count: 1 },
        ],
        top_alerts: [
          { alertname: 'DiskFull', severity: 'critical', count: 2, status: 'firing' },
          { alertname: 'HighLatency', severity: 'low', count: 1, status: 'resolved' },
        ],
      },
    },
    health: {
      available: true,
      data: {
        from,
        to,
        targets: [
          { name: 'shop-api', status: 'up', uptime_pct: 99.9, checks: 10080, p50_ms: 42, p95_ms: 180.4 },
          { name: 'billing', status: 'up', uptime_pct: 100, checks: 2016, p50_ms: 8.25, p95_ms: 20 },
        ],
        incidents: [
          {
            target: 'shop-api',
            started_at: '2026-11-18T10:00:00.000Z',
            ended_at: '2026-11-18T10:10:05.000Z',
            duration_s: 605,
            reason: 'HTTP 503 three times',
          },
        ],
      },
    },
    errors: {
      available: true,
      data: {
        from,
        to,
        total_events: 57,
        new_issues: 1,
        regressions: 1,
        top_issues: [
          {
            issue_id: 'iss-1',
            title: 'DoesNotExist: no privacy settings for <email>',
            culprit: 'profiles.views in boom',
            level: 'error',
            project: 'django-profile',
            count: 41,
            users: 3,
            status: 'unresolved',
            new: true,
            regressed: false,
            resolved: false,
          },
          {
            issue_id: 'iss-2',
            title: 'TimeoutError: upstream timed out',
            culprit: null,
            level: 'warning',
            project: 'vigil',
            count: 12,
            users: 0,
            status: 'unresolved',
            new: false,
            regressed: true,
            resolved: false,
          },
          {
            issue_id: 'iss-3',
            title: 'KeyError: wallet',
            culprit: 'wallets.sync in pull',
            level: 'error',
            project: 'django-profile',
            count: 4,
            users: 1,
            status: 'resolved',
            new: false,
            regressed: false,
            resolved: true,
          },
        ],
      },
    },
    traffic: {
      available: true,
      data: {
        services: [
          {
            service: 'shop-api',
            requests: 120_000,
            previous_requests: 100_000,
            errors: 600,
            error_rate: 0.005,
            p95_ms: 250,
          },
          {
            service: 'billing',
            requests: 30_000,
            previous_requests: 40_000,
            errors: 0,
            error_rate: 0,
            p95_ms: 80,
          },
        ],
        totals: { requests: 150_000, errors: 600, p95_ms: 230 },
        previous_totals: { requests: 140_000, errors: 700, p95_ms: 260 },
        latency_by_day: Array.from({ length: 7 }, (_, i) => ({
          date: new Date(Date.parse(from) + i * DAY_MS).toISOString().slice(0, 10),
          p50_ms: 40 + i,
          p95_ms: 200 + 10 * i,
          p99_ms: 400 + 20 * i,
        })),
        slowest_endpoints: [{ service: 'shop-api', route: '/checkout', p95_ms: 900 }],
      },
    },
    ...overrides,
  };
}

export const W47 = customPeriod(new Date('2026-11-16T00:00:00Z'), new Date('2026-11-23T00:00:00Z'), 'UTC');

/** The summaries of the week before W47: fewer alerts, slower answers, a little less uptime. */
export function previousSources(): SummarySources {
  const now = weeklySources();
  if (!now.audit.available || !now.alerting.available || !now.health.available || !now.errors.available)
    throw new Error('the fixture week is complete');
  return {
    audit: {
      available: true,
      data: { ...now.audit.data, total_events: 1000, by_action: { 'admin.bulk_action.executed': 34 } },
    },
    alerting: {
      available: true,
      data: {
        ...now.alerting.data,
        total_alerts: 4,
        by_severity: { critical: 2 },
        mtta_s: 250,
        mttr_s: null,
      },
    },
    health: {
      available: true,
      data: {
        ...now.health.data,
        targets: now.health.data.targets.map((t) => ({ ...t, uptime_pct: 99.5 })),
      },
    },
    errors: { available: true, data: { ...now.errors.data, total_events: 20, top_issues: [] } },
  };
}
