// bench/report: time to build the weekly report over 10 million audit rows, 50 health targets and
// 10,000 alerts. The real audit, alerting, health and reporting services run as processes on one
// embedded Postgres and nats-server; their tables are seeded with SQL (generate_series) for one ISO
// week, then the weekly report is built on demand (POST /reports/weekly/run?dry_run=true: the three
// NATS summaries, the document, both parts and the PNG charts, nothing sent) BUILDS times. The issue's
// baseline is its goal (5 s): ratio = 5 / build_s, above 1 meets it. Last line:
//   bench=report build_s=<median> rows=<audit rows> ratio=<5 / build_s>
// BENCH_REPORT_ROWS overrides the audit row count (for a quick look; the figure is for 10,000,000).
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { buildProjects, log, root, runCleanups } from '../shared.mjs';

// POST /reports/:definition/run needs a bearer key with scope reports:run (API_KEYS holds its scrypt hash).
const API_KEY = randomBytes(32).toString('base64url');
const apiKeyHash = (key) => {
  const [N, r, p, salt] = [1024, 8, 1, randomBytes(16)];
  const hash = scryptSync(key, salt, 32, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
};

const require = createRequire(path.join(root, 'apps/reporting/package.json'));
const pg = require('pg');

const AUDIT_ROWS = Number(process.env.BENCH_REPORT_ROWS ?? 10_000_000);
const SEED_CHUNK = 1_000_000;
const TARGETS = 50;
const ALERTS = 10_000;
const BUILDS = 3;
const GOAL_S = 5;
const WEEK = { label: '2026-W40', from: '2026-09-28T00:00:00Z', to: '2026-10-05T00:00:00Z' };

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Audit rows spread over the week: admins viewing profiles and wallets, privacy changes, logins, bulk and economy edits. */
async function seedAudit(url) {
  await withClient(url, async (db) => {
    for (const category of ['security', 'privacy', 'routine'])
      for (const at of [WEEK.from, WEEK.to])
        await db.query('SELECT audit_ensure_partition($1, $2)', [category, at]);
    const started = performance.now();
    for (let offset = 0; offset < AUDIT_ROWS; offset += SEED_CHUNK) {
      const n = Math.min(SEED_CHUNK, AUDIT_ROWS - offset);
      await db.query(
        `WITH src AS (
           SELECT g,
                  $2::timestamptz + (((g - 1)::double precision / $3) * interval '7 days') AS at,
                  (ARRAY['admin.profile.viewed','wallet.settings.viewed','privacy.settings.updated','user.login.succeeded',
                         'user.login.succeeded','user.login.succeeded','kyc.document.viewed','admin.bulk_action.executed',
                         'admin.economy_field.changed','user.profile.updated'])[1 + g % 10] AS action
             FROM generate_series($1::bigint + 1, $1::bigint + $4) AS g)
         INSERT INTO audit_events (category, seq, id, received_at, occurred_at, source, tenant_id, actor_type, actor_id,
                                   action, resource_type, resource_id, outcome, event, prev_hash, hash)
         SELECT CASE WHEN action LIKE 'admin.%' THEN 'security' WHEN action LIKE 'privacy.%' THEN 'privacy' ELSE 'routine' END,
                g, gen_random_uuid(), at, at, 'bench', NULL,
                CASE WHEN action LIKE 'admin.%' OR action IN ('wallet.settings.viewed', 'kyc.document.viewed') THEN 'admin' ELSE 'user' END,
                'actor-' || (g % 500),
                action,
                CASE WHEN action = 'wallet.settings.viewed' THEN 'wallet' WHEN action = 'kyc.document.viewed' THEN 'kyc' ELSE 'user' END,
                'r-' || (g % 100000),
                CASE WHEN g % 97 = 0 THEN 'denied' WHEN g % 89 = 0 THEN 'failure' ELSE 'success' END,
                '{}'::jsonb, '\\x00'::bytea, '\\x00'::bytea
           FROM src`,
        [offset, WEEK.from, AUDIT_ROWS, n],
      );
      log(`  audit: ${offset + n} rows (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    await db.query('ANALYZE audit_events');
  });
}

/** Health: one check a minute per target for the week, and the hourly rollups. */
async function seedHealth(url, names) {
  await withClient(url, async (db) => {
    await db.query(
      `INSERT INTO check_results (target, ok, status_code, response_time_ms, error, checked_at)
       SELECT t, (m % 1000) <> 0, 200, 20 + (m % 50), NULL, $2::timestamptz + m * interval '1 minute'
         FROM unnest($1::text[]) AS t, generate_series(0, 7 * 24 * 60 - 1) AS m`,
      [names, WEEK.from],
    );
    await db.query('ANALYZE check_results');
  });
}

/** Alerting: ALERTS alerts over the week, each with its episode (two in three acknowledged, most resolved). */
async function seedAlerting(url) {
  await withClient(url, async (db) => {
    const common = `FROM generate_series(1, ${ALERTS}) AS g,
       LATERAL (SELECT $1::timestamptz + (g::double precision / ${ALERTS}) * interval '7 days' AS at,
                       'BenchAlert' || (g % 40) AS alertname,
                       (ARRAY['critical','high','medium','low'])[1 + g % 4] AS severity) x`;
    await db.query(
      `INSERT INTO alerts (fingerprint, labels, starts_at, ends_at, status)
       SELECT 'fp-' || g, jsonb_build_object('alertname', alertname, 'severity', severity, 'service', 'bench'),
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
  });
}

async function main() {
  buildProjects([
    '@vigil/reporting-service',
    '@vigil/audit-service',
    '@vigil/alerting-service',
    '@vigil/health-service',
    '@vigil/testing',
  ]);
  const testing = (await import(path.join(root, 'libs/testing/dist/index.js'))).default;
  const cleanups = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-report-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const nats = await testing.startNatsServer();
    cleanups.push(() => nats.stop());
    const postgres = await testing.startPostgres();
    cleanups.push(() => postgres.stop());
    const common = { NATS_URL: nats.url, LOG_LEVEL: 'warn', ENVIRONMENT: 'test' };
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
    const [audit, alerting, health] = await Promise.all([
      start('audit', {}),
      start('alerting', { ALERT_WEBHOOK_URL: 'http://127.0.0.1:1/unused' }),
      start('health', { TARGETS_FILE: targetsFile }),
    ]);
    log(
      `seeding ${AUDIT_ROWS} audit rows, ${TARGETS} targets' checks and ${ALERTS} alerts for ${WEEK.label}`,
    );
    await Promise.all([seedHealth(health.databaseUrl, names), seedAlerting(alerting.databaseUrl)]);
    await seedAudit(audit.databaseUrl);

    const reporting = await start('reporting', {
      SMTP_URL: 'smtp://127.0.0.1:1',
      REPORT_RECIPIENTS: 'ops@example.com',
      SUMMARY_TIMEOUT_MS: '60000',
      REPORT_SCHEDULE_ENABLED: 'false',
      API_KEYS: JSON.stringify([{ name: 'bench', hash: apiKeyHash(API_KEY), scopes: ['reports:run'] }]),
    });
    const times = [];
    for (let i = 0; i < BUILDS; i++) {
      const started = performance.now();
      const res = await fetch(
        `http://127.0.0.1:${reporting.port}/reports/weekly/run?period=${WEEK.label}&dry_run=true`,
        { method: 'POST', headers: { authorization: `Bearer ${API_KEY}` } },
      );
      const html = await res.text();
      const seconds = (performance.now() - started) / 1000;
      if (res.status !== 201) throw new Error(`dry run answered ${res.status}: ${html.slice(0, 300)}`);
      const unavailable = [...html.matchAll(/unavailable: ([^<]+)/g)].map((m) => m[1]);
      if (unavailable.some((reason) => reason !== 'no metrics source configured'))
        throw new Error(`a section degraded, the figure would not count it: ${unavailable.join('; ')}`);
      const events = /Audit events<\/td><td[^>]*>(\d+)/.exec(html)?.[1];
      if (Number(events) !== AUDIT_ROWS)
        throw new Error(`report counted ${events} audit events, seeded ${AUDIT_ROWS}`);
      times.push(seconds);
      log(`  build ${i + 1}: ${seconds.toFixed(2)} s (${Math.round(html.length / 1024)} KiB of HTML)`);
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
    log('');
    log(
      `weekly report over ${AUDIT_ROWS} audit rows, ${TARGETS} targets, ${ALERTS} alerts: median ${median.toFixed(2)} s (goal ${GOAL_S} s)`,
    );
    process.stdout.write(
      `bench=report build_s=${median.toFixed(2)} rows=${AUDIT_ROWS} ratio=${(GOAL_S / median).toFixed(2)}\n`,
    );
  } finally {
    await runCleanups(cleanups);
  }
}

main().catch((error) => {
  log(`bench report failed: ${error?.stack ?? error}`);
  process.exit(1);
});
