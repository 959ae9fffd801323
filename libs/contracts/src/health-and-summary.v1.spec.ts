import { z } from 'zod';

import { HEALTH_STATUS_SUBJECT, healthStatusChangedV1Schema } from './health-status-changed.v1';
import { rpcErrorSchema } from './rpc-error.v1';
import {
  alertingSummaryReplyV1Schema,
  auditSummaryReplyV1Schema,
  healthSummaryReplyV1Schema,
} from './summary-reply.v1';
import {
  ALERTING_SUMMARY_SUBJECT,
  AUDIT_SUMMARY_SUBJECT,
  HEALTH_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
} from './summary-request.v1';

const from = '2025-01-06T00:00:00+01:00';
const to = '2025-01-13T00:00:00+01:00';

describe('healthStatusChangedV1Schema', () => {
  const change = { target: 'billing-api', from: 'up', to: 'down', at: to, reason: 'HTTP 503 three times' };

  it('parses a state change on health.v1.status', () => {
    expect(HEALTH_STATUS_SUBJECT).toBe('health.v1.status');
    expect(healthStatusChangedV1Schema.parse(change)).toEqual(change);
  });

  it('rejects an unknown state, naming the field', () => {
    const result = healthStatusChangedV1Schema.safeParse({ ...change, to: 'degraded' });
    expect(z.prettifyError(result.error!)).toContain('at to');
  });
});

describe('summary request/reply', () => {
  it('has one subject per service', () => {
    expect([AUDIT_SUMMARY_SUBJECT, ALERTING_SUMMARY_SUBJECT, HEALTH_SUMMARY_SUBJECT]).toEqual([
      'audit.v1.summary',
      'alerting.v1.summary',
      'health.v1.summary',
    ]);
  });

  it('accepts from <= to, comparing instants across offsets', () => {
    expect(summaryRequestV1Schema.parse({ from, to, tenant_id: 'acme' })).toEqual({
      from,
      to,
      tenant_id: 'acme',
    });
    expect(
      summaryRequestV1Schema.safeParse({ from: '2025-01-06T01:00:00+01:00', to: '2025-01-06T00:00:00Z' })
        .success,
    ).toBe(true);
  });

  it('takes an optional severity filter and rejects an unknown or empty one', () => {
    const request = { from, to, severities: ['medium', 'low'] };
    expect(summaryRequestV1Schema.parse(request)).toEqual(request);
    const unknown = summaryRequestV1Schema.safeParse({ from, to, severities: ['warning'] });
    expect(unknown.error!.issues[0].path).toEqual(['severities', 0]);
    expect(summaryRequestV1Schema.safeParse({ from, to, severities: [] }).success).toBe(false);
  });

  it('rejects from after to, naming to', () => {
    const result = summaryRequestV1Schema.safeParse({ from: to, to: from });
    expect(z.prettifyError(result.error!)).toContain('from must not be after to');
    expect(result.error!.issues[0].path).toEqual(['to']);
  });

  it('parses each reply', () => {
    const audit = { from, to, total_events: 3, by_action: { 'a.b': 3 }, by_outcome: { success: 3 } };
    const alerting = { from, to, total_alerts: 2, by_severity: { high: 2 }, delivered: 2, failed: 0 };
    const health = { from, to, targets: [{ name: 'db', status: 'up', uptime_pct: 99.9, checks: 10 }] };
    expect(auditSummaryReplyV1Schema.parse(audit)).toEqual(audit);
    expect(alertingSummaryReplyV1Schema.parse(alerting)).toEqual(alerting);
    expect(healthSummaryReplyV1Schema.parse(health)).toEqual(health);
    const noData = { ...health, targets: [{ name: 'db', status: 'unknown', uptime_pct: null, checks: 0 }] };
    expect(healthSummaryReplyV1Schema.parse(noData)).toEqual(noData);
  });

  it("parses the logs' latest checkpoints in the audit reply and refuses a root that is not hex", () => {
    const checkpoint = {
      category: 'security',
      size: 8,
      root_hash: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
      note: 'vigil.audit/security\n8\nXcnaeacGWamtVZy3Ad7Zoqudgjqt+L0lgz+Nw7/RgQyg=\n\n\u2014 vigil.audit/security AAAA\n',
      final: false,
    };
    const audit = { from, to, total_events: 8, by_action: {}, by_outcome: {}, checkpoints: [checkpoint] };
    expect(auditSummaryReplyV1Schema.parse(audit)).toEqual(audit);
    const bad = { ...audit, checkpoints: [{ ...checkpoint, root_hash: 'XYZ' }] };
    expect(auditSummaryReplyV1Schema.safeParse(bad).error?.issues[0].path).toEqual([
      'checkpoints',
      0,
      'root_hash',
    ]);
  });

  it('parses the optional report figures: MTTA/MTTR, noisiest alerts, percentiles, incidents', () => {
    const alerting = {
      from,
      to,
      total_alerts: 3,
      by_severity: { critical: 3 },
      delivered: 3,
      failed: 0,
      by_alertname: { DiskFull: 2, HighLatency: 1 },
      episodes: 3,
      acknowledged: 2,
      mtta_s: 120.5,
      mttr_s: null,
      false_positives: 1,
      false_positive_rate: 1 / 3,
      top_noisy: [{ alertname: 'DiskFull', count: 2 }],
    };
    expect(alertingSummaryReplyV1Schema.parse(alerting)).toEqual(alerting);
    const health = {
      from,
      to,
      targets: [{ name: 'db', status: 'up', uptime_pct: 99.9, checks: 10, p50_ms: 12, p95_ms: null }],
      incidents: [
        { target: 'db', started_at: from, ended_at: null, duration_s: null, reason: 'connection refused' },
      ],
    };
    expect(healthSummaryReplyV1Schema.parse(health)).toEqual(health);
    const withStatus = {
      ...alerting,
      top_alerts: [
        { alertname: 'DiskFull', severity: 'critical', count: 2, status: 'firing' },
        { alertname: 'HighLatency', severity: 'high', count: 1, status: 'resolved' },
      ],
    };
    expect(alertingSummaryReplyV1Schema.parse(withStatus)).toEqual(withStatus);
    const badStatus = alertingSummaryReplyV1Schema.safeParse({
      ...alerting,
      top_alerts: [{ alertname: 'DiskFull', severity: 'critical', count: 2, status: 'snoozed' }],
    });
    expect(z.prettifyError(badStatus.error!)).toContain('at top_alerts[0].status');
    const badRate = alertingSummaryReplyV1Schema.safeParse({ ...alerting, false_positive_rate: 2 });
    expect(z.prettifyError(badRate.error!)).toContain('at false_positive_rate');
  });

  it('parses kinds, SQL values per day and late or failed jobs, and still parses a reply without them', () => {
    const health = {
      from,
      to,
      targets: [
        { name: 'web', status: 'up', uptime_pct: 100, checks: 10, kind: 'http' },
        {
          name: 'orphans',
          status: 'down',
          uptime_pct: 50,
          checks: 4,
          kind: 'sql',
          last_value: 3,
          values: [
            { day: '2025-01-06', value: 0 },
            { day: '2025-01-07', value: 3 },
          ],
        },
        { name: 'backup', status: 'up', uptime_pct: 90, checks: 7, kind: 'heartbeat', last_value: null },
      ],
      late_or_failed_jobs: [
        {
          target: 'backup',
          problem: 'late',
          started_at: from,
          ended_at: to,
          reason: 'no ping by the deadline',
        },
      ],
    };
    expect(healthSummaryReplyV1Schema.parse(health)).toEqual(health);
    const badDay = healthSummaryReplyV1Schema.safeParse({
      ...health,
      targets: [{ ...health.targets[1], values: [{ day: '2025-01-06T00:00:00Z', value: 1 }] }],
    });
    expect(z.prettifyError(badDay.error!)).toContain('at targets[0].values[0].day');
    const badProblem = healthSummaryReplyV1Schema.safeParse({
      ...health,
      late_or_failed_jobs: [{ ...health.late_or_failed_jobs[0], problem: 'slow' }],
    });
    expect(z.prettifyError(badProblem.error!)).toContain('at late_or_failed_jobs[0].problem');
  });

  it('rejects negative counts and uptime above 100', () => {
    const audit = { from, to, total_events: -1, by_action: {}, by_outcome: {} };
    expect(z.prettifyError(auditSummaryReplyV1Schema.safeParse(audit).error!)).toContain('at total_events');
    const health = { from, to, targets: [{ name: 'db', status: 'up', uptime_pct: 101, checks: 1 }] };
    expect(z.prettifyError(healthSummaryReplyV1Schema.safeParse(health).error!)).toContain(
      'at targets[0].uptime_pct',
    );
  });

  it('parses an error reply', () => {
    const error = { error: 'bad_request', message: 'to: from must not be after to' };
    expect(rpcErrorSchema.parse(error)).toEqual(error);
  });
});
