// bench/alerting: the alerting service against Debian's Alertmanager (0.25) under the same config, in the
// same run, on Postgres with production durability (fsync, synchronous_commit, full_page_writes on) and the
// shipped log level (info).
// (1) Ingest: 20,000 distinct alerts POSTed to /api/v2/alerts in batches of 100 with 8 in flight; the clock
// stops when the work is done as a user sees it: GET /api/v2/alerts lists every alert of the burst and
// GET /api/v2/alerts/groups shows them in their group (polled). accepted/s counts until the last POST was
// answered (ours answers once the request is durable in Postgres; Alertmanager keeps alerts in memory);
// processed/s until the burst is listed, for both systems alike. After one unmeasured warm-up burst each,
// three rounds per system, alternating; medians. A burst not listed within 30 s fails the run.
// (2) Latency: single alerts, each a new group (group_wait 0s), from POST to the webhook's arrival at a
// local receiver, p50/p99: idle, with 2,000 live groups, and under load (8 senders posting 500 alerts/s
// in the background to the system measured); three rounds of 300 per system and condition (100 under
// load), alternating; medians. A third system runs in the same rounds: the floor (floor-relay.mjs), a bare
// Node relay doing one durable Postgres INSERT before the webhook. Goal: our p99 at most 1.5x the floor's, in every condition.
// Everything on 127.0.0.1, free ports, bounded in count and time. Last line:
//   bench=alerting processed_per_s=<x> accepted_per_s=<x> p99_ms=<x> loaded_p99_ms=<x> floor_p99_ms=<x>
//     baseline_am_processed_per_s=<x> baseline_am_p99_ms=<x> ratio=<processed_per_s / Alertmanager's>
// (p99_ms, floor_p99_ms and baseline_am_p99_ms with 2,000 live groups; loaded_p99_ms under load).
// BENCH_SMOKE=1: tiny counts; Alertmanager only where it is installed already.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, release, tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  apiKey,
  buildProjects,
  check,
  loadTesting,
  log,
  median,
  percentile,
  runCleanups,
  SHIPPED_LOG_LEVEL,
  sized,
  sleep,
  SMOKE,
  startDurablePostgres,
} from '../shared.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

const INGEST_ALERTS = sized(20_000, 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? sized(3, 1)); // rounds per system, alternating; medians
const BATCH = 100;
const CONCURRENCY = 8;
const LIVE_GROUPS = sized(2_000, 100);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? sized(300, 3));
// Under load a sample can take a second (ours journals a request that arrives among others): fewer samples
// per round keep the run bounded; the rounds' median p99 is still over 3 x 100 samples.
const LOADED_LATENCY_SAMPLES = Math.min(LATENCY_SAMPLES, 100);
/** Background load during the loaded latency rounds: LOAD_SENDERS posting LOAD_RATE alerts/s in all. */
const LOAD_SENDERS = 8;
const LOAD_RATE = 500;
const LOAD_BATCH = 10;
const LOAD_DISTINCT = 1_000; // re-sent as Prometheus re-sends what still fires
const GOAL_FLOOR_FACTOR = 1.5;
const WAIT_MS = 30_000;
const LISTED_WITHIN_MS = 30_000;

// The service's API-key guard needs a key with scope alerts:write (API_KEYS, scrypt hashes). Both
// systems get the same Authorization header (Alertmanager ignores it). The per-key write rate limit
// (API_WRITE_RATE_PER_S, default 20/s) is for clients on the internet, not a Prometheus posting bursts:
// it is off here, as it would be for the Prometheus key in production.
const API_KEY = apiKey();

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
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  return {
    url: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/hook`,
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

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const auth = { authorization: `Bearer ${API_KEY.key}` };

function post(base, alerts) {
  const body = JSON.stringify(alerts);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/api/v2/alerts`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...auth },
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

/** @returns {Promise<any>} the parsed answer */
async function getJson(url) {
  const res = await fetch(url, { headers: auth });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return res.json();
}

const alert = (labels) => ({ labels, annotations: { summary: 'bench alert for jane@example.com' } });

/**
 * Polls until GET /api/v2/alerts lists all `count` alerts labelled burst=<tag> and GET /api/v2/alerts/groups
 * shows them in their group; resolves to the time the confirming answer arrived. Not listed within
 * LISTED_WITHIN_MS after the last POST answer: a wrong result, the run fails.
 */
async function listed(base, tag, count) {
  const filter = `filter=${encodeURIComponent(`burst="${tag}"`)}`;
  const deadline = performance.now() + LISTED_WITHIN_MS;
  let seen = { alerts: 0, grouped: 0 };
  while (performance.now() < deadline) {
    const alerts = await getJson(`${base}/api/v2/alerts?${filter}`);
    seen = { alerts: alerts.length, grouped: 0 };
    if (alerts.length === count) {
      const groups = await getJson(`${base}/api/v2/alerts/groups?${filter}`);
      seen.grouped = groups
        .filter((group) => group.labels?.phase === 'ingest')
        .reduce((sum, group) => sum + group.alerts.length, 0);
      if (seen.grouped === count) return performance.now();
    }
    await sleep(20);
  }
  check(
    false,
    `${base}: burst ${tag} of ${count} alerts not all listed within ${LISTED_WITHIN_MS} ms of its last answer ` +
      `(GET /api/v2/alerts listed ${seen.alerts}, its groups held ${seen.grouped})`,
  );
}

/** One burst: accepted/s until the last POST answer, processed/s until the burst is listed and grouped. */
async function ingest(base, tag) {
  const batches = [];
  for (let i = 0; i < INGEST_ALERTS; i += BATCH) {
    batches.push(
      Array.from({ length: Math.min(BATCH, INGEST_ALERTS - i) }, (_, j) =>
        alert({
          alertname: 'BenchIngest',
          phase: 'ingest',
          burst: tag,
          instance: `${tag}-${i + j}`,
          severity: 'low',
        }),
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
  const answered = performance.now();
  const done = await listed(base, tag, INGEST_ALERTS);
  return {
    acceptedPerS: INGEST_ALERTS / ((answered - start) / 1000),
    processedPerS: INGEST_ALERTS / ((done - start) / 1000),
    listedAfterMs: done - answered,
  };
}

async function latency(base, receiver, tag, count = LATENCY_SAMPLES) {
  const samples = [];
  for (let i = 0; i < count; i++) {
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
      Array.from({ length: Math.min(BATCH, LIVE_GROUPS - i) }, (_, j) =>
        alert({ alertname: `BenchLive_${tag}_${i + j}`, phase: 'live' }),
      ),
    );
  }
}

/**
 * Background load: LOAD_SENDERS senders, each posting LOAD_BATCH alerts on a fixed schedule so that together
 * they offer LOAD_RATE alerts/s, drawn from LOAD_DISTINCT alerts re-sent in turn. stop() resolves to what was
 * sent; a POST that fails is counted, and any failure fails the run.
 */
function startLoad(base, tag) {
  const periodMs = (LOAD_SENDERS * LOAD_BATCH * 1000) / LOAD_RATE;
  const started = performance.now();
  let stopped = false;
  let sent = 0;
  const failures = [];
  const sender = async (s) => {
    for (let k = 0; !stopped; k++) {
      const due = started + (s / LOAD_SENDERS + k) * periodMs;
      await sleep(Math.max(0, due - performance.now()));
      if (stopped) break;
      const first = ((k * LOAD_SENDERS + s) * LOAD_BATCH) % LOAD_DISTINCT;
      const batch = Array.from({ length: LOAD_BATCH }, (_, j) =>
        alert({ alertname: `BenchLoad_${tag}_${(first + j) % LOAD_DISTINCT}`, phase: 'load' }),
      );
      await post(base, batch).then(
        () => (sent += batch.length),
        (error) => failures.push(String(error?.message ?? error)),
      );
    }
  };
  const senders = Array.from({ length: LOAD_SENDERS }, (_, s) => sender(s));
  return async () => {
    stopped = true;
    await Promise.all(senders);
    const seconds = (performance.now() - started) / 1000;
    check(
      failures.length === 0,
      `${failures.length} background POSTs failed: ${failures.slice(0, 3).join('; ')}`,
    );
    return sent / seconds;
  };
}

/** @typedef {{ p50: number, p99: number }} Percentiles */
/** @typedef {'idle' | 'groups' | 'load'} Condition */
/** @type {Condition[]} */
const CONDITIONS = ['idle', 'groups', 'load'];

/**
 * Latency of every system, single alerts POST -> webhook: ROUNDS rounds idle, then (after each system got
 * LIVE_GROUPS live groups) ROUNDS rounds with them, then ROUNDS rounds with them under background load,
 * alternating the systems as for ingest; the median of the rounds' p50 and p99 is reported (p99 of one round
 * of 300 swung by 2x on 2 cores).
 * @returns {Promise<Map<string, Record<Condition, Percentiles>>>}
 */
async function latencyRounds(systems, receiver) {
  const results = new Map(systems.map(({ label }) => [label, { idle: [], groups: [], load: [] }]));
  const phase = async (condition) => {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const { label, base } of systems) {
        const tag = `${label}_${condition}_r${round}`;
        const stopLoad = condition === 'load' ? startLoad(base, tag) : undefined;
        if (stopLoad) await sleep(500);
        const result = await latency(
          base,
          receiver,
          tag,
          stopLoad ? LOADED_LATENCY_SAMPLES : LATENCY_SAMPLES,
        );
        const offered = stopLoad ? await stopLoad() : undefined;
        results.get(label)[condition].push(result);
        log(
          `${label} ${condition} round ${round}: POST -> webhook p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms` +
            (offered === undefined ? '' : ` (background ${Math.round(offered)} alerts/s)`),
        );
      }
    }
  };
  await phase('idle');
  for (const { label, base } of systems) await liveGroups(base, label);
  await sleep(1000);
  await phase('groups');
  await phase('load');
  const medianOf = (rounds) => ({
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
  });
  return new Map(
    [...results].map(([label, rounds]) => [
      label,
      { idle: medianOf(rounds.idle), groups: medianOf(rounds.groups), load: medianOf(rounds.load) },
    ]),
  );
}

/**
 * Ingest in ROUNDS, alternating the systems so both see the same machine (one burst of each swung the ratio
 * by a factor of two on 2 cores); each round ends when its burst is listed, then a pause, so no system's
 * background work runs in the other's round. Each system first takes one burst that is not measured: a JIT
 * runtime's first bursts after boot compile the ingest path and grow the heap, while Alertmanager's Go is
 * compiled ahead of time; Prometheus posts all day, so the steady state is what the goal is about. The
 * warm-up figures are printed too.
 */
async function ingestRounds(systems) {
  const rounds = new Map(systems.map((system) => [system.label, []]));
  const describe = (r) =>
    `accepted ${Math.round(r.acceptedPerS)} alerts/s, processed ${Math.round(r.processedPerS)} alerts/s ` +
    `(listed and grouped ${r.listedAfterMs.toFixed(0)} ms after the last answer)`;
  for (const { label, base } of systems) {
    log(`${label} warm-up burst (not measured): ${describe(await ingest(base, `${label}_warm`))}`);
    await sleep(1000);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { label, base } of systems) {
      const result = await ingest(base, `${label}_r${round}`);
      rounds.get(label).push(result);
      log(
        `${label} round ${round}: ${describe(result)}; ${INGEST_ALERTS} alerts, batches of ${BATCH}, ${CONCURRENCY} in flight`,
      );
      await sleep(1000);
    }
  }
  return new Map(
    [...rounds].map(([label, values]) => [
      label,
      {
        acceptedPerS: median(values.map((r) => r.acceptedPerS)),
        processedPerS: median(values.map((r) => r.processedPerS)),
      },
    ]),
  );
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

/** Debian's Alertmanager, single node, on `configFile`; resolves to its base URL. */
async function startAlertmanager(testing, configFile, dir, cleanups) {
  const amPort = await testing.freePort();
  const am = spawn(
    ALERTMANAGER,
    [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'am')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
      `--log.level=${SHIPPED_LOG_LEVEL}`,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  cleanups.push(() => am.kill('SIGTERM'));
  await waitHttp(`http://127.0.0.1:${amPort}/-/ready`, am);
  const version = spawnSync(ALERTMANAGER, ['--version'], { encoding: 'utf8' });
  log(`baseline: ${(version.stdout || version.stderr).split('\n')[0]} on :${amPort}`);
  return `http://127.0.0.1:${amPort}`;
}

async function startOurs(testing, nats, databaseUrl, configFile, cleanups) {
  const port = await testing.freePort();
  const service = await testing.runService({
    app: 'alerting',
    env: {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      ALERTING_CONFIG_FILE: configFile,
      LOG_LEVEL: SHIPPED_LOG_LEVEL,
      ENVIRONMENT: 'test',
      DELIVERY_POLL_MS: '200',
      API_KEYS: JSON.stringify([{ name: 'bench', hash: API_KEY.hash, scopes: ['alerts:write'] }]),
      API_WRITE_RATE_PER_S: '0',
      ...(process.env.BENCH_SERVICE_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS }
        : {}),
    },
  });
  cleanups.push(() => service.stop());
  await service.waitForReady(port, 60_000);
  log(`alerting service ready on :${port} (LOG_LEVEL=${SHIPPED_LOG_LEVEL})`);
  return { service, base: `http://127.0.0.1:${port}` };
}

const ms = (x) => (x === undefined ? 'n/a' : x.toFixed(2));
const pair = (l) => (l ? `${ms(l.p50)} / ${ms(l.p99)}` : 'n/a');
const rate = (x) => (x === undefined ? 'n/a' : String(Math.round(x)));

function printSummary(ours, baseline, floor) {
  const row = (name, vigil, am, fl) =>
    log(`${name.padEnd(26)}${vigil.padStart(16)}   ${am.padStart(16)}   ${fl}`);
  log('');
  row('', 'vigil alerting', 'Alertmanager', 'floor relay (same run)');
  row('ingest accepted alerts/s', rate(ours.acceptedPerS), rate(baseline?.acceptedPerS), '');
  row('ingest processed alerts/s', rate(ours.processedPerS), rate(baseline?.processedPerS), '');
  const labels = {
    idle: 'p50/p99 ms idle',
    groups: `p50/p99 ms ${LIVE_GROUPS} groups`,
    load: `p50/p99 ms under load`,
  };
  for (const condition of CONDITIONS)
    row(labels[condition], pair(ours[condition]), pair(baseline?.[condition]), pair(floor[condition]));
  log(
    `(under load: ${LOAD_SENDERS} senders posting ${LOAD_RATE} alerts/s in the background, with ${LIVE_GROUPS} groups)`,
  );
  for (const condition of CONDITIONS) {
    const limit = GOAL_FLOOR_FACTOR * floor[condition].p99;
    log(
      `goal p99 <= ${GOAL_FLOOR_FACTOR}x floor p99, ${condition}: ${ms(ours[condition].p99)} vs ${ms(limit)} ms: ` +
        (ours[condition].p99 <= limit ? 'met' : 'NOT met'),
    );
  }
}

async function main() {
  buildProjects(['@vigil/alerting-service', '@vigil/testing']);
  const testing = await loadTesting();
  const cleanups = [];
  let ours;
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-alerting-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.stop());
    const configFile = path.join(dir, 'alerting.yaml');
    writeFileSync(configFile, configYaml(receiver.url));
    log(`machine: ${kernelSummary()}`);

    const withBaseline = !SMOKE || existsSync(ALERTMANAGER);
    if (!withBaseline) log(`smoke run: ${ALERTMANAGER} is not installed, the baseline is skipped`);
    const amBase = withBaseline ? await startAlertmanager(testing, configFile, dir, cleanups) : undefined;

    const nats = await testing.startNatsServer();
    cleanups.push(() => nats.stop());
    const pg = await startDurablePostgres(testing);
    cleanups.push(() => pg.stop());
    ours = await startOurs(testing, nats, await pg.createDatabase(), configFile, cleanups);
    const floorBase = await startFloorRelay(await pg.createDatabase(), receiver.url, cleanups);

    const systems = [
      ...(amBase ? [{ label: 'alertmanager', base: amBase }] : []),
      { label: 'vigil', base: ours.base },
    ];
    if (!SMOKE)
      for (const { label, base } of [...systems, { label: 'floor', base: floorBase }])
        await latency(base, receiver, `${label}_warm`).catch(() => undefined);
    const ingest = await ingestRounds(systems);
    const latencies = await latencyRounds([...systems, { label: 'floor', base: floorBase }], receiver);
    // Stopped before the summary, so that nothing they log on shutdown follows the last line.
    await runCleanups(cleanups.splice(0));

    const result = { ...ingest.get('vigil'), ...latencies.get('vigil') };
    const baseline = amBase ? { ...ingest.get('alertmanager'), ...latencies.get('alertmanager') } : undefined;
    const floor = latencies.get('floor');
    printSummary(result, baseline, floor);
    process.stdout.write(
      `bench=alerting processed_per_s=${rate(result.processedPerS)} accepted_per_s=${rate(result.acceptedPerS)} ` +
        `p99_ms=${ms(result.groups.p99)} loaded_p99_ms=${ms(result.load.p99)} floor_p99_ms=${ms(floor.groups.p99)} ` +
        `baseline_am_processed_per_s=${rate(baseline?.processedPerS)} baseline_am_p99_ms=${ms(baseline?.groups.p99)} ` +
        `ratio=${baseline ? (result.processedPerS / baseline.processedPerS).toFixed(2) : 'n/a'}\n`,
    );
  } catch (error) {
    if (ours)
      log(
        `--- alerting service output (tail) ---\n${ours.service.output().split('\n').slice(-30).join('\n')}`,
      );
    throw error;
  } finally {
    await runCleanups(cleanups);
  }
}

main().catch((error) => {
  log(`bench alerting failed: ${error?.stack ?? error}`);
  process.exit(1);
});
