import {
  priorityOf,
  type AlertingSummaryReplyV1,
  type AuditSummaryReplyV1,
  type HealthSummaryReplyV1,
  type Severity,
} from '@vigil/contracts';
import { redact } from '@vigil/redaction';

import type { SourceResult } from '../sources/source-result';
import type { WeeklySources } from '../sources/summary.client';
import type { TrafficSummary } from '../sources/traffic.source';
import type {
  ReportChart,
  ReportDocument,
  ReportFact,
  ReportSection,
  ReportTable,
} from '../model/report-document';
import type { ReportPeriod } from '../model/report-period';

/** Rows shown in a "top N" table; the rest are summed into one "other" row. */
const TOP_ACTIONS = 10;
/** Targets shown in the uptime chart; the table lists all. */
const MAX_CHART_BARS = 20;

/** The sections a report definition may list, in the order they appear. */
export const REPORT_SECTIONS = ['traffic', 'errors', 'uptime', 'alerts', 'privacy', 'audit'] as const;
export type ReportSectionName = (typeof REPORT_SECTIONS)[number];

export interface WeeklyReportInput {
  period: ReportPeriod;
  sources: WeeklySources;
  generatedAt: Date;
  timeZone: string;
  /** Sections to include; all by default. */
  sections?: readonly ReportSectionName[];
  /** The report's name in the title; "weekly" by default. */
  name?: string;
  /** Severities the alerting summary was narrowed to (the P3 digest); the alert figures say so. */
  severities?: readonly Severity[];
}

/**
 * Turns the summaries into the report document. The result is redacted: source values (target
 * names, action names, failure reasons) may carry e-mail addresses or secrets.
 */
export function buildWeeklyReport({
  period,
  sources,
  generatedAt,
  timeZone,
  sections = REPORT_SECTIONS,
  name = 'weekly',
  severities,
}: WeeklyReportInput): ReportDocument {
  const scope = alertScope(severities);
  const uptime = sources.health.available ? averageUptime(sources.health.data) : null;
  const alerts = sources.alerting.available ? sources.alerting.data.total_alerts : null;
  const p1 = sources.alerting.available ? (sources.alerting.data.by_severity.critical ?? 0) : null;
  const title = `Vigil ${name} report ${period.label}`;
  const alertCount =
    alerts === null || p1 === null
      ? 'alerts unavailable'
      : scope
        ? plural(alerts, `${scope.priorities} alert`)
        : plural(p1, 'P1 alert');
  const headline = `${name === 'weekly' ? periodName(period) : `${capitalise(name)} ${period.label}`}: ${uptime === null ? 'uptime unavailable' : `${percent(uptime)} uptime`}, ${alertCount}`;
  const builders: Record<ReportSectionName, () => ReportSection> = {
    traffic: () => section('Traffic and performance', sources.traffic, trafficSection),
    errors: () => errorsSection(sources.traffic, sources.alerting),
    uptime: () => section('Uptime', sources.health, (d) => healthSection(d, timeZone)),
    alerts: () => section(scope ? `Alerts: ${scope.title}` : 'Alerts', sources.alerting, alertingSection),
    privacy: () => section('Privacy and admin activity', sources.audit, privacySection),
    audit: () => section('Audit activity', sources.audit, auditSection),
  };
  const document: ReportDocument = {
    title,
    headline,
    facts: [
      {
        label: 'Period',
        value: `${formatInstant(period.start, timeZone)} to ${formatInstant(period.end, timeZone)} (${timeZone})`,
      },
      { label: 'Generated', value: `${formatInstant(generatedAt, timeZone)} (${timeZone})` },
      { label: 'Average uptime', value: uptime === null ? 'unavailable' : percent(uptime) },
      {
        label: scope ? `${scope.priorities} alerts` : 'Alerts',
        value: alerts === null ? 'unavailable' : String(alerts),
      },
      ...(scope ? [] : [{ label: 'P1 alerts', value: p1 === null ? 'unavailable' : String(p1) }]),
    ],
    sections: REPORT_SECTIONS.filter((n) => sections.includes(n)).map((n) => builders[n]()),
  };
  return redact(document);
}

/** "P3" and "P3 only (medium, low)" for a severity filter; null when every severity counts. */
function alertScope(severities: readonly Severity[] | undefined) {
  if (!severities) return null;
  const priorities = [...new Set(severities.map(priorityOf))].sort().join('/');
  return { priorities, title: `${priorities} only (${severities.join(', ')})` };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Week 47" for an ISO week, else the period's label. */
export function periodName(period: ReportPeriod): string {
  const week = /^\d{4}-W(\d{2})$/.exec(period.label);
  return week ? `Week ${Number(week[1])}` : period.label;
}

/** Mean uptime of the targets that have one; null when none has. */
export function averageUptime(summary: HealthSummaryReplyV1): number | null {
  const known = summary.targets.map((t) => t.uptime_pct).filter((pct): pct is number => pct !== null);
  return known.length === 0 ? null : known.reduce((sum, pct) => sum + pct, 0) / known.length;
}

function section<T>(
  title: string,
  source: SourceResult<T>,
  describe: (data: T) => { facts: ReportFact[]; tables: ReportTable[]; charts?: ReportChart[] },
): ReportSection {
  return source.available
    ? { title, available: true, ...describe(source.data) }
    : { title, available: false, reason: source.reason };
}

function healthSection(summary: HealthSummaryReplyV1, timeZone: string) {
  const uptime = averageUptime(summary);
  const incidents = summary.incidents;
  const charted = summary.targets.slice(0, MAX_CHART_BARS);
  return {
    charts: [
      {
        id: 'uptime-by-target',
        title: 'Uptime per target (%)',
        kind: 'bar' as const,
        unit: '%',
        labels: charted.map((t) => t.name),
        series: [{ name: 'uptime', values: charted.map((t) => t.uptime_pct) }],
      },
    ],
    facts: [
      { label: 'Targets', value: String(summary.targets.length) },
      { label: 'Average uptime', value: uptime === null ? 'n/a' : percent(uptime) },
      ...(incidents ? [{ label: 'Incidents', value: String(incidents.length) }] : []),
    ],
    tables: [
      {
        caption: 'Per target',
        columns: ['Target', 'Status', 'Uptime', 'Checks', 'p50', 'p95'],
        rows: [...summary.targets]
          .sort((a, b) => (a.uptime_pct ?? 101) - (b.uptime_pct ?? 101) || a.name.localeCompare(b.name))
          .map((t) => [
            t.name,
            t.status,
            t.uptime_pct === null ? 'n/a' : percent(t.uptime_pct),
            String(t.checks),
            milliseconds(t.p50_ms),
            milliseconds(t.p95_ms),
          ]),
      },
      ...(incidents
        ? [
            {
              caption: 'Incidents',
              columns: ['Target', 'Started', 'Duration', 'Cause'],
              rows: [...incidents]
                .sort((a, b) => a.started_at.localeCompare(b.started_at))
                .map((i) => [
                  i.target,
                  formatInstant(new Date(i.started_at), timeZone),
                  i.duration_s === null ? 'ongoing' : duration(i.duration_s),
                  i.reason,
                ]),
            },
          ]
        : []),
    ],
  };
}

function alertingSection(summary: AlertingSummaryReplyV1) {
  const optional = (label: string, value: string | undefined): ReportFact[] =>
    value === undefined ? [] : [{ label, value }];
  return {
    facts: [
      { label: 'Alerts fired', value: String(summary.total_alerts) },
      { label: 'P1 alerts', value: String(summary.by_severity.critical ?? 0) },
      ...optional('Episodes', summary.episodes?.toString()),
      ...optional('Acknowledged', summary.acknowledged?.toString()),
      ...optional('MTTA', summary.mtta_s === undefined ? undefined : nullableDuration(summary.mtta_s)),
      ...optional('MTTR', summary.mttr_s === undefined ? undefined : nullableDuration(summary.mttr_s)),
      ...optional(
        'False positives',
        summary.false_positives === undefined
          ? undefined
          : `${summary.false_positives} (${
              summary.false_positive_rate === null || summary.false_positive_rate === undefined
                ? 'n/a'
                : percent(summary.false_positive_rate * 100)
            })`,
      ),
      { label: 'Notifications delivered', value: String(summary.delivered) },
      { label: 'Notifications failed', value: String(summary.failed) },
    ],
    tables: [
      countTable('By severity', 'Severity', summary.by_severity, severityOrder),
      ...(summary.top_noisy
        ? [
            {
              caption: 'Noisiest alerts',
              columns: ['Alert', 'Count'],
              rows: summary.top_noisy.map((n) => [n.alertname, String(n.count)]),
            },
          ]
        : []),
    ],
  };
}

function auditSection(summary: AuditSummaryReplyV1) {
  return {
    facts: [{ label: 'Audit events', value: String(summary.total_events) }],
    tables: [
      countTable('By outcome', 'Outcome', summary.by_outcome),
      countTable('Top actions', 'Action', summary.by_action, undefined, TOP_ACTIONS),
    ],
  };
}

/** Actions the privacy and admin review counts on their own (names from the AuditEvent contract). */
const BULK_ACTION = 'admin.bulk_action.executed';
const ECONOMY_EDIT = 'admin.economy_field.changed';

function privacySection(summary: AuditSummaryReplyV1) {
  const sum = (counts: Record<string, number> | undefined) =>
    counts === undefined ? 'n/a' : String(Object.values(counts).reduce((a, b) => a + b, 0));
  return {
    facts: [
      {
        label: 'Privacy setting changes',
        value: summary.privacy_changes === undefined ? 'n/a' : String(summary.privacy_changes),
      },
      { label: 'Detections fired', value: sum(summary.detections) },
      { label: 'Sensitive record accesses', value: sum(summary.sensitive_access) },
      { label: 'Bulk actions', value: String(summary.by_action[BULK_ACTION] ?? 0) },
      { label: 'Economy edits', value: String(summary.by_action[ECONOMY_EDIT] ?? 0) },
    ],
    tables: [
      countTable('Detections by rule', 'Rule', summary.detections ?? {}),
      countTable('Wallet and KYC access by admin', 'Admin', summary.sensitive_access ?? {}),
      countTable('Admin activity', 'Admin', summary.admin_activity ?? {}, undefined, TOP_ACTIONS),
    ],
  };
}

function trafficSection(traffic: TrafficSummary) {
  const total = traffic.services.reduce((sum, s) => sum + s.requests, 0);
  const known = traffic.services.filter((s) => s.previous_requests !== null);
  const previousTotal = known.length ? known.reduce((sum, s) => sum + (s.previous_requests ?? 0), 0) : null;
  const days = traffic.latency_by_day;
  return {
    charts: [
      {
        id: 'latency-by-day',
        title: 'Latency per day (ms)',
        kind: 'line' as const,
        unit: 'ms',
        labels: days.map((d) => d.date.slice(5)),
        series: [
          { name: 'p50', values: days.map((d) => d.p50_ms) },
          { name: 'p95', values: days.map((d) => d.p95_ms) },
          { name: 'p99', values: days.map((d) => d.p99_ms) },
        ],
      },
    ],
    facts: [
      { label: 'Requests', value: String(total) },
      { label: 'Week over week', value: change(total, previousTotal) },
    ],
    tables: [
      {
        caption: 'Per service',
        columns: ['Service', 'Requests', 'Change', 'p95'],
        rows: traffic.services.map((s) => [
          s.service,
          String(s.requests),
          change(s.requests, s.previous_requests),
          milliseconds(s.p95_ms),
        ]),
      },
      {
        caption: 'Latency per day',
        columns: ['Day', 'p50', 'p95', 'p99'],
        rows: traffic.latency_by_day.map((d) => [
          d.date,
          milliseconds(d.p50_ms),
          milliseconds(d.p95_ms),
          milliseconds(d.p99_ms),
        ]),
      },
      {
        caption: 'Slowest endpoints (p95)',
        columns: ['Service', 'Route', 'p95'],
        rows: traffic.slowest_endpoints.map((e) => [e.service, e.route, milliseconds(e.p95_ms)]),
      },
    ],
  };
}

/** Rows of the "Top alerts" table. */
const TOP_ALERTS = 10;

/**
 * 5xx responses per service (Prometheus) and the most frequent alerts with their current status
 * (alerting). Either half may be missing; the section is unavailable only when both are.
 */
function errorsSection(
  traffic: SourceResult<TrafficSummary>,
  alerting: SourceResult<AlertingSummaryReplyV1>,
): ReportSection {
  const title = 'Errors';
  if (!traffic.available && !alerting.available)
    return { title, available: false, reason: `5xx: ${traffic.reason}; alerts: ${alerting.reason}` };
  const facts: ReportFact[] = [];
  const tables: ReportTable[] = [];
  if (traffic.available) {
    const services = traffic.data.services;
    const requests = services.reduce((sum, s) => sum + s.requests, 0);
    const errors = services.reduce((sum, s) => sum + s.errors, 0);
    facts.push(
      { label: '5xx responses', value: String(errors) },
      { label: '5xx rate', value: requests === 0 ? 'n/a' : percent((errors / requests) * 100) },
    );
    tables.push({
      caption: '5xx rate per service',
      columns: ['Service', 'Requests', '5xx', '5xx rate'],
      rows: [...services]
        .sort((a, b) => (b.error_rate ?? -1) - (a.error_rate ?? -1) || a.service.localeCompare(b.service))
        .map((s) => [
          s.service,
          String(s.requests),
          String(s.errors),
          s.error_rate === null ? 'n/a' : percent(s.error_rate * 100),
        ]),
    });
  } else {
    facts.push({ label: '5xx rate', value: `unavailable: ${traffic.reason}` });
  }
  if (alerting.available) {
    const summary = alerting.data;
    const top: string[][] = summary.top_alerts
      ? summary.top_alerts.map((a) => [a.alertname, a.severity, String(a.count), a.status])
      : (summary.top_noisy ?? []).map((a) => [a.alertname, 'n/a', String(a.count), 'unknown']);
    const firing = summary.top_alerts?.filter((a) => a.status === 'firing').length;
    if (firing !== undefined) facts.push({ label: 'Top alerts still firing', value: String(firing) });
    tables.push({
      caption: `Top ${TOP_ALERTS} alerts`,
      columns: ['Alert', 'Severity', 'Count', 'Status'],
      rows: top.slice(0, TOP_ALERTS),
    });
  } else {
    facts.push({ label: 'Top alerts', value: `unavailable: ${alerting.reason}` });
  }
  return { title, available: true, facts, tables };
}

function change(now: number, before: number | null): string {
  if (before === null) return 'n/a';
  if (before === 0) return now === 0 ? '0.0%' : 'new';
  const pct = ((now - before) / before) * 100;
  return `${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

export function milliseconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

function nullableDuration(seconds: number | null): string {
  return seconds === null ? 'n/a' : duration(seconds);
}

/** `45s`, `12m 5s`, `3h 20m`, `2d 4h`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const severityOrder = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b);
const rank = (severity: string) =>
  SEVERITIES.includes(severity) ? SEVERITIES.indexOf(severity) : SEVERITIES.length;

/** A name/count table, biggest first (or in `order`), at most `limit` rows plus an "other" row. */
function countTable(
  caption: string,
  column: string,
  counts: Record<string, number>,
  order?: (a: string, b: string) => number,
  limit = Number.POSITIVE_INFINITY,
): ReportTable {
  const entries = Object.entries(counts).sort(([a, x], [b, y]) =>
    order ? order(a, b) : y - x || a.localeCompare(b),
  );
  const shown = entries.slice(0, limit);
  const other = entries.slice(limit).reduce((sum, [, n]) => sum + n, 0);
  const rows = shown.map(([name, n]) => [name, String(n)]);
  if (entries.length > limit) rows.push([`(${entries.length - limit} other)`, String(other)]);
  return { caption, columns: [column, 'Count'], rows };
}

/** Two decimals, never rounding a shortfall up to a perfect 100.00%. */
export function percent(value: number): string {
  const text = value.toFixed(2);
  return `${text === '100.00' && value < 100 ? '99.99' : text}%`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2026-11-16 00:00` in `timeZone`. */
export function formatInstant(instant: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
