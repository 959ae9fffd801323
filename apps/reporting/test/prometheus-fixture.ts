import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, waitFor } from '@vigil/testing';

const STEP_S = 900;
const WEEK_S = 7 * 86_400;
/** Cumulative share of requests at or under each bucket: p50 = 50 ms, p95 = 250 ms, p99 = 500 ms exactly. */
const BUCKETS: [string, number][] = [
  ['0.05', 0.5],
  ['0.1', 0.8],
  ['0.25', 0.95],
  ['0.5', 0.99],
  ['1', 1],
  ['+Inf', 1],
];

/** Requests per 15 minutes in the week before and in the report week, and 5xx per 15 minutes in the report week. */
export const FIXTURE_SERVICES = {
  'shop-api': { before: 60, during: 72, errors: 1 },
  billing: { before: 20, during: 16, errors: 0 },
} as const;

export interface PrometheusHandle {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real Prometheus on 127.0.0.1 over a fixed fortnight of data (the week before `reportStart` and
 * the week from it): written as OpenMetrics, turned into TSDB blocks by `promtool tsdb
 * create-blocks-from openmetrics`, so every query answer is deterministic.
 */
export async function startPrometheusWithFixture(reportStart: Date): Promise<PrometheusHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
  const start = reportStart.getTime() / 1000 - WEEK_S;
  const end = reportStart.getTime() / 1000 + WEEK_S;
  const requests: string[] = ['# TYPE http_requests counter'];
  const durations: string[] = ['# TYPE http_request_duration_seconds histogram'];
  for (const [job, rates] of Object.entries(FIXTURE_SERVICES)) {
    const ok = { count: 0 };
    const failed = { count: 0 };
    const seriesOk: string[] = [];
    const seriesFailed: string[] = [];
    const buckets = BUCKETS.map(() => [] as string[]);
    const counts: string[] = [];
    const sums: string[] = [];
    let total = 0;
    for (let t = start; t <= end; t += STEP_S) {
      const labels = `job="${job}",method="GET",route="/checkout"`;
      seriesOk.push(`http_requests_total{${labels},status_code="200"} ${ok.count} ${t}`);
      seriesFailed.push(`http_requests_total{${labels},status_code="500"} ${failed.count} ${t}`);
      BUCKETS.forEach(([le, share], i) =>
        buckets[i].push(
          `http_request_duration_seconds_bucket{${labels},le="${le}"} ${Math.round(total * share)} ${t}`,
        ),
      );
      counts.push(`http_request_duration_seconds_count{${labels}} ${total} ${t}`);
      sums.push(`http_request_duration_seconds_sum{${labels}} ${(total * 0.08).toFixed(3)} ${t}`);
      const reportWeek = t >= reportStart.getTime() / 1000;
      const served = reportWeek ? rates.during : rates.before;
      const errors = reportWeek ? rates.errors : 0;
      ok.count += served - errors;
      failed.count += errors;
      total += served * 100;
    }
    requests.push(...seriesOk, ...seriesFailed);
    durations.push(...buckets.flat(), ...counts, ...sums);
  }
  const data = join(dir, 'data.om');
  writeFileSync(data, [...requests, ...durations, '# EOF', ''].join('\n'));
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', data, join(dir, 'tsdb')], {
    stdio: 'ignore',
  });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  const port = await freePort();
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}`);
      return (await fetch(`${url}/-/ready`).catch(() => null))?.ok ?? null;
    },
    { timeoutMs: 30_000, description: 'prometheus ready' },
  );
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
