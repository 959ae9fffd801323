import { Inject, Injectable, Logger } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';
import { daysOf, precedingPeriod, type ReportPeriod } from '../model/report-period';
import { PrometheusClient, type InstantSample } from './prometheus.client';
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

/** Fleet-wide figures of one period. */
export interface TrafficTotals {
  requests: number;
  /** 5xx responses. */
  errors: number;
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
  totals: TrafficTotals;
  /** The same figures for the period before; null when Prometheus has no requests in it. */
  previous_totals: TrafficTotals | null;
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
/** The subquery step: the `fleet:` rates are per second over 5 m, so one sample per 5 m counts each request once. */
const STEP_S = 300;
const REQUESTS = 'fleet:http_requests:rate5m';
const BUCKETS = 'fleet:http_request_duration_seconds_bucket:rate5m';

/**
 * Traffic, 5xx share and latency per service from the `fleet:` series the recording rules derive
 * from each framework's exporter (django-prometheus, prometheus-fastapi-instrumentator,
 * prometheus-flask-exporter, Vigil's own), so any service in the fleet counts, under its `service`
 * label. Without PROMETHEUS_URL the section says so instead.
 *
 * Counts are the sum of the 5 m rates sampled every 5 m over the period (a subquery), times 300 s:
 * a series that exists for part of the period (a 5xx series appears with the first 5xx) counts for
 * that part only, which `avg_over_time` would not do. Quantiles come from the summed bucket rates.
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
    const days = daysOf(period, timeZone);
    const [now, before, slow, ...perDay] = await Promise.all([
      this.periodFigures(period),
      this.periodFigures(precedingPeriod(period, timeZone)),
      this.prometheus.instant(
        `topk(${SLOWEST}, histogram_quantile(0.95, sum by (service, route, le) (${summed(BUCKETS, period)})))`,
        period.end,
      ),
      ...days.map((day) => this.prometheus.instant(dayQuantiles(day), day.end)),
    ]);
    const services = now.requests
      .map((s) => {
        const service = serviceOf(s);
        const count = Math.round(s.value);
        const errors = now.errors.get(service) ?? 0;
        const previous = before.requests.find((b) => serviceOf(b) === service);
        return {
          service,
          requests: count,
          previous_requests: previous === undefined ? null : Math.round(previous.value),
          errors: Math.round(errors),
          error_rate: count === 0 ? null : errors / s.value,
          p95_ms: now.p95.has(service) ? (now.p95.get(service) ?? 0) * 1000 : null,
        };
      })
      .sort((a, b) => b.requests - a.requests || a.service.localeCompare(b.service));
    const quantile = (samples: InstantSample[], name: string) => {
      const sample = samples.find((x) => x.labels.quantile === name);
      return sample === undefined ? null : sample.value * 1000;
    };
    return {
      services,
      totals: totalsOf(now),
      previous_totals: before.requests.length === 0 ? null : totalsOf(before),
      latency_by_day: days.map((day, i) => ({
        date: day.label,
        p50_ms: quantile(perDay[i], 'p50'),
        p95_ms: quantile(perDay[i], 'p95'),
        p99_ms: quantile(perDay[i], 'p99'),
      })),
      slowest_endpoints: slow
        .map((s) => ({ service: serviceOf(s), route: s.labels.route ?? '(none)', p95_ms: s.value * 1000 }))
        .sort((a, b) => b.p95_ms - a.p95_ms),
    };
  }

  /** Requests, 5xx and p95 per service, and the fleet's p95, over one period. */
  private async periodFigures(period: ReportPeriod): Promise<PeriodFigures> {
    const count = (selector: string) =>
      `sum_over_time(sum by (service) (${selector})[${rangeOf(period)}:${STEP_S}s]) * ${STEP_S}`;
    const [requests, errors, p95, fleetP95] = await Promise.all([
      this.prometheus.instant(count(REQUESTS), period.end),
      this.prometheus.instant(count(`${REQUESTS}{status_class="5xx"}`), period.end),
      this.prometheus.instant(
        `histogram_quantile(0.95, sum by (service, le) (${summed(BUCKETS, period)}))`,
        period.end,
      ),
      this.prometheus.instant(
        `histogram_quantile(0.95, sum by (le) (${summed(BUCKETS, period)}))`,
        period.end,
      ),
    ]);
    const byService = (samples: InstantSample[]) => new Map(samples.map((s) => [serviceOf(s), s.value]));
    return { requests, errors: byService(errors), p95: byService(p95), fleetP95: fleetP95[0]?.value ?? null };
  }
}

interface PeriodFigures {
  requests: InstantSample[];
  errors: Map<string, number>;
  p95: Map<string, number>;
  /** Seconds; null without latency data. */
  fleetP95: number | null;
}

function totalsOf(figures: PeriodFigures): TrafficTotals {
  const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
  return {
    requests: Math.round(sum(figures.requests.map((s) => s.value))),
    errors: Math.round(sum(figures.errors.values())),
    p95_ms: figures.fleetP95 === null ? null : figures.fleetP95 * 1000,
  };
}

function serviceOf(sample: InstantSample): string {
  return sample.labels.service ?? '(none)';
}

/** `series` summed over `period` at the rules' 5 m step (bucket or request rates, per second). */
function summed(series: string, period: ReportPeriod): string {
  return `sum_over_time(${series}[${rangeOf(period)}:${STEP_S}s])`;
}

/** The fleet's p50/p95/p99 over one local day, the three told apart by a `quantile` label. */
function dayQuantiles(day: ReportPeriod): string {
  return QUANTILES.map(
    ([name, q]) =>
      `label_replace(histogram_quantile(${q}, sum by (le) (${summed(BUCKETS, day)})), "quantile", "${name}", "", "")`,
  ).join(' or ');
}

/**
 * A subquery range covering exactly (start, end] of `period`: one millisecond short of its length,
 * so the 5 m step evaluated at the period's start, which counts the 5 m before it, is left out.
 */
function rangeOf(period: ReportPeriod): string {
  return `${period.end.getTime() - period.start.getTime() - 1}ms`;
}
