// bench/errors: the built errors service taking real Python exception events as sentry-python sends them
// (captured from Debian's unmodified python3-sentry-sdk 1.9 under Flask each run: 25-50 KB of JSON, 20-60 frames
// with locals, breadcrumbs, request data with cookies and a JSON body, gzip; half as /store/ bodies, half as
// envelopes), 16 requests in flight. Figures: processed events/s (the clock stops when the last event of a burst
// is stored in its issue, polled in Postgres) and the p99 of the intake's answer (which comes once the event is
// durable in JetStream). Baseline, alternating rounds with ours on the same machine: JetStream publish with acks of
// the same events' bytes (the decompressed JSON the intake publishes), 16 in flight; medians. Postgres runs with
// production durability, the service at the shipped log level (info). The run fails (no last line) when a count
// is wrong (events stored, issues formed), or when a planted personal value is found in any stored row.
// BENCH_SMOKE=1: tiny counts, same checks. Last line:
//   bench=errors events_per_s=<x> p99_ms=<x> baseline_js_publish_per_s=<x> ratio=<events_per_s / js publish> leaked=<n>
// Knobs (for investigation only): BENCH_ERRORS_EVENTS (per round), BENCH_PHASE_TIMEOUT_MS,
// BENCH_SERVICE_NODE_OPTIONS (e.g. `--require <a preload starting the node:inspector Profiler>`; Node refuses
// --cpu-prof in NODE_OPTIONS), BENCH_SKIP_BUILD=1.
import http from 'node:http';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

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
import { captureSdkEvents, eventShapes, PLANTED, sdkRequest, variedEvent } from './events.mjs';

const EVENTS = Number(process.env.BENCH_ERRORS_EVENTS ?? sized(6_000, 120));
const WARMUP_EVENTS = sized(1_000, 40);
const ROUNDS = sized(3, 1);
const CONCURRENCY = 16;
/** Distinct bugs in the load: each is one issue. */
const BUGS = 25;
const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? 180_000);
const PROJECT_ID = '1';
const DSN_KEY = 'b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1';
const API_KEY = apiKey();

/** Generates `count` requests (off the clock): the events and their SDK framing. */
function makeBurst(shapes, count, offset) {
  return Array.from({ length: count }, (_, n) => {
    const event = variedEvent(shapes, offset + n, BUGS);
    return { event, request: sdkRequest(event, offset + n, PROJECT_ID, DSN_KEY) };
  });
}

/** Posts every request, CONCURRENCY in flight over keep-alive sockets; returns each answer's latency in ms. */
async function postAll(port, burst) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies = [];
  let next = 0;
  const worker = async () => {
    while (next < burst.length) {
      const { request } = burst[next++];
      const start = performance.now();
      const status = await post(agent, port, request);
      latencies.push(performance.now() - start);
      check(status === 200, `POST ${request.path} answered ${status}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
  return latencies;
}

function post(agent, port, { path, headers, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * Events of the project counted in their issues. The consumer inserts an event row and adds it to its issue's
 * times_seen in one transaction; summing 25 issue rows costs Postgres next to nothing, where counting the event
 * rows every few milliseconds would take CPU from the service measured.
 */
async function storedCount(db) {
  const { rows } = await db.query(
    `SELECT coalesce(sum(times_seen), 0)::int AS n FROM error_issues WHERE project_id = $1`,
    [PROJECT_ID],
  );
  return rows[0].n;
}

/** Polls until `target` events are stored; resolves to the time (performance.now) the poll saw them. */
async function storedBy(db, target, description) {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  for (;;) {
    const n = await storedCount(db);
    if (n >= target) return performance.now();
    if (Date.now() > deadline)
      throw new Error(`${description}: ${n} of ${target} events stored within ${PHASE_TIMEOUT_MS} ms`);
    await sleep(20);
  }
}

/** Baseline: JetStream publish with acks of the same bytes, CONCURRENCY in flight, to a stream nobody consumes. */
async function baselineJetStream(nc, burst) {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: 'BENCH_BASELINE',
    subjects: ['bench.baseline.>'],
    storage: 'file',
    duplicate_window: 120e9,
  });
  const js = jetstream(nc);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < burst.length) {
        const { event } = burst[next++];
        await js.publish(`bench.baseline.${PROJECT_ID}`, event.json, { msgID: event.eventId });
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await jsm.streams.delete('BENCH_BASELINE');
  return burst.length / seconds;
}

/** Every planted value searched in every row of every table of the service's database. */
async function leakedRows(db) {
  const { rows: tables } = await db.query(
    `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  let leaked = 0;
  for (const value of Object.values(PLANTED))
    for (const { name } of tables) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM ${name} t WHERE strpos(t::text, $1) > 0`,
        [value],
      );
      if (rows[0].n > 0) log(`leak: "${value}" in ${rows[0].n} rows of ${name}`);
      leaked += rows[0].n;
    }
  return { leaked, tables: tables.length };
}

/** Counts the run must end with: every event stored once, in BUGS issues with the right event counts. */
async function checkStored(db, sent) {
  const events = await db.query(
    `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS ids FROM error_events WHERE project_id = $1`,
    [PROJECT_ID],
  );
  check(
    events.rows[0].n === sent && events.rows[0].ids === sent,
    `stored ${events.rows[0].n} events (${events.rows[0].ids} distinct ids) for ${sent} sent`,
  );
  const issues = await db.query(
    `SELECT count(*)::int AS n, coalesce(sum(times_seen), 0)::int AS seen FROM error_issues WHERE project_id = $1`,
    [PROJECT_ID],
  );
  check(
    issues.rows[0].n === BUGS && issues.rows[0].seen === sent,
    `${issues.rows[0].n} issues seen ${issues.rows[0].seen} times; expected ${BUGS} issues seen ${sent} times`,
  );
  log(`checked: ${sent} events stored once, in ${BUGS} issues whose counts add up to ${sent}`);
}

async function main() {
  buildProjects(['@vigil/errors-service', '@vigil/testing']);
  const testing = await loadTesting();
  const cleanups = [];
  let service;
  try {
    log('capturing events from python3-sentry-sdk (Flask integration)');
    const captured = await captureSdkEvents();
    const shapes = eventShapes(captured[0]);
    const nats = await testing.startNatsServer();
    cleanups.push(() => nats.stop());
    const postgres = await startDurablePostgres(testing);
    cleanups.push(() => postgres.stop());
    const databaseUrl = await postgres.createDatabase();
    const nc = await connect({ servers: nats.url });
    cleanups.push(() => nc.close());
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    cleanups.push(() => db.end());

    const port = await testing.freePort();
    const projects = {
      projects: [
        {
          id: PROJECT_ID,
          slug: 'bench-shop',
          keys: [DSN_KEY],
          // Far above the load: the bench measures processing, not the quota's 429s.
          quota: { events_per_minute: 100_000_000, transactions_per_minute: 100_000_000 },
        },
      ],
    };
    service = await testing.runService({
      app: 'errors',
      env: {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: SHIPPED_LOG_LEVEL,
        ENVIRONMENT: 'bench',
        ERRORS_PROJECTS: JSON.stringify(projects),
        API_KEYS: JSON.stringify([{ name: 'bench', hash: API_KEY.hash, scopes: ['errors:read'] }]),
        ...(process.env.BENCH_SERVICE_NODE_OPTIONS
          ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS }
          : {}),
      },
    });
    cleanups.push(() => service.stop());
    await service.waitForReady(port, 60_000);
    log(`errors service ready on :${port}`);

    let offset = 0;
    const warmup = makeBurst(shapes, WARMUP_EVENTS, offset);
    offset += WARMUP_EVENTS;
    await postAll(port, warmup);
    await storedBy(db, offset, 'warm-up');
    const sizes = warmup.map((m) => m.event.json.length).sort((a, b) => a - b);
    const gz = warmup.map((m) => m.request.body.length).sort((a, b) => a - b);
    log(
      `events: ${(sizes[0] / 1024).toFixed(0)}-${(sizes.at(-1) / 1024).toFixed(0)} KB of JSON (median ${(median(sizes) / 1024).toFixed(0)} KB), ` +
        `${(gz[0] / 1024).toFixed(1)}-${(gz.at(-1) / 1024).toFixed(1)} KB gzip, 20-60 frames, ${BUGS} bugs`,
    );

    const jsRounds = [];
    const ourRounds = [];
    const latencies = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const burst = makeBurst(shapes, EVENTS, offset);
      offset += EVENTS;
      jsRounds.push(await baselineJetStream(nc, burst));
      const start = performance.now();
      latencies.push(...(await postAll(port, burst)));
      const answered = performance.now();
      const stored = await storedBy(db, offset, `round ${round}`);
      ourRounds.push(EVENTS / ((stored - start) / 1000));
      log(
        `round ${round}: JetStream publish with acks ${Math.round(jsRounds.at(-1))} msg/s; errors service ` +
          `answered ${Math.round(EVENTS / ((answered - start) / 1000))}/s, processed ${Math.round(ourRounds.at(-1))} events/s ` +
          `(${EVENTS} events, the last stored ${Math.round(stored - answered)} ms after the last answer)`,
      );
    }
    latencies.sort((a, b) => a - b);
    const p99 = percentile(latencies, 99);
    const jsPerS = median(jsRounds);
    const eventsPerS = median(ourRounds);

    await checkStored(db, offset);
    const { leaked, tables } = await leakedRows(db);
    log(
      `searched ${tables} tables for ${Object.keys(PLANTED).length} planted values: ${leaked} rows carry one`,
    );
    check(leaked === 0, `${leaked} stored rows carry a planted personal value`);

    log('');
    log(
      `processed events/s ${Math.round(eventsPerS)}   intake p50 / p99 ms ${percentile(latencies, 50).toFixed(1)} / ${p99.toFixed(1)}`,
    );
    log(`JetStream publish with acks of the same bytes: ${Math.round(jsPerS)} msg/s`);
    process.stdout.write(
      `bench=errors events_per_s=${Math.round(eventsPerS)} p99_ms=${p99.toFixed(1)} ` +
        `baseline_js_publish_per_s=${Math.round(jsPerS)} ratio=${(eventsPerS / jsPerS).toFixed(2)} leaked=${leaked}\n`,
    );
  } catch (error) {
    if (service)
      log(`--- errors service output (tail) ---\n${service.output().split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await runCleanups(cleanups);
  }
}

main().catch((error) => {
  log(`bench errors failed: ${error?.stack ?? error}`);
  process.exit(1);
});
