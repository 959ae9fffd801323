import { Inject, Injectable, Logger } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';
import { daysOf, precedingPeriod, type ReportPeriod } from '../model/report-period';
import { PrometheusClient } from './prometheus.client';
import type { SourceResult } from './source-result';
import { describeFailure } from './summary.client';

export const NO_METRICS_SOURCE = 'no metrics source configured';

export interface ServiceTraffic {
  service: string;
  requests: number;
  /** Requests in the period before, same length; null when Prometheus has none. */
  previous_requests: number | null;
  /** 5xx responses in the period. */
  errors: number;
  /** Share of 5xx responses, 0..1; null without requests. */
  error_rate: number | null;
  p95_ms: number | null;
}

export interface LatencyDay {
  /** The local date in the report's time zone, `2026-11-16`. */
  date: string;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface TrafficSummary {
  services: ServiceTraffic[];
  /** Fleet-wide latency quantiles per local day of the period (23, 24 or 25 hours each). */
  latency_by_day: LatencyDay[];
  slowest_endpoints: { service: string; route: string; p95_ms: number }[];
}

const SLOWEST = 10;
const QUANTILES = [
  ['p50', 0.5],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

/**
 * Traffic, 5xx rate and latency per service from Prometheus (http_requests_total and
 * http_request_duration_seconds, the metrics every Vigil-instrumented service exports), grouped by
 * PROMETHEUS_SERVICE_LABEL. Without PROMETHEUS_URL the section says so instead.
 */
@Injectable()
export class TrafficSource {
  private readonly logger = new Logger(TrafficSource.name);

  constructor(
    private readonly prometheus: PrometheusClient,
    @Inject(SERVICE_CONFIG) private readonly config: ReportingConfig,
  ) {}

  /** Traffic over `period`, compared with the period before it; days are local days in `timeZone`. */
  async collect(period: ReportPeriod, timeZone: string): Promise<SourceResult<TrafficSummary>> {
    if (!this.prometheus.configured) return { available: false, reason: NO_METRICS_SOURCE };
    try {
      return { available: true, data: await this.query(period, timeZone) };
    } catch (error) {
      const reason = describeFailure(error, this.config.SUMMARY_TIMEOUT_MS);
      this.logger.warn({ source: 'prometheus', reason }, 'metrics source unavailable');
      return { available: false, reason };
    }
  }

  private async query(period: ReportPeriod, timeZone: string): Promise<TrafficSummary> {
    const by = this.config.PROMETHEUS_SERVICE_LABEL;
    const window = rangeOf(period);
    const previousPeriod = precedingPeriod(period, timeZone);
    const requests = (range: string) => `sum by (${by}) (increase(http_requests_total[${range}]))`;
    const errors = `sum by (${by}) (increase(http_requests_total{status_code=~"5.."}[${window}]))`;
    const p95 = `histogram_quantile(0.95, sum by (${by}, le) (rate(http_request_duration_seconds_bucket[${window}])))`;
    const slowest = `topk(${SLOWEST}, histogram_quantile(0.95, sum by (${by}, route, le) (rate(http_request_duration_seconds_bucket[${window}]))))`;
    // One query per local day (its own length across DST), the three quantiles told apart by a label.
    const quantiles = (range: string) =>
      QUANTILES.map(
        ([name, q]) =>
          `label_replace(histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket[${range}]))), "quantile", "${name}", "", "")`,
      ).join(' or ');
    const days = daysOf(period, timeZone);
    const [now, before, failed, latency, slow, ...perDay] = await Promise.all([
      this.prometheus.instant(requests(window), period.end),
      this.prometheus.instant(requests(rangeOf(previousPeriod)), previousPeriod.end),
      this.prometheus.instant(errors, period.end),
      this.prometheus.instant(p95, period.end),
      this.prometheus.instant(slowest, period.end),
      ...days.map((day) => this.prometheus.instant(quantiles(rangeOf(day)), day.end)),
    ]);
    const byService = (samples: { labels: Record<string, string>; value: number }[]) =>
      new Map(samples.map((s) => [s.labels[by] ?? '(none)', s.value]));
    const previous = byService(before);
    const fivexx = byService(failed);
    const p95s = byService(latency);
    const services = now
      .map((s) => {
        const service = s.labels[by] ?? '(none)';
        const count = Math.round(s.value);
        return {
          service,
          requests: count,
          previous_requests: previous.has(service) ? Math.round(previous.get(service) ?? 0) : null,
          errors: Math.round(fivexx.get(service) ?? 0),
          error_rate: count === 0 ? null : (fivexx.get(service) ?? 0) / s.value,
          p95_ms: p95s.has(service) ? (p95s.get(service) ?? 0) * 1000 : null,
        };
      })
      .sort((a, b) => b.requests - a.requests || a.service.localeCompare(b.service));
    const quantile = (samples: { labels: Record<string, string>; value: number }[], name: string) => {
      const sample = samples.find((x) => x.labels.quantile === name);
      return sample === undefined ? null : sample.value * 1000;
    };
    return {
      services,
      latency_by_day: days.map((day, i) => ({
        date: day.label,
        p50_ms: quantile(perDay[i], 'p50'),
        p95_ms: quantile(perDay[i], 'p95'),
        p99_ms: quantile(perDay[i], 'p99'),
      })),
      slowest_endpoints: slow
        .map((s) => ({
          service: s.labels[by] ?? '(none)',
          route: s.labels.route ?? '(none)',
          p95_ms: s.value * 1000,
        }))
        .sort((a, b) => b.p95_ms - a.p95_ms),
    };
  }
}

/** A PromQL range covering `period` exactly, in whole seconds. */
function rangeOf(period: ReportPeriod): string {
  return `${Math.round((period.end.getTime() - period.start.getTime()) / 1000)}s`;
}
