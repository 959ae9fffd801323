import { Inject, Injectable, Logger } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';
import type { ReportPeriod } from '../report/report-period';
import { PrometheusClient } from './prometheus.client';
import type { SourceResult } from './source-result';
import { describeFailure } from './summary.client';

export const NO_METRICS_SOURCE = 'no metrics source configured';

export interface ServiceTraffic {
  service: string;
  requests: number;
  /** Requests in the period before, same length; null when Prometheus has none. */
  previous_requests: number | null;
  /** Share of 5xx responses, 0..1; null without requests. */
  error_rate: number | null;
  p95_ms: number | null;
}

export interface LatencyDay {
  day: Date;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface TrafficSummary {
  services: ServiceTraffic[];
  /** Fleet-wide latency quantiles per day of the period. */
  latency_by_day: LatencyDay[];
  slowest_endpoints: { service: string; route: string; p95_ms: number }[];
}

const DAY_S = 86_400;
const SLOWEST = 10;

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

  async collect(period: ReportPeriod): Promise<SourceResult<TrafficSummary>> {
    if (!this.prometheus.configured) return { available: false, reason: NO_METRICS_SOURCE };
    try {
      return { available: true, data: await this.query(period) };
    } catch (error) {
      const reason = describeFailure(error, this.config.SUMMARY_TIMEOUT_MS);
      this.logger.warn({ source: 'prometheus', reason }, 'metrics source unavailable');
      return { available: false, reason };
    }
  }

  private async query(period: ReportPeriod): Promise<TrafficSummary> {
    const by = this.config.PROMETHEUS_SERVICE_LABEL;
    const window = `${Math.round((period.end.getTime() - period.start.getTime()) / 1000)}s`;
    const requests = `sum by (${by}) (increase(http_requests_total[${window}]))`;
    const errors = `sum by (${by}) (increase(http_requests_total{status_code=~"5.."}[${window}]))`;
    const p95 = `histogram_quantile(0.95, sum by (${by}, le) (rate(http_request_duration_seconds_bucket[${window}])))`;
    const slowest = `topk(${SLOWEST}, histogram_quantile(0.95, sum by (${by}, route, le) (rate(http_request_duration_seconds_bucket[${window}]))))`;
    const quantile = (q: number) =>
      `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket[1d])))`;
    const firstDayEnd = new Date(period.start.getTime() + DAY_S * 1000);
    const [now, before, failed, latency, slow, q50, q95, q99] = await Promise.all([
      this.prometheus.instant(requests, period.end),
      this.prometheus.instant(requests, period.start),
      this.prometheus.instant(errors, period.end),
      this.prometheus.instant(p95, period.end),
      this.prometheus.instant(slowest, period.end),
      this.prometheus.range(quantile(0.5), firstDayEnd, period.end, DAY_S),
      this.prometheus.range(quantile(0.95), firstDayEnd, period.end, DAY_S),
      this.prometheus.range(quantile(0.99), firstDayEnd, period.end, DAY_S),
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
          error_rate: count === 0 ? null : (fivexx.get(service) ?? 0) / s.value,
          p95_ms: p95s.has(service) ? (p95s.get(service) ?? 0) * 1000 : null,
        };
      })
      .sort((a, b) => b.requests - a.requests || a.service.localeCompare(b.service));
    const days = new Map<number, LatencyDay>();
    const day = (at: Date) => {
      const start = at.getTime() - DAY_S * 1000;
      const entry = days.get(start) ?? { day: new Date(start), p50_ms: null, p95_ms: null, p99_ms: null };
      days.set(start, entry);
      return entry;
    };
    for (const point of q50[0]?.points ?? []) day(point.at).p50_ms = point.value * 1000;
    for (const point of q95[0]?.points ?? []) day(point.at).p95_ms = point.value * 1000;
    for (const point of q99[0]?.points ?? []) day(point.at).p99_ms = point.value * 1000;
    return {
      services,
      latency_by_day: [...days.values()].sort((a, b) => a.day.getTime() - b.day.getTime()),
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
