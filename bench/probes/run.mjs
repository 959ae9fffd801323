// bench/probes: requests/s and p99 of GET /health/readiness on the built health service under load
// (autocannon, 50 connections, 10 s) while app traffic (GET /api/status) runs against the same
// process, side by side with two same-run baselines on this machine: (a) a bare NestJS route
// returning a constant and (b) a bare node:http server. The probe is sent where k8s/ sends it: the
// management port (MANAGEMENT_PORT, a worker thread). For comparison it also measures readiness on
// the app port (answered ahead of Nest, on the main event loop). Each server runs in its own
// process; autocannon runs here. Postgres runs with production durability, the service at the shipped log
// level (info). The run fails (no last line) when the probe or the app traffic beside it sees a non-2xx
// answer or an error. BENCH_SMOKE=1: one-second loads, same checks. Last line:
//   bench=probes rps=<x> p99_ms=<x> baseline_nest_rps=<x> baseline_node_rps=<x> ratio=<rps / bare NestJS rps>
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';

import {
  buildProjects,
  check,
  loadTesting,
  log,
  SHIPPED_LOG_LEVEL,
  sized,
  SMOKE,
  startDurablePostgres,
} from '../shared.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONNECTIONS = 50;
const DURATION_S = sized(10, 1);
/** Two seconds of load before each measurement (none in a smoke run, whose figures mean nothing). */
const warmUp = (url) => (SMOKE ? Promise.resolve() : load(url, CONNECTIONS, 2));
/** App traffic during the probe run: GET /api/status (Postgres-backed) at a steady rate. */
const APP_TRAFFIC_CONNECTIONS = 10;
const APP_TRAFFIC_RPS = Number(process.env.BENCH_APP_RPS ?? 200);

/** Starts `node script` with PORT set and waits for it to print "ready". */
function startChild(script, port) {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready after 30 s`)), 30_000);
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code} before ready`)));
  });
}

function stopChild(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}

function load(url, connections = CONNECTIONS, duration = DURATION_S, overallRate = undefined) {
  return autocannon({ url, connections, duration, pipelining: 1, ...(overallRate ? { overallRate } : {}) });
}

const summary = (result) => ({
  rps: Math.round(result.requests.average),
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
});

async function main() {
  buildProjects(['@vigil/health-service', '@vigil/testing']);
  const testing = await loadTesting();
  const children = [];
  const stops = [];
  try {
    // (b) bare node:http, then (a) bare NestJS: one at a time, each alone on the machine.
    const nodePort = await testing.freePort();
    const bareNode = await startChild(path.join(here, 'bare-node.mjs'), nodePort);
    await warmUp(`http://127.0.0.1:${nodePort}/`);
    const node = summary(await load(`http://127.0.0.1:${nodePort}/`));
    await stopChild(bareNode);
    log(`bare node:http       rps=${node.rps} p99_ms=${node.p99}`);

    const nestPort = await testing.freePort();
    const bareNest = await startChild(path.join(here, 'bare-nest.mjs'), nestPort);
    await warmUp(`http://127.0.0.1:${nestPort}/constant`);
    const nest = summary(await load(`http://127.0.0.1:${nestPort}/constant`));
    await stopChild(bareNest);
    log(`bare NestJS route    rps=${nest.rps} p99_ms=${nest.p99}`);

    // The health service, built, on real NATS and Postgres.
    const [nats, pg] = await Promise.all([testing.startNatsServer(), startDurablePostgres(testing)]);
    stops.push(
      () => nats.stop(),
      () => pg.stop(),
    );
    const port = await testing.freePort();
    const managementPort = await testing.freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-probes-'));
    stops.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const targetsFile = path.join(dir, 'targets.yaml');
    fs.writeFileSync(
      targetsFile,
      `targets:\n  - name: self\n    url: http://127.0.0.1:${port}/health/liveness\n    interval_s: 30\n`,
    );
    const service = await testing.runService({
      app: 'health',
      env: {
        PORT: String(port),
        MANAGEMENT_PORT: String(managementPort),
        NATS_URL: nats.url,
        DATABASE_URL: await pg.createDatabase(),
        TARGETS_FILE: targetsFile,
        LOG_LEVEL: SHIPPED_LOG_LEVEL,
      },
    });
    children.push(service);
    await service.waitForReady(port, 60_000);
    const appTraffic = () =>
      load(`http://127.0.0.1:${port}/api/status`, APP_TRAFFIC_CONNECTIONS, DURATION_S, APP_TRAFFIC_RPS);
    const measure = async (label, url) => {
      await warmUp(url);
      const [probe, app] = await Promise.all([load(url), appTraffic()]);
      const readiness = summary(probe);
      const traffic = summary(app);
      log(
        `${label} rps=${readiness.rps} p99_ms=${readiness.p99} non2xx=${readiness.non2xx} errors=${readiness.errors}` +
          ` (app traffic GET /api/status at ${APP_TRAFFIC_RPS}/s: rps=${traffic.rps} p99_ms=${traffic.p99})`,
      );
      check(
        readiness.non2xx === 0 && readiness.errors === 0,
        `${label.trim()}: ${readiness.non2xx} non-2xx answers and ${readiness.errors} errors`,
      );
      check(
        traffic.non2xx === 0 && traffic.errors === 0,
        `app traffic beside ${label.trim()}: ${traffic.non2xx} non-2xx answers and ${traffic.errors} errors`,
      );
      return readiness;
    };
    await measure('readiness, app port   ', `http://127.0.0.1:${port}/health/readiness`);
    const readiness = await measure(
      'readiness, management ',
      `http://127.0.0.1:${managementPort}/health/readiness`,
    );
    const ratio = (readiness.rps / nest.rps).toFixed(2);
    log(`goal: ratio >= 3 and p99 < 5 ms`);
    process.stdout.write(
      `bench=probes rps=${readiness.rps} p99_ms=${readiness.p99} baseline_nest_rps=${nest.rps} baseline_node_rps=${node.rps} ratio=${ratio}\n`,
    );
  } finally {
    for (const child of children) await child.stop();
    for (const stop of stops.reverse()) await stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`bench probes failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
