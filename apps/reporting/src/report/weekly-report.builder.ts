import type { AlertingSummaryReplyV1, AuditSummaryReplyV1, HealthSummaryReplyV1 } from '@vigil/contracts';
import { redact } from '@vigil/redaction';

import type { SourceResult } from '../sources/source-result';
import type { WeeklySources } from '../sources/summary.client';
import type { ReportDocument, ReportFact, ReportSection, ReportTable } from './report-document';
import type { ReportPeriod } from './report-period';

/** Rows shown in a "top N" table; the rest are summed into one "other" row. */
const TOP_ACTIONS = 10;

export interface WeeklyReportInput {
  period: ReportPeriod;
  sources: WeeklySources;
  generatedAt: Date;
  timeZone: string;
}

/**
 * Turns the three summaries into the weekly report document. The result is redacted: source values
 * (target names, action names, failure reasons) may carry e-mail addresses or secrets.
 */
export function buildWeeklyReport({
  period,
  sources,
  generatedAt,
  timeZone,
}: WeeklyReportInput): ReportDocument {
  const uptime = sources.health.available ? averageUptime(sources.health.data) : null;
  const alerts = sources.alerting.available ? sources.alerting.data.total_alerts : null;
  const title = `Vigil weekly report ${period.label}`;
  const headline = `${title}: ${uptime === null ? 'uptime unavailable' : `${percent(uptime)} uptime`}, ${
    alerts === null ? 'alerts unavailable' : plural(alerts, 'alert')
  }`;
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
      { label: 'Alerts', value: alerts === null ? 'unavailable' : String(alerts) },
    ],
    sections: [
      section('Uptime', sources.health, healthSection),
      section('Alerts', sources.alerting, alertingSection),
      section('Audit activity', sources.audit, auditSection),
    ],
  };
  return redact(document);
}

/** Mean uptime of the targets that have one; null when none has. */
export function averageUptime(summary: HealthSummaryReplyV1): number | null {
  const known = summary.targets.map((t) => t.uptime_pct).filter((pct): pct is number => pct !== null);
  return known.length === 0 ? null : known.reduce((sum, pct) => sum + pct, 0) / known.length;
}

function section<T>(
  title: string,
  source: SourceResult<T>,
  describe: (data: T) => { facts: ReportFact[]; tables: ReportTable[] },
): ReportSection {
  return source.available
    ? { title, available: true, ...describe(source.data) }
    : { title, available: false, reason: source.reason };
}

function healthSection(summary: HealthSummaryReplyV1) {
  const uptime = averageUptime(summary);
  return {
    facts: [
      { label: 'Targets', value: String(summary.targets.length) },
      { label: 'Average uptime', value: uptime === null ? 'n/a' : percent(uptime) },
    ],
    tables: [
      {
        caption: 'Per target',
        columns: ['Target', 'Status', 'Uptime', 'Checks'],
        rows: [...summary.targets]
          .sort((a, b) => (a.uptime_pct ?? 101) - (b.uptime_pct ?? 101) || a.name.localeCompare(b.name))
          .map((t) => [
            t.name,
            t.status,
            t.uptime_pct === null ? 'n/a' : percent(t.uptime_pct),
            String(t.checks),
          ]),
      },
    ],
  };
}

function alertingSection(summary: AlertingSummaryReplyV1) {
  return {
    facts: [
      { label: 'Alerts fired', value: String(summary.total_alerts) },
      { label: 'Notifications delivered', value: String(summary.delivered) },
      { label: 'Notifications failed', value: String(summary.failed) },
    ],
    tables: [countTable('By severity', 'Severity', summary.by_severity, severityOrder)],
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
