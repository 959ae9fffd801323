// bench/report: time to build the weekly report over AUDIT_ROWS audit events shaped like real ones, 50 health
// targets and 10,000 alerts, against the same aggregates computed by plain SQL on the same tables in the same
// run (the floor any implementation pays). The real audit, alerting, health and reporting services run as
// processes on one embedded Postgres (production durability: fsync, synchronous_commit, full_page_writes on)
// and nats-server, at the shipped log level (info) and the shipped SUMMARY_TIMEOUT_MS (the default: a source
// slower than that degrades its section, and a degraded section fails the run). Their tables are seeded with
// SQL (generate_series) for one ISO week: events of 0.5-2 KB of JSON, 32-byte SHA-256 hashes, a skewed spread
// of 50,000 users and 40 admins, 12 actions and 5 resource types. Then the weekly report is built on demand
// (POST /reports/weekly/run?dry_run=true: the three NATS summaries, the document, both parts and the PNG
// charts, nothing sent): once cold (the first build after the services started) and WARM_BUILDS times warm,
// each warm build followed by one run of the plain-SQL baseline. The run fails (no last line) when the
// report lacks a section, counts other than what was seeded, or carries a planted personal value. Last line:
//   bench=report cold_s=<first build> warm_s=<median> baseline_sql_s=<median> rows=<audit rows>
//     ratio=<baseline_sql_s / warm_s>
// The seed size keeps a full run to a few minutes on 2 cores; BENCH_REPORT_ROWS overrides it.
// BENCH_SMOKE=1: a few thousand rows, one warm build, same checks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  apiKey,
  buildProjects,
  check,
  loadTesting,
  log,
  median,
  pg,
  runCleanups,
  SHIPPED_LOG_LEVEL,
  sized,
  startDurablePostgres,
} from '../shared.mjs';

// POST /reports/:definition/run needs a bearer key with scope reports:run (API_KEYS holds its scrypt hash).
const API_KEY = apiKey();

const AUDIT_ROWS = Number(process.env.BENCH_REPORT_ROWS ?? sized(1_000_000, 3_000));
const SEED_CHUNK = 100_000;
const TARGETS = sized(50, 5);
const ALERTS = sized(10_000, 200);
const WARM_BUILDS = sized(5, 1);
const WEEK = { label: '2026-W40', from: '2026-09-28T00:00:00Z', to: '2026-10-05T00:00:00Z' };
/** The e-mail's sections, by heading (the weekly definition's six). */
const SECTIONS = [
  'Traffic and performance',
  'Errors',
  'Uptime',
  'Alerts',
  'Privacy and admin activity',
  'Audit activity',
];
/** Personal values planted where the report shows them (an admin's actor id, the top alertname). */
const PLANTED_ADMIN = 'jane.doe@example.com';
const PLANTED_ALERTNAME = 'LoginFailures for rahim@example.com';
/** The one section no source feeds here (no Prometheus): its reason is the only one allowed. */
const NO_METRICS = 'no metrics source configured';

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Audit rows spread over the week, shaped like real events: h is a hash of g that drives every choice; actors
 * are skewed (a few users and admins do most), logins dominate, every event carries request metadata and a
 * note of varying length, so events are 0.5-2 KB of JSON. One admin in 50 has an e-mail address as its id.
 */
const SEED_AUDIT = `
WITH src AS (
  SELECT g, ((g * 2654435761) % 4294967296) AS h,
         $2::timestamptz + (((g - 1)::double precision / $3) * interval '7 days') AS at
    FROM generate_series($1::bigint + 1, $1::bigint + $4) AS g),
acted AS (
  SELECT g, h, at,
         (ARRAY['user.login.succeeded','user.login.succeeded','user.login.succeeded','user.login.succeeded',
                'user.login.succeeded','user.login.failed','order.placed','order.placed','order.placed',
                'order.viewed','order.viewed','user.logout','user.logout','user.profile.updated',
                'admin.profile.viewed','wallet.settings.viewed','kyc.document.viewed','privacy.settings.updated',
                'admin.bulk_action.executed','admin.economy_field.changed'])[1 + h % 20] AS action
    FROM src),
shaped AS (
  SELECT g, h, at, action,
         CASE WHEN action LIKE 'admin.%' THEN 'security' WHEN action LIKE 'privacy.%' THEN 'privacy' ELSE 'routine' END AS category,
         CASE WHEN action LIKE 'admin.%' OR action IN ('wallet.settings.viewed', 'kyc.document.viewed') THEN 'admin' ELSE 'user' END AS actor_type,
         CASE WHEN action LIKE 'order.%' THEN 'order' WHEN action LIKE 'wallet.%' THEN 'wallet'
              WHEN action LIKE 'kyc.%' THEN 'kyc' WHEN action LIKE 'user.log%' THEN 'session' ELSE 'user' END AS resource_type,
         CASE WHEN action = 'user.login.failed' OR h % 89 = 0 THEN 'failure' WHEN h % 97 = 0 THEN 'denied' ELSE 'success' END AS outcome
    FROM acted),
identified AS (
  SELECT *,
         CASE WHEN actor_type = 'user' THEN 'user-' || floor(50000 * power(((h >> 12) % 100003) / 100003.0, 3))::int
              WHEN (h >> 8) % 50 = 0 THEN '${PLANTED_ADMIN}'
              ELSE 'admin-' || floor(40 * power(((h >> 8) % 10007) / 10007.0, 2))::int END AS actor_id,
         resource_type || '-' || ((h >> 16) % 200000) AS resource_id,
         md5(g::text || 'request') AS request_id
    FROM shaped)
INSERT INTO audit_events (category, seq, id, received_at, occurred_at, source, tenant_id, actor_type, actor_id,
                          action, resource_type, resource_id, outcome, request_id, event, prev_hash, hash)
SELECT category, g, md5(g::text)::uuid, at, at, 'shop-api', NULL, actor_type, actor_id, action, resource_type,
       resource_id, outcome, request_id,
       jsonb_build_object(
         'id', md5(g::text)::uuid, 'occurred_at', at, 'source', 'shop-api',
         'actor', jsonb_build_object('type', actor_type, 'id', actor_id,
                                     'ip', '10.' || (h % 250) || '.' || ((h >> 8) % 250) || '.' || ((h >> 16) % 250)),
         'action', action, 'resource', jsonb_build_object('type', resource_type, 'id', resource_id),
         'outcome', outcome, 'request_id', request_id,
         'metadata', jsonb_build_object(
           'user_agent', (ARRAY['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
                                'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
                                'okhttp/4.12.0', 'shop-admin/3.4.1 (+https://admin.example.internal)'])[1 + (h >> 4) % 4],
           'http', jsonb_build_object('method', (ARRAY['GET','POST','PUT','PATCH'])[1 + (h >> 6) % 4],
                                      'path', '/api/v1/' || resource_type || 's/' || resource_id, 'status',
                                      CASE outcome WHEN 'success' THEN 200 WHEN 'denied' THEN 403 ELSE 422 END),
           'session', md5(g::text || 'session'),
           'changes', jsonb_build_object('field', (ARRAY['display_name','locale','marketing_opt_in','limit','tier'])[1 + (h >> 10) % 5],
                                         'before', md5(g::text || 'before'), 'after', md5(g::text || 'after')),
           'note', repeat(md5(g::text || 'note'), ((h >> 20) % 40)::int))),
       sha256(int8send(g - 1)), sha256(int8send(g))
  FROM identified`;

async function seedAudit(url) {
  await withClient(url, async (db) => {
    for (const category of ['security', 'privacy', 'routine'])
      for (const at of [WEEK.from, WEEK.to])
        await db.query('SELECT audit_ensure_partition($1, $2)', [category, at]);
    const started = performance.now();
    for (let offset = 0; offset < AUDIT_ROWS; offset += SEED_CHUNK) {
      const n = Math.min(SEED_CHUNK, AUDIT_ROWS - offset);
      await db.query(SEED_AUDIT, [offset, WEEK.from, AUDIT_ROWS, n]);
      log(`  audit: ${offset + n} rows (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    // A week-old table has been vacuumed and analysed by autovacuum; a freshly seeded one has not.
    await db.query('VACUUM (ANALYZE) audit_events');
    const { rows } = await db.query(
      `SELECT min(octet_length(event::text)) AS min, round(avg(octet_length(event::text))) AS avg,
              max(octet_length(event::text)) AS max, count(DISTINCT actor_id) AS actors,
              pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS size
         FROM (SELECT event, actor_id FROM audit_events TABLESAMPLE SYSTEM (5)) s,
              (SELECT oid FROM pg_class WHERE relname LIKE 'audit_events%' AND relkind IN ('r', 'i')) c
        LIMIT 1`,
    );
    const shape = rows[0];
    log(
      `  audit: events ${shape.min}-${shape.max} bytes of JSON (mean ${shape.avg}), ${shape.actors} actors in a 5% sample`,
    );
  });
}

/** Health: one check a minute per target for the week. */
async function seedHealth(url, names) {
  await withClient(url, async (db) => {
    await db.query(
      `INSERT INTO check_results (target, ok, status_code, response_time_ms, error, checked_at)
       SELECT t, (m % 1000) <> 0, 200, 20 + (m % 50), NULL, $2::timestamptz + m * interval '1 minute'
         FROM unnest($1::text[]) AS t, generate_series(0, 7 * 24 * 60 - 1) AS m`,
      [names, WEEK.from],
    );
    await db.query('VACUUM (ANALYZE) check_results');
  });
}

/** Alerting: ALERTS alerts over the week, each with its episode (two in three acknowledged, most resolved). */
async function seedAlerting(url) {
  await withClient(url, async (db) => {
    const common = `FROM generate_series(1, ${ALERTS}) AS g,
       LATERAL (SELECT $1::timestamptz + (g::double precision / ${ALERTS}) * interval '7 days' AS at,
                       CASE WHEN g % 5 = 0 THEN '${PLANTED_ALERTNAME}'
                            ELSE (ARRAY['HighErrorRate','DiskFillingUp','PodCrashLooping','HighLatency','CertificateExpiring',
                                        'QueueBacklog','ReplicaLag','MemoryPressure'])[1 + g % 8] END AS alertname,
                       (ARRAY['critical','high','medium','low'])[1 + g % 4] AS severity) x`;
    await db.query(
      `INSERT INTO alerts (fingerprint, labels, starts_at, ends_at, status)
       SELECT 'fp-' || g, jsonb_build_object('alertname', alertname, 'severity', severity, 'service', 'shop-api'),
              at, at + interval '30 minutes', 'resolved' ${common}`,
      [WEEK.from],
    );
    await db.query(
      `INSERT INTO alert_episodes (fingerprint, starts_at, alertname, severity, labels, fired_at, acknowledged_at,
                                   acknowledged_by, resolved_at, resolved_by, false_positive)
       SELECT 'fp-' || g, at, alertname, severity, jsonb_build_object('alertname', alertname), at,
              CASE WHEN g % 3 <> 0 THEN at + interval '4 minutes' END, CASE WHEN g % 3 <> 0 THEN 'oncall' END,
              at + interval '30 minutes', 'system', g % 20 = 0 ${common}`,
      [WEEK.from],
    );
    await db.query('VACUUM (ANALYZE) alerts, alert_episodes');
  });
}

/**
 * The baseline: the aggregates the three summaries answer with, as plain SQL on the same tables, each
 * service's queries on its own connection, all at once (as the services run them).
 */
const BASELINE = {
  audit: [
    `SELECT action, outcome, count(*) FROM audit_events WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1, 2`,
    `SELECT actor_id, count(*), count(*) FILTER (WHERE resource_type = ANY('{wallet,kyc}')) FROM audit_events
      WHERE actor_type = 'admin' AND occurred_at >= $1 AND occurred_at < $2 GROUP BY 1`,
    `SELECT rule, count(*) FROM audit_detections WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1`,
  ],
  alerting: [
    `SELECT labels->>'severity', count(*) FROM alerts WHERE starts_at < $2 AND ends_at >= $1 GROUP BY 1`,
    `SELECT count(*) FILTER (WHERE status = 'delivered'), count(*) FILTER (WHERE status = 'failed')
       FROM notifications WHERE finished_at >= $1 AND finished_at < $2`,
    `SELECT count(*), count(acknowledged_at), count(resolved_at), count(*) FILTER (WHERE false_positive),
            avg(extract(epoch FROM acknowledged_at - starts_at)), avg(extract(epoch FROM resolved_at - starts_at))
       FROM alert_episodes WHERE starts_at >= $1 AND starts_at < $2`,
    `SELECT alertname, count(*) FROM alert_episodes WHERE starts_at >= $1 AND starts_at < $2
      GROUP BY 1 ORDER BY 2 DESC, 1`,
  ],
  health: [
    `SELECT target, count(*), count(*) FILTER (WHERE ok) FROM check_results
      WHERE checked_at >= $1 AND checked_at < $2 GROUP BY 1`,
    `SELECT target, percentile_cont(0.5) WITHIN GROUP (ORDER BY response_time_ms),
            percentile_cont(0.95) WITHIN GROUP (ORDER BY response_time_ms)
       FROM check_results WHERE checked_at >= $1 AND checked_at < $2 GROUP BY 1`,
  ],
};

async function baselineSql(clients) {
  const started = performance.now();
  await Promise.all(
    Object.entries(BASELINE).map(async ([service, queries]) => {
      for (const text of queries) await clients[service].query(text, [WEEK.from, WEEK.to]);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** One dry run: its seconds and HTML, checked (every section there, the counts seeded, nothing planted). */
async function build(port) {
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/reports/weekly/run?period=${WEEK.label}&dry_run=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY.key}` },
  });
  const html = await res.text();
  const seconds = (performance.now() - started) / 1000;
  check(res.status === 201, `dry run answered ${res.status}: ${html.slice(0, 300)}`);
  const missing = SECTIONS.filter((title) => !new RegExp(`<h2[^>]*>${title}</h2>`).test(html));
  check(missing.length === 0, `the e-mail lacks the sections ${missing.join(', ')}`);
  const unavailable = [...html.matchAll(/unavailable: ([^<]+)/g)].map((m) => m[1]);
  check(
    unavailable.every((reason) => reason === NO_METRICS),
    `a section degraded (within the shipped SUMMARY_TIMEOUT_MS): ${unavailable.join('; ')}`,
  );
  // The headline rounds counts for people (1.0 M); the audit section writes them exactly (1,000,000).
  const counts = [...html.matchAll(/Audit events<\/td><td[^>]*>([\d,]+)</g)].map((m) =>
    Number(m[1].replaceAll(',', '')),
  );
  const events = counts.at(-1);
  check(events === AUDIT_ROWS, `the report counted ${events} audit events, ${AUDIT_ROWS} were seeded`);
  for (const planted of [PLANTED_ADMIN, PLANTED_ALERTNAME, 'rahim@example.com'])
    check(!html.includes(planted), `the e-mail carries the planted personal value "${planted}"`);
  return { seconds, kib: Math.round(html.length / 1024) };
}

async function startServices(testing, dir, cleanups) {
  const nats = await testing.startNatsServer();
  cleanups.push(() => nats.stop());
  const postgres = await startDurablePostgres(testing);
  cleanups.push(() => postgres.stop());
  const common = { NATS_URL: nats.url, LOG_LEVEL: SHIPPED_LOG_LEVEL, ENVIRONMENT: 'test' };
  const names = Array.from({ length: TARGETS }, (_, i) => `target-${String(i).padStart(2, '0')}`);
  const targetsFile = path.join(dir, 'targets.yaml');
  writeFileSync(
    targetsFile,
    `targets:\n${names.map((n) => `  - name: ${n}\n    url: http://127.0.0.1:1/\n    interval_s: 3600\n`).join('')}`,
  );
  const start = async (app, env) => {
    const port = await testing.freePort();
    const databaseUrl = await postgres.createDatabase();
    const service = await testing.runService({
      app,
      env: { ...common, PORT: String(port), DATABASE_URL: databaseUrl, ...env },
    });
    cleanups.push(() => service.stop());
    await service.waitForReady(port, 60_000);
    return { port, databaseUrl };
  };
  const [audit, , alerting, health, reporting] = await Promise.all([
    start('audit', {}),
    // The report's errors section asks errors.v1.summary: an errors service with one (empty) project answers it.
    start('errors', {
      ERRORS_PROJECTS: JSON.stringify({ projects: [{ id: '1', slug: 'bench', keys: ['b'.repeat(32)] }] }),
    }),
    start('alerting', { ALERT_WEBHOOK_URL: 'http://127.0.0.1:1/unused' }),
    start('health', { TARGETS_FILE: targetsFile }),
    // SUMMARY_TIMEOUT_MS is left at its shipped default.
    start('reporting', {
      SMTP_URL: 'smtp://127.0.0.1:1',
      REPORT_RECIPIENTS: 'ops@example.com',
      REPORT_SCHEDULE_ENABLED: 'false',
      API_KEYS: JSON.stringify([{ name: 'bench', hash: API_KEY.hash, scopes: ['reports:run'] }]),
    }),
  ]);
  return { names, audit, alerting, health, reporting };
}

async function main() {
  buildProjects([
    '@vigil/reporting-service',
    '@vigil/audit-service',
    '@vigil/alerting-service',
    '@vigil/health-service',
    '@vigil/errors-service',
    '@vigil/testing',
  ]);
  const testing = await loadTesting();
  const cleanups = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-report-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const { names, audit, alerting, health, reporting } = await startServices(testing, dir, cleanups);
    log(
      `seeding ${AUDIT_ROWS} audit rows, ${TARGETS} targets' checks and ${ALERTS} alerts for ${WEEK.label}`,
    );
    const seeded = performance.now();
    await Promise.all([seedHealth(health.databaseUrl, names), seedAlerting(alerting.databaseUrl)]);
    await seedAudit(audit.databaseUrl);
    log(`  seeded in ${((performance.now() - seeded) / 1000).toFixed(0)} s`);

    const cold = await build(reporting.port);
    log(`  cold build: ${cold.seconds.toFixed(2)} s (${cold.kib} KiB of HTML)`);

    const clients = {};
    for (const [service, { databaseUrl }] of Object.entries({ audit, alerting, health })) {
      clients[service] = new pg.Client({ connectionString: databaseUrl });
      await clients[service].connect();
      cleanups.push(() => clients[service].end());
    }
    const warm = [];
    const baseline = [];
    for (let i = 1; i <= WARM_BUILDS; i++) {
      warm.push((await build(reporting.port)).seconds);
      baseline.push(await baselineSql(clients));
      log(
        `  warm build ${i}: ${warm.at(-1).toFixed(2)} s; plain SQL baseline ${baseline.at(-1).toFixed(2)} s`,
      );
    }
    const warmS = median(warm);
    const baselineS = median(baseline);
    log('');
    log(
      `weekly report over ${AUDIT_ROWS} audit rows, ${TARGETS} targets, ${ALERTS} alerts: cold ${cold.seconds.toFixed(2)} s, ` +
        `warm median ${warmS.toFixed(2)} s; the same aggregates in plain SQL: median ${baselineS.toFixed(2)} s`,
    );
    process.stdout.write(
      `bench=report cold_s=${cold.seconds.toFixed(2)} warm_s=${warmS.toFixed(2)} baseline_sql_s=${baselineS.toFixed(2)} ` +
        `rows=${AUDIT_ROWS} ratio=${(baselineS / warmS).toFixed(2)}\n`,
    );
  } finally {
    await runCleanups(cleanups);
  }
}

main().catch((error) => {
  log(`bench report failed: ${error?.stack ?? error}`);
  process.exit(1);
});
