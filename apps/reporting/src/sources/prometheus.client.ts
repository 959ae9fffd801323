import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';

const sampleValue = z.tuple([z.number(), z.string()]);

const vectorResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sampleValue })),
  }),
});

const matrixResponse = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(sampleValue) })),
  }),
});

export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

export interface RangeSeries {
  labels: Record<string, string>;
  points: { at: Date; value: number }[];
}

/**
 * Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`) at PROMETHEUS_URL. I/O only; each
 * call is bounded by SUMMARY_TIMEOUT_MS. NaN samples (a quantile over no data) are dropped.
 */
@Injectable()
export class PrometheusClient {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ReportingConfig) {}

  get configured(): boolean {
    return this.config.PROMETHEUS_URL !== undefined;
  }

  async instant(query: string, at: Date): Promise<InstantSample[]> {
    const body = await this.get('api/v1/query', { query, time: seconds(at) });
    return vectorResponse
      .parse(body)
      .data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }))
      .filter((s) => Number.isFinite(s.value));
  }

  async range(query: string, start: Date, end: Date, stepS: number): Promise<RangeSeries[]> {
    const body = await this.get('api/v1/query_range', {
      query,
      start: seconds(start),
      end: seconds(end),
      step: String(stepS),
    });
    return matrixResponse.parse(body).data.result.map((r) => ({
      labels: r.metric,
      points: r.values
        .map(([at, value]) => ({ at: new Date(at * 1000), value: Number(value) }))
        .filter((p) => Number.isFinite(p.value)),
    }));
  }

  private async get(path: string, params: Record<string, string>): Promise<unknown> {
    const base = this.config.PROMETHEUS_URL;
    if (base === undefined) throw new Error('no metrics source configured');
    const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const response = await fetch(url, { signal: AbortSignal.timeout(this.config.SUMMARY_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`Prometheus answered HTTP ${response.status} to ${path}`);
    return response.json();
  }
}

function seconds(at: Date): string {
  return String(at.getTime() / 1000);
}
