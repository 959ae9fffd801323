// bench/alerting: the alerting service against Debian's Alertmanager (0.25) under the same config, in the
// same run. (1) Ingest: 20,000 distinct alerts POSTed to /api/v2/alerts in batches of 100 with 8 in flight
// (after one unmeasured warm-up burst each, three rounds per system, alternating; medians),
// alerts/s until every POST was answered. Ours answers 200 only once the request is durable in Postgres:
// applied to alerts, groups and episodes when it arrives alone, else journalled (one alert_intake row per
// request, group-committed) and applied in bulk right behind the answers; Alertmanager keeps alerts in
// memory. How long after the last answer GET /api/v2/alerts lists the last alert is printed beside it.
// (2) Latency: single alerts, each a new group (group_wait 0s), from POST to the
// webhook's arrival at a local receiver, p50/p99, idle and with 2,000 live groups (three rounds of 300
// per system, alternating; medians). A third, informative system runs in the same rounds: the floor
// (floor-relay.mjs), a bare Node relay doing one Postgres INSERT before the webhook. Everything on 127.0.0.1,
// free ports, bounded in count and time. Last line:
//   bench=alerting alerts_per_s=<x> p99_ms=<x> baseline_am_alerts_per_s=<x> baseline_am_p99_ms=<x> ratio=<x>
// (p99 is the one with 2,000 live groups; ratio = alerts_per_s / Alertmanager's).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, release, tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildProjects, log, median, percentile, runCleanups, sleep } from '../shared.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

const INGEST_ALERTS = 20_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3); // ingest rounds per system, alternating; medians reported
const BATCH = 100;
const CONCURRENCY = 8;
const LIVE_GROUPS = 2_000;
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 300);
const WAIT_MS = 30_000;

// The service's API-key guard needs a key with scope alerts:write (API_KEYS, scrypt hashes). Both
// systems get the same Authorization header (Alertmanager ignores it). The per-key write rate limit
// (API_WRITE_RATE_PER_S, default 20/s) is for clients on the internet, not a Prometheus posting bursts:
// it is off here, as it would be for the Prometheus key in production.
const API_KEY = randomBytes(32).toString('base64url');
const apiKeyHash = (key) => {
  const [N, r, p, salt] = [1024, 8, 1, randomBytes(16)];
  const hash = scryptSync(key, salt, 32, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
};

/** The config both systems run: latency alerts to the webhook, one group per alertname, group_wait at its floor. */
const configYaml = (hookUrl) => `
route:
  receiver: blackhole
  group_by: [phase]
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 4h
  routes:
    - matchers: [phase="latency"]
      receiver: hook
      group_by: [alertname]
    - matchers: [phase="live"]
      receiver: blackhole
      group_by: [alertname]
receivers:
  - name: blackhole
  - name: hook
    webhook_configs:
      - url: ${hookUrl}
`;

/** A local webhook receiver noting when each latency alert arrived. */
async function startReceiver() {
  const arrivals = new Map();
  const waiters = new Map();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const alert of body.alerts ?? []) {
          const name = alert.labels?.alertname;
          if (name && !arrivals.has(name)) {
            arrivals.set(name, now);
            waiters.get(name)?.();
          }
        }
      } catch {
        // not ours
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook`,
    arrival(name) {
      if (arrivals.has(name)) return Promise.resolve(arrivals.get(name));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no notification for ${name} within ${WAIT_MS} ms`)),
          WAIT_MS,
        );
        waiters.set(name, () => {
          clearTimeout(timer);
          resolve(arrivals.get(name));
        });
      });
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

function post(base, alerts) {
  const body = JSON.stringify(alerts);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/api/v2/alerts`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${API_KEY}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`POST answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const alert = (labels) => ({ labels, annotations: { summary: 'bench alert for jane@example.com' } });

async function ingest(base, tag) {
  const batches = [];
  for (let i = 0; i < INGEST_ALERTS; i += BATCH) {
    batches.push(
      Array.from({ length: BATCH }, (_, j) =>
        alert({ alertname: 'BenchIngest', phase: 'ingest', instance: `${tag}-${i + j}`, severity: 'low' }),
      ),
    );
  }
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) await post(base, batches[next++]);
    }),
  );
  return INGEST_ALERTS / ((performance.now() - start) / 1000);
}

/**
 * How long after the last ingest answer GET /api/v2/alerts lists the last alert posted (informative, not a
 * goal: Alertmanager lists it at once; ours applies its intake journal behind the answers).
 */
async function listedAfter(base, tag) {
  const start = performance.now();
  const filter = encodeURIComponent(`instance="${tag}-${INGEST_ALERTS - 1}"`);
  const res = await fetch(`${base}/api/v2/alerts?filter=${filter}`, {
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  const listed = await res.json();
  if (!Array.isArray(listed)) throw new Error(`GET /api/v2/alerts answered ${res.status}`);
  // Ours answers with what is stored once its settle timeout passes; say so rather than fail the run.
  return { ms: performance.now() - start, listed: listed.length === 1 };
}

async function latency(base, receiver, tag) {
  const samples = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const name = `BenchLatency_${tag}_${i}`;
    const sent = performance.now();
    await post(base, [alert({ alertname: name, phase: 'latency', severity: 'critical' })]);
    samples.push((await receiver.arrival(name)) - sent);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function liveGroups(base, tag) {
  for (let i = 0; i < LIVE_GROUPS; i += BATCH) {
    await post(
      base,
      Array.from({ length: BATCH }, (_, j) =>
        alert({ alertname: `BenchLive_${tag}_${i + j}`, phase: 'live' }),
      ),
    );
  }
}

/**
 * Latency of both systems, single alerts POST -> webhook: ROUNDS rounds idle, then (after each system
 * got LIVE_GROUPS live groups) ROUNDS rounds loaded, alternating the systems as for ingest; the
 * median of the rounds' p50 and p99 is reported (p99 of one round of 300 swung by 2x on 2 cores).
 */
async function latencyRounds(systems, receiver) {
  const results = new Map(systems.map(({ label }) => [label, { idle: [], loaded: [] }]));
  const phase = async (name) => {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const { label, base } of systems) {
        const result = await latency(base, receiver, `${label}_${name}_r${round}`);
        results.get(label)[name].push(result);
        log(
          `${label} ${name} round ${round}: POST -> webhook p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`,
        );
      }
    }
  };
  await phase('idle');
  for (const { label, base } of systems) await liveGroups(base, label);
  await sleep(1000);
  await phase('loaded');
  const medianOf = (rounds) => ({
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
  });
  return new Map(
    [...results].map(([label, { idle, loaded }]) => [
      label,
      { idle: medianOf(idle), loaded: medianOf(loaded) },
    ]),
  );
}

/**
 * Ingest in ROUNDS, alternating the two systems so both see the same machine (one burst of each swung
 * the ratio by a factor of two on 2 cores); each round is followed by a pause, and ours by a GET that
 * waits for its intake journal to be applied, so no system's background work runs in the other's round.
 * Each system first takes one burst that is not measured: a JIT runtime's first bursts after boot
 * compile the ingest path and grow the heap (alone, ours ran 66k, 70k, 80k, then 85-98k alerts/s),
 * while Alertmanager's Go is compiled ahead of time; Prometheus posts all day, so the steady state is
 * what the goal is about. The warm-up rates are printed too.
 */
async function ingestRounds(systems) {
  const rates = new Map(systems.map((system) => [system.label, []]));
  for (const { label, base } of systems) {
    const alertsPerS = await ingest(base, `${label}_warm`);
    await listedAfter(base, `${label}_warm`);
    log(`${label} warm-up burst (not measured): ingest ${Math.round(alertsPerS)} alerts/s`);
    await sleep(1000);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { label, base } of systems) {
      const tag = `${label}_r${round}`;
      const alertsPerS = await ingest(base, tag);
      const listing = await listedAfter(base, tag);
      rates.get(label).push(alertsPerS);
      log(
        `${label} round ${round}: ingest ${Math.round(alertsPerS)} alerts/s (${INGEST_ALERTS} alerts, batches of ${BATCH}, ` +
          `${CONCURRENCY} in flight); ` +
          (listing.listed
            ? `the last one listed by GET ${listing.ms.toFixed(0)} ms after the last answer`
            : `the last one NOT yet listed by a GET answered ${listing.ms.toFixed(0)} ms after the last answer`),
      );
      await sleep(1000);
    }
  }
  return new Map([...rates].map(([label, values]) => [label, median(values)]));
}

/** The latency floor (floor-relay.mjs) on its own database; resolves to its base URL. */
async function startFloorRelay(databaseUrl, hookUrl, cleanups) {
  const relay = spawn(process.execPath, [path.join(here, 'floor-relay.mjs'), databaseUrl, hookUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanups.push(() => relay.kill('SIGTERM'));
  const [chunk] = await Promise.race([
    once(relay.stdout, 'data'),
    once(relay, 'exit').then(([code]) => {
      throw new Error(`floor relay exited (${code}) before listening`);
    }),
  ]);
  return `http://127.0.0.1:${String(chunk).trim()}`;
}

/**
 * The scheduler facts that bound a latency tail here: a kernel without preemption (PREEMPT_NONE) lets a
 * woken process wait for the running one to block or for the next tick (1000/HZ ms). Read from the
 * kernel's config where it is published; "unknown" otherwise.
 */
function kernelSummary() {
  let config = '';
  try {
    if (existsSync('/proc/config.gz')) config = gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
    else if (existsSync(`/boot/config-${release()}`))
      config = readFileSync(`/boot/config-${release()}`, 'utf8');
  } catch {
    // unknown
  }
  const hz = /^CONFIG_HZ=(\d+)$/m.exec(config)?.[1];
  const preempt = ['PREEMPT_RT', 'PREEMPT', 'PREEMPT_LAZY', 'PREEMPT_VOLUNTARY', 'PREEMPT_NONE'].find(
    (model) => new RegExp(`^CONFIG_${model}=y$`, 'm').test(config),
  );
  return `kernel ${release()}, ${preempt ?? 'preemption unknown'}, ${hz ? `HZ=${hz} (a tick is ${1000 / Number(hz)} ms)` : 'HZ unknown'}, ${availableParallelism()} CPUs`;
}

async function waitHttp(url, child) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${WAIT_MS} ms`);
    await sleep(100);
  }
}

async function main() {
  buildProjects(['@vigil/alerting-service', '@vigil/testing']);
  const testing = (await import(path.join(root, 'libs/testing/dist/index.js'))).default;
  const cleanups = [];
  let service;
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-alerting-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.stop());
    const configFile = path.join(dir, 'alerting.yaml');
    writeFileSync(configFile, configYaml(receiver.url));

    // Baseline: Debian's Alertmanager, single node, same config.
    const amPort = await testing.freePort();
    const am = spawn(
      ALERTMANAGER,
      [
        `--config.file=${configFile}`,
        `--storage.path=${path.join(dir, 'am')}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        '--cluster.listen-address=',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    cleanups.push(() => am.kill('SIGTERM'));
    await waitHttp(`http://127.0.0.1:${amPort}/-/ready`, am);
    const version = spawnSync(ALERTMANAGER, ['--version'], { encoding: 'utf8' });
    log(`baseline: ${(version.stdout || version.stderr).split('\n')[0]} on :${amPort}`);
    log(`machine: ${kernelSummary()}`);

    const nats = await testing.startNatsServer();
    cleanups.push(() => nats.stop());
    const pg = await testing.startPostgres();
    cleanups.push(() => pg.stop());
    const databaseUrl = await pg.createDatabase();
    const port = await testing.freePort();
    service = await testing.runService({
      app: 'alerting',
      env: {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: databaseUrl,
        ALERTING_CONFIG_FILE: configFile,
        LOG_LEVEL: 'warn',
        ENVIRONMENT: 'test',
        DELIVERY_POLL_MS: '200',
        API_KEYS: JSON.stringify([{ name: 'bench', hash: apiKeyHash(API_KEY), scopes: ['alerts:write'] }]),
        API_WRITE_RATE_PER_S: '0',
        ...(process.env.BENCH_SERVICE_NODE_OPTIONS
          ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS }
          : {}),
      },
    });
    cleanups.push(() => service.stop());
    await service.waitForReady(port, 60_000);
    log(`alerting service ready on :${port}`);

    const floorBase = await startFloorRelay(await pg.createDatabase(), receiver.url, cleanups);
    const amBase = `http://127.0.0.1:${amPort}`;
    const ourBase = `http://127.0.0.1:${port}`;
    await latency(amBase, receiver, 'alertmanager_warm').catch(() => undefined);
    await latency(ourBase, receiver, 'vigil_warm').catch(() => undefined);
    await latency(floorBase, receiver, 'floor_warm').catch(() => undefined);
    const medians = await ingestRounds([
      { label: 'alertmanager', base: amBase },
      { label: 'vigil', base: ourBase },
    ]);
    const latencies = await latencyRounds(
      [
        { label: 'alertmanager', base: amBase },
        { label: 'vigil', base: ourBase },
        { label: 'floor', base: floorBase },
      ],
      receiver,
    );
    // Stopped before the summary, so that nothing it logs on shutdown follows the last line.
    if (am.exitCode === null && am.signalCode === null) {
      const exited = once(am, 'exit');
      am.kill('SIGTERM');
      await exited;
    }
    const baseline = { alertsPerS: medians.get('alertmanager'), ...latencies.get('alertmanager') };
    const ours = { alertsPerS: medians.get('vigil'), ...latencies.get('vigil') };
    const floor = latencies.get('floor');
    log('');
    log('                          vigil alerting     Alertmanager 0.25 (same run)');
    log(
      `ingest alerts/s          ${String(Math.round(ours.alertsPerS)).padStart(10)}         ${Math.round(baseline.alertsPerS)}`,
    );
    log(
      `p50/p99 ms idle          ${ours.idle.p50.toFixed(2)} / ${ours.idle.p99.toFixed(2)}        ${baseline.idle.p50.toFixed(2)} / ${baseline.idle.p99.toFixed(2)}`,
    );
    log(
      `p50/p99 ms ${LIVE_GROUPS} groups    ${ours.loaded.p50.toFixed(2)} / ${ours.loaded.p99.toFixed(2)}        ${baseline.loaded.p50.toFixed(2)} / ${baseline.loaded.p99.toFixed(2)}`,
    );
    log(
      `floor (bare Node relay, one Postgres INSERT before the webhook): p50/p99 ms idle ` +
        `${floor.idle.p50.toFixed(2)} / ${floor.idle.p99.toFixed(2)}, ${LIVE_GROUPS} groups ` +
        `${floor.loaded.p50.toFixed(2)} / ${floor.loaded.p99.toFixed(2)}`,
    );
    process.stdout.write(
      `bench=alerting alerts_per_s=${Math.round(ours.alertsPerS)} p99_ms=${ours.loaded.p99.toFixed(2)} ` +
        `baseline_am_alerts_per_s=${Math.round(baseline.alertsPerS)} baseline_am_p99_ms=${baseline.loaded.p99.toFixed(2)} ` +
        `ratio=${(ours.alertsPerS / baseline.alertsPerS).toFixed(2)}\n`,
    );
  } catch (error) {
    if (service)
      log(`--- alerting service output (tail) ---\n${service.output().split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await runCleanups(cleanups);
  }
}

main().catch((error) => {
  log(`bench alerting failed: ${error?.stack ?? error}`);
  process.exit(1);
});
