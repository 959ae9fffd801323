import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { freePort } from './free-port';
import { waitFor } from './wait-for';

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
 * A real Prometheus on 127.0.0.1 (`port`, or a free one) over a fixed fortnight of data, the week before
 * `reportStart` and the week from it, one sample every 15 minutes from `reportStart - 1 week` on:
 * written as OpenMetrics and turned into TSDB blocks by `promtool tsdb create-blocks-from
 * openmetrics`, so every query answer is deterministic. `reportStart` must be a whole second.
 */
export async function startPrometheusWithFixture(
  reportStart: Date,
  port?: number,
): Promise<PrometheusHandle> {
  const listenPort = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
  const startS = reportStart.getTime() / 1000;
  const requests: string[] = ['# TYPE http_requests counter'];
  const durations: string[] = ['# TYPE http_request_duration_seconds histogram'];
  for (const [job, rates] of Object.entries(FIXTURE_SERVICES)) {
    let ok = 0;
    let failed = 0;
    let total = 0;
    const seriesOk: string[] = [];
    const seriesFailed: string[] = [];
    const buckets = BUCKETS.map(() => [] as string[]);
    const counts: string[] = [];
    const sums: string[] = [];
    for (let t = startS - WEEK_S; t <= startS + WEEK_S; t += STEP_S) {
      const labels = `job="${job}",method="GET",route="/checkout"`;
      seriesOk.push(`http_requests_total{${labels},status_code="200"} ${ok} ${t}`);
      seriesFailed.push(`http_requests_total{${labels},status_code="500"} ${failed} ${t}`);
      BUCKETS.forEach(([le, share], i) =>
        buckets[i].push(
          `http_request_duration_seconds_bucket{${labels},le="${le}"} ${Math.round(total * share)} ${t}`,
        ),
      );
      counts.push(`http_request_duration_seconds_count{${labels}} ${total} ${t}`);
      sums.push(`http_request_duration_seconds_sum{${labels}} ${(total * 0.08).toFixed(3)} ${t}`);
      const reportWeek = t >= startS;
      const served = reportWeek ? rates.during : rates.before;
      const errors = reportWeek ? rates.errors : 0;
      ok += served - errors;
      failed += errors;
      total += served * 100;
    }
    requests.push(...seriesOk, ...seriesFailed);
    durations.push(...buckets.flat(), ...counts, ...sums);
  }
  const data = join(dir, 'data.om');
  writeFileSync(data, [...requests, ...durations, '# EOF', ''].join('\n'));
  // Asynchronously: HTTP servers in this process (health targets) keep answering meanwhile.
  await promisify(execFile)(
    'promtool',
    ['tsdb', 'create-blocks-from', 'openmetrics', data, join(dir, 'tsdb')],
    {
      timeout: 60_000,
    },
  );
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'tsdb')}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${listenPort}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${listenPort}`;
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
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
