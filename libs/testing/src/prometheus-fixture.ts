import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { freePort } from './free-port';
import { waitFor } from './wait-for';

/** The recording rules' evaluation step as the fixture writes it; the report reads with a 5m subquery step. */
const STEP_S = 300;
const WEEK_S = 7 * 86_400;
/** Cumulative share of requests at or under each bucket. Report week: p50 = 50 ms, p95 = 250 ms, p99 = 500 ms exactly. */
const BUCKETS: [string, number][] = [
  ['0.05', 0.5],
  ['0.1', 0.8],
  ['0.25', 0.95],
  ['0.5', 0.99],
  ['1', 1],
  ['+Inf', 1],
];
/** The week before was slower: p95 = 500 ms. */
const BUCKETS_BEFORE: [string, number][] = [
  ['0.05', 0.4],
  ['0.1', 0.7],
  ['0.25', 0.9],
  ['0.5', 0.95],
  ['1', 1],
  ['+Inf', 1],
];

/**
 * Requests and 5xx per 15 minutes in the week before and in the report week, on one route per service.
 * shop-api: 48,384 requests (672 5xx) in the report week against 40,320 (1,344 5xx) before.
 */
export const FIXTURE_SERVICES = {
  'shop-api': { route: '/checkout', before: 60, during: 72, errorsBefore: 2, errors: 1 },
  billing: { route: '/invoices', before: 20, during: 16, errorsBefore: 0, errors: 0 },
} as const;

export interface PrometheusHandle {
  url: string;
  stop(): Promise<void>;
}

/**
 * The `fleet:` series the recording rules (k8s/base/prometheus-rules/fleet-recording.rules.yaml)
 * write, as OpenMetrics: one sample every 5 minutes at epoch-aligned instants, each the per-second
 * rate over the 5 minutes up to it, so a sample at or before `reportStart` carries the week before.
 */
function fleetSeries(reportStart: Date): string[] {
  const startS = reportStart.getTime() / 1000;
  const first = Math.ceil((startS - WEEK_S) / STEP_S) * STEP_S;
  const requests: string[] = ['# TYPE fleet:http_requests:rate5m gauge'];
  const buckets: string[] = ['# TYPE fleet:http_request_duration_seconds_bucket:rate5m gauge'];
  for (const [service, f] of Object.entries(FIXTURE_SERVICES)) {
    const labels = `service="${service}",route="${f.route}"`;
    const ok: string[] = [];
    const failed: string[] = [];
    const le = BUCKETS.map(() => [] as string[]);
    for (let t = first; t <= startS + WEEK_S; t += STEP_S) {
      const reportWeek = t > startS;
      const perS = (per15m: number) => per15m / 900;
      const served = perS(reportWeek ? f.during : f.before);
      const errors = perS(reportWeek ? f.errors : f.errorsBefore);
      ok.push(
        `fleet:http_requests:rate5m{${labels},method="GET",status_class="2xx"} ${served - errors} ${t}`,
      );
      failed.push(`fleet:http_requests:rate5m{${labels},method="GET",status_class="5xx"} ${errors} ${t}`);
      (reportWeek ? BUCKETS : BUCKETS_BEFORE).forEach(([bound, share], i) =>
        le[i].push(
          `fleet:http_request_duration_seconds_bucket:rate5m{${labels},le="${bound}"} ${served * share} ${t}`,
        ),
      );
    }
    requests.push(...ok, ...failed);
    buckets.push(...le.flat());
  }
  return [...requests, ...buckets];
}

/**
 * A real Prometheus on 127.0.0.1 (`port`, or a free one) over a fixed fortnight of `fleet:` series,
 * the week before `reportStart` and the week from it, turned into TSDB blocks by `promtool tsdb
 * create-blocks-from openmetrics`, so every query answer is deterministic. The series are written
 * directly rather than evaluated from exporter series: the recording rules have their own
 * `promtool test rules`. `reportStart` must be a whole second.
 */
export async function startPrometheusWithFixture(
  reportStart: Date,
  port?: number,
): Promise<PrometheusHandle> {
  const listenPort = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
  const data = join(dir, 'data.om');
  writeFileSync(data, [...fleetSeries(reportStart), '# EOF', ''].join('\n'));
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
