import type { HealthSummaryReplyV1 } from '@vigil/contracts';

import type { ReportFact, ReportTable } from '../model/report-document';
import { formatCount, formatDuration } from './number-format';

type Summary = HealthSummaryReplyV1;
type SummaryTarget = Summary['targets'][number];

/** Eight heights of a text sparkline: readable in the plain-text part and the HTML part alike. */
const BARS = '▁▂▃▄▅▆▇█';

/**
 * The heartbeat jobs that were late (no ping by the deadline) or failed in the period, oldest first,
 * for the uptime section. Nothing when health sent no list (an older health).
 */
export function lateOrFailedJobs(
  summary: Summary,
  formatInstant: (instant: Date) => string,
): { facts: ReportFact[]; tables: ReportTable[] } {
  const jobs = summary.late_or_failed_jobs;
  if (jobs === undefined) return { facts: [], tables: [] };
  const count = (problem: 'late' | 'failed') => formatCount(jobs.filter((j) => j.problem === problem).length);
  return {
    facts: [
      { label: 'Late jobs', value: count('late') },
      { label: 'Failed jobs', value: count('failed') },
    ],
    tables:
      jobs.length === 0
        ? []
        : [
            {
              caption: 'Late and failed jobs',
              columns: ['Job', 'Problem', 'Started', 'Duration', 'Cause'],
              rows: jobs.map((job) => [
                job.target,
                job.problem,
                formatInstant(new Date(job.started_at)),
                job.ended_at === null
                  ? 'ongoing'
                  : formatDuration((Date.parse(job.ended_at) - Date.parse(job.started_at)) / 1000),
                job.reason,
              ]),
            },
          ],
  };
}

/**
 * SQL integrity checks (private profiles showing social links, profiles without privacy
 * settings, ...) for the privacy section: state, last value, and its trend over the period as an
 * arrow against the period's first day and a text sparkline of the daily values.
 */
export function integrityChecks(summary: Summary): { facts: ReportFact[]; tables: ReportTable[] } {
  const checks = summary.targets.filter((t) => t.kind === 'sql');
  if (checks.length === 0) return { facts: [], tables: [] };
  const failing = checks.filter((c) => c.status === 'down').length;
  return {
    facts: [
      {
        label: 'Integrity checks failing',
        value: `${formatCount(failing)} of ${formatCount(checks.length)}`,
      },
    ],
    tables: [
      {
        caption: 'Integrity checks (SQL)',
        columns: ['Check', 'Status', 'Last value', 'Trend', 'Per day'],
        rows: checks.map((check) => [
          check.name,
          check.status,
          check.last_value === null || check.last_value === undefined ? 'n/a' : formatValue(check.last_value),
          valueTrend(check),
          textSparkline((check.values ?? []).map((v) => v.value)),
        ]),
      },
    ],
  };
}

/** `▲ 0 → 3`, `▼ 5 → 2`, `= 0` against the first day of the period; `n/a` without values. */
export function valueTrend(check: Pick<SummaryTarget, 'values' | 'last_value'>): string {
  const values = check.values ?? [];
  if (values.length === 0) return 'n/a';
  const first = values[0].value;
  const last = check.last_value ?? values[values.length - 1].value;
  if (first === last) return `= ${formatValue(last)}`;
  return `${last > first ? '▲' : '▼'} ${formatValue(first)} → ${formatValue(last)}`;
}

/** `▁▁▄█`: one block per value, scaled between the smallest and the largest; `-` without values. */
export function textSparkline(values: readonly number[]): string {
  if (values.length === 0) return '-';
  const min = Math.min(...values);
  const span = Math.max(...values) - min;
  return values
    .map((v) => BARS[span === 0 ? 0 : Math.round(((v - min) / span) * (BARS.length - 1))])
    .join('');
}

/** A measured value as counted: whole numbers grouped, fractions to three places. */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? formatCount(value) : String(Math.round(value * 1000) / 1000);
}
