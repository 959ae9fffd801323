import {
  priorityOf,
  type AlertingSummaryReplyV1,
  type AuditSummaryReplyV1,
  type ErrorsSummaryReplyV1,
  type HealthSummaryReplyV1,
  type Severity,
} from '@vigil/contracts';
import { redact } from '@vigil/redaction';

import type { SourceResult } from '../sources/source-result';
import type { SummarySources, WeeklySources } from '../sources/summary.client';
import type { TrafficSummary, TrafficTotals } from '../sources/traffic.source';
import { targetBudget } from './error-budget';
import { type Better, pointsChange, relativeChange } from './figure-change';
import { integrityChecks, lateOrFailedJobs } from './jobs-and-integrity';
import {
  formatCount,
  formatExactCount,
  formatDuration,
  formatMilliseconds,
  formatPercent,
  formatShare,
} from './number-format';
import type {
  ReportChart,
  ReportDocument,
  ReportFact,
  ReportSection,
  ReportTable,
  ReportVerbatim,
} from '../model/report-document';
import type { ReportPeriod } from '../model/report-period';

/** Issues of the errors service listed in the errors section (errors.v1.summary answers ten at most). */
const TOP_ISSUES = 10;
/** Rows shown in a "top N" table; the rest are summed into one "other" row. */
const TOP_ACTIONS = 10;
/** Targets shown in the downtime chart; the table lists all. */
const MAX_CHART_BARS = 20;
/** The availability objective when the caller names none (REPORT_UPTIME_SLO's default). */
export const DEFAULT_UPTIME_SLO = 99.9;

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
  /** The summaries of the period before, for the week-over-week changes; none: "no figure". */
  previous?: Partial<SummarySources>;
  /** The availability objective (%) downtime is measured against. */
  uptimeSloPct?: number;
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
  previous = {},
  uptimeSloPct = DEFAULT_UPTIME_SLO,
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
  const headline = `${name === 'weekly' ? periodName(period) : `${capitalise(name)} ${period.label}`}: ${uptime === null ? 'uptime unavailable' : `${formatPercent(uptime)} uptime`}, ${alertCount}`;
  const builders: Record<ReportSectionName, () => ReportSection> = {
    traffic: () => section('Traffic and performance', sources.traffic, trafficSection),
    errors: () => errorsSection(sources.traffic, sources.errors, sources.alerting),
    uptime: () =>
      section('Uptime', sources.health, (d) => healthSection(d, timeZone, uptimeSloPct, periodMs(period))),
    alerts: () => section(scope ? `Alerts: ${scope.title}` : 'Alerts', sources.alerting, alertingSection),
    privacy: () => privacyAndIntegritySection(sources.audit, sources.health),
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
    ],
    highlights: headlineFigures(sources, previous, scope),
    sections: REPORT_SECTIONS.filter((n) => sections.includes(n)).map((n) => builders[n]()),
  };
  return redact(document);
}

/** "P3" and "P3 only (medium, low)" for a severity filter; null when every severity counts. */
type AlertScope = { priorities: string; title: string };

function alertScope(severities: readonly Severity[] | undefined): AlertScope | null {
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
  describe: (data: T) => {
    facts: ReportFact[];
    tables: ReportTable[];
    charts?: ReportChart[];
    verbatim?: ReportVerbatim[];
  },
): ReportSection {
  return source.available
    ? { title, available: true, ...describe(source.data) }
    : { title, available: false, reason: source.reason };
}

function healthSection(summary: HealthSummaryReplyV1, timeZone: string, sloPct: number, lengthMs: number) {
  const uptime = averageUptime(summary);
  const incidents = summary.incidents;
  const budgetOf = (pct: number | null) => (pct === null ? null : targetBudget(pct, sloPct, lengthMs));
  const budgetS = targetBudget(100, sloPct, lengthMs).budget_s;
  // Worst first, so the targets that ate their budget lead the chart and the table.
  const ranked = [...summary.targets].sort(
    (a, b) => (a.uptime_pct ?? 101) - (b.uptime_pct ?? 101) || a.name.localeCompare(b.name),
  );
  const charted = ranked.slice(0, MAX_CHART_BARS);
  const slo = formatPercent(sloPct, sloPct.toString().split('.')[1]?.length ?? 0);
  const jobs = lateOrFailedJobs(summary, (instant) => formatInstant(instant, timeZone));
  return {
    charts: [
      {
        id: 'downtime-by-target',
        title: 'Downtime per target (minutes)',
        kind: 'bar' as const,
        unit: 'min',
        labels: charted.map((t) => t.name),
        series: [
          {
            name: 'downtime',
            values: charted.map((t) => {
              const budget = budgetOf(t.uptime_pct);
              return budget === null ? null : budget.downtime_s / 60;
            }),
          },
        ],
        threshold: { value: budgetS / 60, label: `${slo} SLO budget: ${formatDuration(budgetS)}` },
        valueLabels: true,
      },
    ],
    facts: [
      { label: 'Targets', value: formatCount(summary.targets.length) },
      { label: 'Average uptime', value: uptime === null ? 'n/a' : formatPercent(uptime) },
      { label: `Error budget at ${slo}`, value: `${formatDuration(budgetS)} of downtime per target` },
      {
        label: 'Targets over budget',
        value: formatCount(ranked.filter((t) => (budgetOf(t.uptime_pct)?.left_s ?? 0) < 0).length),
      },
      ...(incidents ? [{ label: 'Incidents', value: formatCount(incidents.length) }] : []),
      ...jobs.facts,
    ],
    tables: [
      {
        caption: 'Per target',
        columns: ['Target', 'Status', 'Uptime', 'Downtime', 'Budget left', 'Checks', 'p50', 'p95'],
        rows: ranked.map((t) => {
          const budget = budgetOf(t.uptime_pct);
          return [
            t.name,
            t.status,
            t.uptime_pct === null ? 'n/a' : formatPercent(t.uptime_pct),
            budget === null ? 'n/a' : formatDuration(budget.downtime_s),
            budget === null ? 'n/a' : budgetLeft(budget.left_s),
            formatCount(t.checks),
            formatMilliseconds(t.p50_ms),
            formatMilliseconds(t.p95_ms),
          ];
        }),
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
                  i.duration_s === null ? 'ongoing' : formatDuration(i.duration_s),
                  i.reason,
                ]),
            },
          ]
        : []),
      ...jobs.tables,
    ],
  };
}

/** `7m 12s`, or `over by 40m 19s` when the objective was missed. */
function budgetLeft(leftS: number): string {
  return leftS < 0 ? `over by ${formatDuration(-leftS)}` : formatDuration(leftS);
}

function periodMs(period: ReportPeriod): number {
  return period.end.getTime() - period.start.getTime();
}

/**
 * The figures at the top of the report, each with its move since the period before: traffic,
 * 5xx share and p95 from Prometheus; uptime, alerts, response times, audit events and admin changes
 * from the summaries. A figure whose source is down says "unavailable".
 */
function headlineFigures(
  sources: WeeklySources,
  previous: Partial<SummarySources>,
  scope: AlertScope | null,
): ReportFact[] {
  const totals = mapSource(sources.traffic, (d) => d.totals);
  const totalsBefore = mapSource(sources.traffic, (d) => d.previous_totals);
  const { health, alerting, audit } = sources;
  const share = (t: TrafficTotals) => (t.requests > 0 ? (t.errors / t.requests) * 100 : null);
  const sharePct = (pct: number) => formatShare(pct / 100);
  return [
    headline('Requests', totals, totalsBefore, (t) => t.requests, formatCount, 'neither'),
    headline('5xx share', totals, totalsBefore, share, sharePct, 'lower', pointsChange),
    headline('p95 latency', totals, totalsBefore, (t) => t.p95_ms, formatMilliseconds, 'lower'),
    headline('Average uptime', health, previous.health, averageUptime, formatPercent, 'higher', pointsChange),
    headline(
      scope ? `${scope.priorities} alerts` : 'Alerts',
      alerting,
      previous.alerting,
      (a) => a.total_alerts,
      formatCount,
      'lower',
    ),
    // A digest narrowed to P3 has no P1 alerts to show.
    ...(scope
      ? []
      : [
          headline(
            'P1 alerts',
            alerting,
            previous.alerting,
            (a) => a.by_severity.critical ?? 0,
            formatCount,
            'lower',
          ),
        ]),
    headline('MTTA', alerting, previous.alerting, (a) => a.mtta_s, formatDuration, 'lower'),
    headline('MTTR', alerting, previous.alerting, (a) => a.mttr_s, formatDuration, 'lower'),
    headline('Audit events', audit, previous.audit, (a) => a.total_events, formatCount, 'neither'),
    headline('Admin changes', audit, previous.audit, adminChanges, formatCount, 'neither'),
  ];
}

/** One headline figure read the same way from this period's source and the one before. */
function headline<T>(
  label: string,
  now: SourceResult<T>,
  before: SourceResult<T> | undefined,
  read: (data: T) => number | null | undefined,
  format: (value: number) => string,
  better: Better,
  compare: typeof relativeChange = relativeChange,
): ReportFact {
  if (!now.available) return { label, value: 'unavailable' };
  const value = read(now.data) ?? null;
  const was = before?.available ? read(before.data) : null;
  return {
    label,
    value: value === null ? 'n/a' : format(value),
    change: compare(value, was, better, format),
  };
}

/** A part of a source's data, unavailable where the part is null. */
function mapSource<T, U>(source: SourceResult<T>, part: (data: T) => U | null): SourceResult<U> {
  if (!source.available) return source;
  const data = part(source.data);
  return data === null ? { available: false, reason: 'no data' } : { available: true, data };
}

/** Audit events of admins changing something: every `admin.*` action except views. */
export function adminChanges(summary: AuditSummaryReplyV1): number {
  return Object.entries(summary.by_action)
    .filter(([action]) => action.startsWith('admin.') && !action.endsWith('.viewed'))
    .reduce((sum, [, n]) => sum + n, 0);
}

function alertingSection(summary: AlertingSummaryReplyV1) {
  const optional = (label: string, value: string | undefined): ReportFact[] =>
    value === undefined ? [] : [{ label, value }];
  return {
    facts: [
      { label: 'Alerts fired', value: formatCount(summary.total_alerts) },
      { label: 'P1 alerts', value: formatCount(summary.by_severity.critical ?? 0) },
      ...optional('Episodes', summary.episodes === undefined ? undefined : formatCount(summary.episodes)),
      ...optional(
        'Acknowledged',
        summary.acknowledged === undefined ? undefined : formatCount(summary.acknowledged),
      ),
      ...optional('MTTA', summary.mtta_s === undefined ? undefined : nullableDuration(summary.mtta_s)),
      ...optional('MTTR', summary.mttr_s === undefined ? undefined : nullableDuration(summary.mttr_s)),
      ...optional(
        'False positives',
        summary.false_positives === undefined
          ? undefined
          : `${formatCount(summary.false_positives)} (${formatShare(summary.false_positive_rate)})`,
      ),
      { label: 'Notifications delivered', value: formatCount(summary.delivered) },
      { label: 'Notifications failed', value: formatCount(summary.failed) },
    ],
    tables: [
      countTable('By severity', 'Severity', summary.by_severity, severityOrder),
      ...(summary.top_noisy
        ? [
            {
              caption: 'Noisiest alerts',
              columns: ['Alert', 'Count'],
              rows: summary.top_noisy.map((n) => [n.alertname, formatCount(n.count)]),
            },
          ]
        : []),
    ],
  };
}

function auditSection(summary: AuditSummaryReplyV1) {
  const checkpoints = summary.checkpoints ?? [];
  return {
    facts: [
      // Exact here (the headline above rounds): an auditor compares these with the trail itself.
      { label: 'Audit events', value: formatExactCount(summary.total_events) },
      { label: 'Admin changes', value: formatExactCount(adminChanges(summary)) },
    ],
    tables: [
      countTable('By outcome', 'Outcome', summary.by_outcome),
      countTable('Top actions', 'Action', summary.by_action, undefined, TOP_ACTIONS),
      ...(summary.checkpoints ? [checkpointTable(checkpoints)] : []),
    ],
    // Each recipient keeps the signed notes: a later rewrite of a log cannot match a copy held here.
    verbatim: checkpoints.map((c) => ({
      caption: `Signed checkpoint of the ${c.category} log`,
      text: c.note,
    })),
  };
}

function checkpointTable(checkpoints: NonNullable<AuditSummaryReplyV1['checkpoints']>): ReportTable {
  return {
    caption: 'Latest signed log checkpoints',
    columns: ['Log', 'Entries', 'Root hash (SHA-256)', 'Witnessed'],
    rows: checkpoints.map((c) => [
      c.category,
      formatExactCount(c.size),
      c.root_hash,
      c.final === undefined ? 'n/a' : c.final ? 'quorum' : 'not yet',
    ]),
  };
}

/** Actions the privacy and admin review counts on their own (names from the AuditEvent contract). */
const BULK_ACTION = 'admin.bulk_action.executed';
const ECONOMY_EDIT = 'admin.economy_field.changed';

/**
 * The audit's privacy and admin figures, and the SQL integrity checks' values from health. Either
 * half may be missing; the section is unavailable only when both are.
 */
function privacyAndIntegritySection(
  audit: SourceResult<AuditSummaryReplyV1>,
  health: SourceResult<HealthSummaryReplyV1>,
): ReportSection {
  const title = 'Privacy and admin activity';
  if (!audit.available && !health.available)
    return { title, available: false, reason: `audit: ${audit.reason}; integrity checks: ${health.reason}` };
  const facts: ReportFact[] = [];
  const tables: ReportTable[] = [];
  if (audit.available) {
    const privacy = privacySection(audit.data);
    facts.push(...privacy.facts);
    tables.push(...privacy.tables);
  } else {
    facts.push({ label: 'Audit figures', value: `unavailable: ${audit.reason}` });
  }
  if (health.available) {
    const checks = integrityChecks(health.data);
    facts.push(...checks.facts);
    tables.push(...checks.tables);
  } else {
    facts.push({ label: 'Integrity checks', value: `unavailable: ${health.reason}` });
  }
  return { title, available: true, facts, tables };
}

function privacySection(summary: AuditSummaryReplyV1) {
  const sum = (counts: Record<string, number> | undefined) =>
    counts === undefined ? 'n/a' : formatCount(Object.values(counts).reduce((a, b) => a + b, 0));
  return {
    facts: [
      {
        label: 'Privacy setting changes',
        value: summary.privacy_changes === undefined ? 'n/a' : formatCount(summary.privacy_changes),
      },
      { label: 'Detections fired', value: sum(summary.detections) },
      { label: 'Sensitive record accesses', value: sum(summary.sensitive_access) },
      { label: 'Bulk actions', value: formatCount(summary.by_action[BULK_ACTION] ?? 0) },
      { label: 'Economy edits', value: formatCount(summary.by_action[ECONOMY_EDIT] ?? 0) },
    ],
    tables: [
      countTable('Detections by rule', 'Rule', summary.detections ?? {}),
      countTable('Wallet and KYC access by admin', 'Admin', summary.sensitive_access ?? {}),
      countTable('Admin activity', 'Admin', summary.admin_activity ?? {}, undefined, TOP_ACTIONS),
    ],
  };
}

function trafficSection(traffic: TrafficSummary) {
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
      { label: 'Requests', value: formatCount(traffic.totals.requests) },
      { label: 'Services', value: formatCount(traffic.services.length) },
      { label: 'p95 latency', value: formatMilliseconds(traffic.totals.p95_ms) },
    ],
    tables: [
      {
        caption: 'Per service',
        columns: ['Service', 'Requests', 'Change', 'p95'],
        rows: traffic.services.map((s) => [
          s.service,
          formatCount(s.requests),
          relativeChange(s.requests, s.previous_requests, 'neither', formatCount).short,
          formatMilliseconds(s.p95_ms),
        ]),
      },
      {
        caption: 'Latency per day',
        columns: ['Day', 'p50', 'p95', 'p99'],
        rows: traffic.latency_by_day.map((d) => [
          d.date,
          formatMilliseconds(d.p50_ms),
          formatMilliseconds(d.p95_ms),
          formatMilliseconds(d.p99_ms),
        ]),
      },
      {
        caption: 'Slowest routes (p95)',
        columns: ['Service', 'Route', 'p95'],
        rows: traffic.slowest_endpoints.map((e) => [e.service, e.route, formatMilliseconds(e.p95_ms)]),
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
  errors: SourceResult<ErrorsSummaryReplyV1>,
  alerting: SourceResult<AlertingSummaryReplyV1>,
): ReportSection {
  const title = 'Errors';
  if (!traffic.available && !errors.available && !alerting.available)
    return {
      title,
      available: false,
      reason: `5xx: ${traffic.reason}; errors service unavailable: ${errors.reason}; alerts: ${alerting.reason}`,
    };
  const facts: ReportFact[] = [];
  const tables: ReportTable[] = [];
  if (traffic.available) {
    const services = traffic.data.services;
    const { requests, errors } = traffic.data.totals;
    facts.push(
      { label: '5xx responses', value: formatCount(errors) },
      { label: '5xx share', value: requests === 0 ? 'n/a' : formatShare(errors / requests) },
    );
    tables.push({
      caption: '5xx share per service',
      columns: ['Service', 'Requests', '5xx', '5xx share'],
      rows: [...services]
        .sort((a, b) => (b.error_rate ?? -1) - (a.error_rate ?? -1) || a.service.localeCompare(b.service))
        .map((s) => [s.service, formatCount(s.requests), formatCount(s.errors), formatShare(s.error_rate)]),
    });
  } else {
    facts.push({ label: '5xx share', value: `unavailable: ${traffic.reason}` });
  }
  const issues = errorIssues(errors);
  facts.push(...issues.facts);
  tables.push(...issues.tables);
  if (alerting.available) {
    const summary = alerting.data;
    const top: string[][] = summary.top_alerts
      ? summary.top_alerts.map((a) => [a.alertname, a.severity, formatCount(a.count), a.status])
      : (summary.top_noisy ?? []).map((a) => [a.alertname, 'n/a', formatCount(a.count), 'unknown']);
    const firing = summary.top_alerts?.filter((a) => a.status === 'firing').length;
    if (firing !== undefined) facts.push({ label: 'Top alerts still firing', value: formatCount(firing) });
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

/** The errors service's part: its event and issue counts, and the period's top issues with their markers. */
export function errorIssues(errors: SourceResult<ErrorsSummaryReplyV1>): {
  facts: ReportFact[];
  tables: ReportTable[];
} {
  if (!errors.available)
    return {
      facts: [{ label: 'Issues', value: `errors service unavailable: ${errors.reason}` }],
      tables: [],
    };
  const summary = errors.data;
  const top = summary.top_issues.slice(0, TOP_ISSUES);
  return {
    facts: [
      { label: 'Error events', value: formatCount(summary.total_events) },
      { label: 'New issues', value: formatCount(summary.new_issues) },
      { label: 'Regressions', value: formatCount(summary.regressions) },
    ],
    tables: [
      {
        caption: `Top ${TOP_ISSUES} issues`,
        columns: ['Issue', 'Project', 'Level', 'Events', 'Users', 'Status', 'This period'],
        rows: top.map((issue) => [
          issue.culprit ? `${issue.title} (${issue.culprit})` : issue.title,
          issue.project,
          issue.level,
          formatCount(issue.count),
          formatCount(issue.users),
          issue.status,
          issueMarkers(issue),
        ]),
      },
    ],
  };
}

/** "new", "regressed", "resolved" (those that apply, comma-separated), or "-" for an issue that only recurred. */
function issueMarkers(issue: ErrorsSummaryReplyV1['top_issues'][number]): string {
  const markers = (['new', 'regressed', 'resolved'] as const).filter((marker) => issue[marker]);
  return markers.length > 0 ? markers.join(', ') : '-';
}

function nullableDuration(seconds: number | null): string {
  return seconds === null ? 'n/a' : formatDuration(seconds);
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
  const rows = shown.map(([name, n]) => [name, formatCount(n)]);
  if (entries.length > limit) rows.push([`(${entries.length - limit} other)`, formatCount(other)]);
  return { caption, columns: [column, 'Count'], rows };
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
