// bench/audit-ingest: end-to-end audit ingest (JetStream publish -> validated, redacted, hash-chained,
// committed row) of the built audit service: events/s when publishing as fast as possible, and p50/p99
// publish->committed latency at a fixed offered rate, side by side with two same-run ceilings of this
// machine: (a) JetStream publish with acks alone (same messages, same publisher), (b) COPY of the same
// rows into the same Postgres. Postgres runs with production durability (fsync, synchronous_commit,
// full_page_writes on), the service at the shipped log level (info). The run fails (no last line) when the
// result is wrong: a stored count other than the events published, a chain GET /audit/verify does not verify,
// or a planted personal value found in a stored row. Everything runs on 127.0.0.1 with free ports, bounded in
// count. BENCH_SMOKE=1: tiny counts, same checks. Last line:
//   bench=audit-ingest events_per_s=<x> p50_ms=<x> p99_ms=<x> baseline_js_publish_per_s=<x> baseline_copy_rows_per_s=<x> ratio=<events_per_s / js publish ceiling>
// Knobs (for investigation only): BENCH_FETCH_BATCH, BENCH_FETCH_EXPIRES_MS, BENCH_INGEST_CONCURRENCY,
// BENCH_PHASE_TIMEOUT_MS, BENCH_SERVICE_NODE_OPTIONS (e.g. --require a profiler),
// BENCH_SKIP_BUILD=1 (run apps/audit/dist as it is, e.g. to compare two builds),
// BENCH_DEBUG=1 (print the service's batch histograms).
import { createHash, randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import copyStreams from 'pg-copy-streams';

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

const THROUGHPUT_EVENTS = sized(30_000, 300);
const OFFERED_RATE = sized(2_000, 200); // events/s for the latency phase
const LATENCY_SECONDS = sized(10, 1);
const WARMUP_EVENTS = sized(2_000, 100);
const ROUNDS = sized(3, 1); // throughput rounds, each interleaved with a ceiling (a) round; medians reported
const IN_FLIGHT = 512; // publishes awaiting their JetStream ack, for the service run and baseline (a)
// The service's own defaults unless a knob overrides them (the bench measures what ships).
const knobs = {
  AUDIT_FETCH_BATCH: process.env.BENCH_FETCH_BATCH,
  AUDIT_FETCH_EXPIRES_MS: process.env.BENCH_FETCH_EXPIRES_MS,
  AUDIT_INGEST_CONCURRENCY: process.env.BENCH_INGEST_CONCURRENCY,
};
const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? 120_000);

const encoder = new TextEncoder();

/** Personal values planted in every event; none may reach a stored row. */
const PLANTED = ['jane@example.com', '4111 1111 1111 1111'];
const API_KEY = apiKey();

/** A routine audit event (one chain), with personal values in metadata so redaction has work to do. */
function makeEvent(i) {
  const id = randomUUID();
  return {
    id,
    occurred_at: new Date().toISOString(),
    source: 'bench',
    actor: { type: 'user', id: `u-${i % 500}`, ip: '10.0.0.1' },
    action: 'order.placed',
    resource: { type: 'order', id: `o-${i}` },
    outcome: 'success',
    metadata: {
      sku: `sku-${i % 50}`,
      amount: i % 1000,
      contact_email: PLANTED[0],
      note: `paid by card ${PLANTED[1]}`,
    },
    request_id: `req-${i}`,
  };
}

const messages = (count) =>
  Array.from({ length: count }, (_, i) => {
    const event = makeEvent(i);
    return { id: event.id, event, bytes: encoder.encode(JSON.stringify(event)) };
  });

/**
 * Publishes every message with at most IN_FLIGHT awaiting acks; calls onSent(id) as each is handed over.
 * @param {(id: string) => void} [onSent]
 */
async function publishAll(js, subject, batch, onSent = () => undefined) {
  let next = 0;
  const worker = async () => {
    while (next < batch.length) {
      const m = batch[next++];
      onSent(m.id);
      await js.publish(subject, m.bytes, { msgID: m.id });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** Watches the routine chain for committed rows: id -> time it became visible. */
function startWatcher(db) {
  const seen = new Map();
  let lastSeq = 0;
  let stopped = false;
  let paused = false;
  const loop = (async () => {
    while (!stopped) {
      if (paused) {
        await sleep(3);
        continue;
      }
      const { rows } = await db.query(
        `SELECT seq, id FROM audit_events WHERE category = 'routine' AND seq > $1 ORDER BY seq LIMIT 10000`,
        [lastSeq],
      );
      const now = performance.now();
      for (const row of rows) seen.set(row.id, now);
      if (rows.length > 0) lastSeq = Number(rows[rows.length - 1].seq);
      // Polls every 3 ms at most (the latency figures' resolution), also while rows keep coming.
      await sleep(3);
    }
  })();
  return {
    seen,
    /** Stops polling while a ceiling is measured (its queries would cost that ceiling CPU). */
    pause(value) {
      paused = value;
    },
    async until(ids, description) {
      const deadline = Date.now() + PHASE_TIMEOUT_MS;
      // Resumes where the last check stopped: re-scanning every id each time burned the CPU the
      // service under test needs (30,000 lookups every 5 ms).
      let confirmed = 0;
      const allSeen = () => {
        while (confirmed < ids.length && seen.has(ids[confirmed])) confirmed += 1;
        return confirmed === ids.length;
      };
      while (!allSeen()) {
        if (Date.now() > deadline)
          throw new Error(`${description}: not all rows committed within ${PHASE_TIMEOUT_MS} ms`);
        await sleep(5);
      }
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function baselineJetStream(nc, batch) {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: 'BENCH_BASELINE',
    subjects: ['bench.baseline.>'],
    storage: 'file',
    duplicate_window: 120e9,
  });
  const js = jetstream(nc);
  const start = performance.now();
  await publishAll(js, 'bench.baseline.bench', batch);
  const seconds = (performance.now() - start) / 1000;
  await jsm.streams.delete('BENCH_BASELINE');
  return batch.length / seconds;
}

const copyText = (value) =>
  value === null
    ? '\\N'
    : String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

async function baselineCopy(db, batch) {
  await db.query(`CREATE TABLE bench_copy (category text, seq bigint, id uuid, received_at timestamptz, occurred_at timestamptz,
    source text, tenant_id text, actor_type text, actor_id text, action text, resource_type text, resource_id text,
    outcome text, request_id text, trace_id text, event jsonb, prev_hash bytea, hash bytea)`);
  const now = new Date().toISOString();
  let prev = Buffer.alloc(32);
  const lines = batch.map(({ event }, i) => {
    const json = JSON.stringify(event);
    const hash = createHash('sha256').update(prev).update(json).digest();
    const fields = [
      'routine',
      i + 1,
      event.id,
      now,
      event.occurred_at,
      event.source,
      null,
      event.actor.type,
      event.actor.id,
      event.action,
      event.resource.type,
      event.resource.id,
      event.outcome,
      event.request_id,
      null,
      json,
      `\\x${prev.toString('hex')}`,
      `\\x${hash.toString('hex')}`,
    ];
    prev = hash;
    return `${fields.map(copyText).join('\t')}\n`;
  });
  const start = performance.now();
  await pipeline(Readable.from(lines), db.query(copyStreams.from('COPY bench_copy FROM STDIN')));
  const seconds = (performance.now() - start) / 1000;
  await db.query('DROP TABLE bench_copy');
  return batch.length / seconds;
}

/**
 * The result is right only if every published event is stored once, every chain verifies, and no planted
 * personal value reached a row; otherwise the run fails.
 */
async function checkStored(db, port, published) {
  const { rows } = await db.query(
    `SELECT count(*) AS n, count(DISTINCT id) AS ids FROM audit_events WHERE source = 'bench'`,
  );
  check(
    Number(rows[0].n) === published && Number(rows[0].ids) === published,
    `stored ${rows[0].n} rows (${rows[0].ids} distinct ids) for ${published} events published`,
  );
  for (const value of PLANTED) {
    const leaked = await db.query(
      `SELECT count(*) AS n FROM audit_events WHERE strpos(audit_events::text, $1) > 0`,
      [value],
    );
    check(
      Number(leaked.rows[0].n) === 0,
      `the planted value "${value}" reached ${leaked.rows[0].n} stored rows`,
    );
  }
  const res = await fetch(`http://127.0.0.1:${port}/audit/verify`, {
    headers: { authorization: `Bearer ${API_KEY.key}` },
  });
  const report = /** @type {{ ok: boolean, chains: { records_checked: number }[] }} */ (await res.json());
  check(
    res.ok && report.ok === true,
    `GET /audit/verify answered ${res.status}: ${JSON.stringify(report).slice(0, 300)}`,
  );
  const checked = report.chains.reduce((sum, chain) => sum + chain.records_checked, 0);
  log(
    `checked: ${published} rows stored once, no planted value stored, GET /audit/verify ok over ${checked} records`,
  );
}

async function main() {
  buildProjects(['@vigil/audit-service', '@vigil/testing']);
  const testing = await loadTesting();
  const cleanups = [];
  let service;
  try {
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
    service = await testing.runService({
      app: 'audit',
      env: {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: SHIPPED_LOG_LEVEL,
        ENVIRONMENT: 'test',
        API_KEYS: JSON.stringify([{ name: 'bench', hash: API_KEY.hash, scopes: ['audit:read'] }]),
        ...Object.fromEntries(Object.entries(knobs).filter(([, value]) => value !== undefined)),
        ...(process.env.BENCH_SERVICE_NODE_OPTIONS
          ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS }
          : {}),
      },
    });
    cleanups.push(() => service.stop());
    await service.waitForReady(port, 60_000);
    log(
      `audit service ready on :${port} (${
        Object.entries(knobs)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => `${key}=${value}`)
          .join(' ') || 'service defaults'
      })`,
    );

    const copyPerS = await baselineCopy(db, messages(THROUGHPUT_EVENTS));
    log(`(b) COPY of the same rows: ${Math.round(copyPerS)} rows/s`);

    const js = jetstream(nc);
    const subject = 'audit.v1.events.bench';
    const watcher = startWatcher(db);
    cleanups.push(() => watcher.stop());

    const warmup = messages(WARMUP_EVENTS);
    await publishAll(js, subject, warmup);
    await watcher.until(
      warmup.map((m) => m.id),
      'warm-up',
    );

    // Throughput, in ROUNDS interleaved with ceiling (a) so both see the same machine: (a) publishes the
    // same messages with acks to a stream nobody consumes (the service idles); then the service's round
    // publishes as fast as that and times until the last row is committed. Medians of each are reported.
    const jsRounds = [];
    const ingestRounds = [];
    for (let round = 1; round <= ROUNDS; round++) {
      watcher.pause(true);
      jsRounds.push(await baselineJetStream(nc, messages(THROUGHPUT_EVENTS)));
      watcher.pause(false);
      const burst = messages(THROUGHPUT_EVENTS);
      const start = performance.now();
      await publishAll(js, subject, burst);
      await watcher.until(
        burst.map((m) => m.id),
        'throughput',
      );
      const lastCommit = Math.max(...burst.map((m) => watcher.seen.get(m.id)));
      ingestRounds.push(THROUGHPUT_EVENTS / ((lastCommit - start) / 1000));
      log(
        `round ${round}: (a) JetStream publish with acks alone ${Math.round(jsRounds.at(-1))} msg/s, ` +
          `end-to-end ingest ${Math.round(ingestRounds.at(-1))} events/s (${THROUGHPUT_EVENTS} events)`,
      );
    }
    const jsPerS = median(jsRounds);
    const eventsPerS = median(ingestRounds);
    if (process.env.BENCH_DEBUG) {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      log(
        metrics
          .split('\n')
          .filter((l) => /^audit_ingest_batch_(size|duration_seconds)_(sum|count)/.test(l))
          .join('\n'),
      );
    }

    // Latency at a fixed offered rate: publish -> committed row, per event.
    const total = OFFERED_RATE * LATENCY_SECONDS;
    const paced = messages(total);
    const sentAt = new Map();
    const pending = [];
    const t0 = performance.now();
    for (let sent = 0; sent < total;) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * OFFERED_RATE));
      for (; sent < due; sent++) {
        const m = paced[sent];
        sentAt.set(m.id, performance.now());
        pending.push(js.publish(subject, m.bytes, { msgID: m.id }));
      }
      await sleep(2);
    }
    await Promise.all(pending);
    await watcher.until(
      paced.map((m) => m.id),
      'latency',
    );
    const latencies = paced.map((m) => watcher.seen.get(m.id) - sentAt.get(m.id)).sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    log(
      `latency at ${OFFERED_RATE} events/s offered for ${LATENCY_SECONDS} s: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
    );

    await checkStored(db, port, WARMUP_EVENTS + ROUNDS * THROUGHPUT_EVENTS + total);

    log('');
    log('                              value        ceiling (same run)');
    log(
      `ingest events/s         ${String(Math.round(eventsPerS)).padStart(10)}    JetStream publish ${Math.round(jsPerS)} msg/s`,
    );
    log(`                                           COPY ${Math.round(copyPerS)} rows/s`);
    log(`p50 / p99 ms @${OFFERED_RATE}/s    ${p50.toFixed(1).padStart(6)} / ${p99.toFixed(1)}`);
    process.stdout.write(
      `bench=audit-ingest events_per_s=${Math.round(eventsPerS)} p50_ms=${p50.toFixed(1)} p99_ms=${p99.toFixed(1)} ` +
        `baseline_js_publish_per_s=${Math.round(jsPerS)} baseline_copy_rows_per_s=${Math.round(copyPerS)} ` +
        `ratio=${(eventsPerS / jsPerS).toFixed(2)}\n`,
    );
  } catch (error) {
    if (service)
      log(`--- audit service output (tail) ---\n${service.output().split('\n').slice(-30).join('\n')}`);
    throw error;
  } finally {
    await runCleanups(cleanups);
  }
}

main().catch((error) => {
  log(`bench audit-ingest failed: ${error?.stack ?? error}`);
  process.exit(1);
});
