// bench/heartbeats: the built health service taking heartbeat pings (GET /ping/<token>?rid=..., as cron jobs
// send them) from 5,000 monitors: a burst of 5,000 pings sent within one second (open loop, 64 sockets), then a
// steady 500 pings/s for 20 s; each ping is answered only once its row is committed (group commit). Baseline,
// alternating rounds with ours on the same Postgres: single-row INSERT commits of the same rows into
// heartbeat_pings from 64 connections (what a handler committing each ping on its own would get at best).
// Then a last burst during which health is SIGKILLed (after a third of it is answered) and restarted: every
// ping answered 200, in every phase, must be a row of heartbeat_pings (`lost` counts those that are not).
// Latencies are measured from each ping's scheduled send time (a queued request waits on the clock).
// Postgres runs with production durability, the service at the shipped log level (info). The run fails (no
// last line) when a ping outside the kill is not answered 200, when a ping answered 200 is not stored, or
// when the service does not answer after its restart. BENCH_SMOKE=1: tiny counts, same checks. Last line:
//   bench=heartbeats burst_per_s=<x> p99_ms=<burst p99> lost=<n> baseline_pg_insert_per_s=<x> ratio=<burst/baseline>
// Knobs (for investigation only): BENCH_HEARTBEATS_BURST, BENCH_SKIP_BUILD=1.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import {
  apiKey,
  buildProjects,
  check,
  loadTesting,
  log,
  median,
  percentile,
  pg,
  runCleanups,
  SHIPPED_LOG_LEVEL,
  sized,
  sleep,
  startDurablePostgres,
} from '../shared.mjs';

const BURST = Number(process.env.BENCH_HEARTBEATS_BURST ?? sized(5_000, 200));
const BURST_SPAN_MS = 1000;
const STEADY_PER_S = sized(500, 100);
const STEADY_S = sized(20, 1);
const ROUNDS = sized(3, 1);
/** Sockets of the ping senders, and connections of the baseline: the same client concurrency. */
const CONCURRENCY = 64;
const MONITORS = BURST;

/** One GET; resolves to the status (0 when the connection failed) once the answer was read. */
function get(agent, port, path) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.once('end', () => resolve(res.statusCode === 200 && body === 'OK' ? 200 : res.statusCode));
      res.once('error', () => resolve(0));
    });
    req.once('error', () => resolve(0));
    req.end();
  });
}

/** @typedef {{ rid: string; status: number; latencyMs: number }} PingResult */

/**
 * Sends `pings` spread evenly over `spanMs` (open loop: each at its scheduled time, whatever the answers
 * before it); `onAnswer` sees each result as it comes. Resolves to every result and the elapsed seconds
 * from the first scheduled send to the last answer.
 */
/** @param {(result: PingResult) => void} [onAnswer] */
async function send(port, pings, spanMs, onAnswer = () => undefined) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const t0 = performance.now();
  let last = t0;
  try {
    const results = await Promise.all(
      pings.map(async (ping, n) => {
        const at = t0 + (n * spanMs) / pings.length;
        const wait = at - performance.now();
        if (wait > 1) await sleep(wait);
        const status = await get(agent, port, ping.path);
        const now = performance.now();
        last = Math.max(last, now);
        const result = { rid: ping.rid, status, latencyMs: now - at };
        onAnswer(result);
        return result;
      }),
    );
    return { results, seconds: (last - t0) / 1000 };
  } finally {
    agent.destroy();
  }
}

const pingsOf = (tokens, label, count) =>
  Array.from({ length: count }, (_, n) => {
    const rid = `${label}-${n}`;
    return { rid, path: `/ping/${tokens[n % tokens.length]}?rid=${rid}` };
  });

/** Baseline: the same number of rows, each INSERTed and committed on its own, CONCURRENCY connections. */
async function baselineInserts(databaseUrl, count, label) {
  const clients = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  let next = 0;
  const t0 = performance.now();
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (next < count) {
          const n = next++;
          await client.query(
            `INSERT INTO heartbeat_pings (monitor, kind, rid, via, received_at) VALUES ($1, 'success', $2, 'http', now())`,
            [`baseline`, `${label}-${n}`],
          );
        }
      }),
    );
    return count / ((performance.now() - t0) / 1000);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

/** Which of `rids` have a row. */
async function storedRids(db, rids) {
  const { rows } = await db.query(`SELECT rid FROM heartbeat_pings WHERE rid = ANY($1::text[])`, [rids]);
  return new Set(rows.map((row) => row.rid));
}

function startHealth(testing, env) {
  return testing.runService({ app: 'health', env });
}

async function main() {
  buildProjects(['@vigil/health-service', '@vigil/testing']);
  const testing = await loadTesting();
  const cleanups = [];
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-heartbeats-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const targetsFile = path.join(dir, 'targets.yaml');
    fs.writeFileSync(targetsFile, 'targets: []\n');
    const nats = await testing.startNatsServer();
    cleanups.push(() => nats.stop());
    const postgres = await startDurablePostgres(testing);
    cleanups.push(() => postgres.stop());
    const databaseUrl = await postgres.createDatabase();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    cleanups.push(() => db.end());

    const port = await testing.freePort();
    const env = {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      TARGETS_FILE: targetsFile,
      LOG_LEVEL: SHIPPED_LOG_LEVEL,
      ENVIRONMENT: 'bench',
      // Pings need no key (the token is the credential); the service refuses to run keyless outside dev.
      API_KEYS: JSON.stringify([{ name: 'bench', hash: apiKey().hash, scopes: ['monitors:write'] }]),
    };
    let service = await startHealth(testing, env);
    cleanups.push(() => service.stop());
    await service.waitForReady(port, 60_000);
    log(`health ready on :${port}`);

    const tokens = Array.from({ length: MONITORS }, () => randomBytes(16).toString('base64url'));
    await db.query(
      `INSERT INTO heartbeat_monitors (name, token, origin)
       SELECT 'job-' || n, token, 'api' FROM unnest($1::text[]) WITH ORDINALITY AS t(token, n)`,
      [tokens],
    );
    // The token index re-reads the monitors every 5 s (an unknown token at most once a second).
    const deadline = Date.now() + 15_000;
    while ((await send(port, pingsOf([tokens.at(-1)], 'warmup', 1), 0)).results[0].status !== 200) {
      check(Date.now() < deadline, 'the monitors never became pingable');
      await sleep(200);
    }
    log(`${MONITORS} monitors; warm-up`);
    await send(port, pingsOf(tokens, 'warmup', Math.min(BURST, 1000)), BURST_SPAN_MS);

    const answered = [];
    const burstRates = [];
    const baselineRates = [];
    const burstLatencies = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      baselineRates.push(await baselineInserts(databaseUrl, BURST, `baseline${round}`));
      const { results, seconds } = await send(port, pingsOf(tokens, `burst${round}`, BURST), BURST_SPAN_MS);
      const refused = results.filter((r) => r.status !== 200);
      check(
        refused.length === 0,
        `${refused.length} burst pings not answered 200 (e.g. ${refused[0]?.status})`,
      );
      burstRates.push(BURST / seconds);
      burstLatencies.push(...results.map((r) => r.latencyMs));
      answered.push(...results.map((r) => r.rid));
      const sorted = results.map((r) => r.latencyMs).sort((a, b) => a - b);
      log(
        `round ${round}: burst ${BURST} pings in ${seconds.toFixed(2)} s = ${(BURST / seconds).toFixed(0)}/s, ` +
          `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms; ` +
          `baseline single-row INSERT commits ${baselineRates.at(-1).toFixed(0)}/s`,
      );
    }

    const steadyCount = STEADY_PER_S * STEADY_S;
    const steady = await send(port, pingsOf(tokens, 'steady', steadyCount), STEADY_S * 1000);
    const steadyRefused = steady.results.filter((r) => r.status !== 200);
    check(steadyRefused.length === 0, `${steadyRefused.length} steady pings not answered 200`);
    answered.push(...steady.results.map((r) => r.rid));
    const steadySorted = steady.results.map((r) => r.latencyMs).sort((a, b) => a - b);
    log(
      `steady: ${steadyCount} pings at ${STEADY_PER_S}/s over ${steady.seconds.toFixed(1)} s, ` +
        `p50 ${percentile(steadySorted, 50).toFixed(1)} ms, p99 ${percentile(steadySorted, 99).toFixed(1)} ms`,
    );

    // The kill: SIGKILL once a third of a burst is answered, then restart on the same database.
    const killAt = Math.ceil(BURST / 3);
    const killAnswered = [];
    let killed = false;
    const victim = service;
    const killBurst = await send(port, pingsOf(tokens, 'kill', BURST), BURST_SPAN_MS, (result) => {
      if (result.status === 200) killAnswered.push(result.rid);
      if (!killed && killAnswered.length >= killAt) {
        killed = true;
        victim.kill('SIGKILL');
      }
    });
    check(killed, 'the service was not killed during the burst');
    await victim.waitForExit();
    const unanswered = killBurst.results.filter((r) => r.status !== 200).length;
    log(
      `kill: SIGKILL after ${killAt} answers; ${killAnswered.length} answered 200, ${unanswered} not answered`,
    );
    check(unanswered > 0, 'every ping of the kill burst was answered: the kill did not land mid-burst');
    service = await startHealth(testing, env);
    await service.waitForReady(port, 60_000);
    const after = await send(port, pingsOf(tokens, 'after-restart', 10), 0);
    check(
      after.results.every((r) => r.status === 200),
      'pings after the restart were not answered 200',
    );
    answered.push(...killAnswered, ...after.results.map((r) => r.rid));

    const stored = await storedRids(db, answered);
    const lost = answered.filter((rid) => !stored.has(rid)).length;
    check(lost === 0, `${lost} pings answered 200 are not in heartbeat_pings`);
    log(`checked: ${answered.length} pings answered 200, every one a row of heartbeat_pings`);

    const burstPerS = median(burstRates);
    const baseline = median(baselineRates);
    const p99 = percentile(
      burstLatencies.sort((a, b) => a - b),
      99,
    );
    process.stdout.write(
      `bench=heartbeats burst_per_s=${burstPerS.toFixed(0)} p99_ms=${p99.toFixed(1)} lost=${lost} ` +
        `baseline_pg_insert_per_s=${baseline.toFixed(0)} ratio=${(burstPerS / baseline).toFixed(2)}\n`,
    );
  } finally {
    await runCleanups(cleanups);
  }
}

await main().catch((error) => {
  log(String(error?.stack ?? error));
  process.exit(1);
});
