// bench/console: time to first byte of the console's main pages with real volumes (ALERTS live alerts,
// AUDIT_ROWS audit events), and in the same run, alternating with them, the service API calls those pages
// make, called directly with the same key (the floor: the console may add at most 30 %, issue 20). The built
// alerting, audit and console services run as processes on nats-server and one embedded Postgres
// (production durability: fsync, synchronous_commit, full_page_writes on), at the shipped log level (info);
// health, reporting and errors are not started (the console's login finds them unreachable and hides their
// pages, as it would in production). Alerts arrive as Prometheus sends them (POST /api/v2/alerts, 1,000 a
// request); audit events as publishers send them (JetStream audit.v1.events.shop: ingest validates,
// redacts, hash-chains, detects and builds the Merkle log). A person signs in through the login form with
// an API key; each page is then requested REQUESTS times a round at each concurrency in CONCURRENCIES,
// alternating with its API calls, ROUNDS rounds; medians of the rounds' p95. The run fails (no last line)
// when the services do not report the counts seeded, a page or API call answers other than 200, or a page
// lacks what it must show (a seeded alert name, the events the API lists, the event opened). Last line:
//   bench=console <page>_p95_ms=<x> ... c4_p95_ms=<x> c4_ratio=<x> p95_ms=<x> baseline_api_p95_ms=<x>
//     ratio=<api p95 / console p95>
// p95_ms pools the pages' samples at concurrency 1 (what one person waits); c4_* at concurrency 4.
// BENCH_SMOKE=1: 200 alerts, 2,000 audit rows, a few requests, same checks.
// A page slower than BATCH_MS / REQUESTS gets fewer samples (at least MIN_REQUESTS); the round's line says how many.
// Knobs (for investigation only): BENCH_CONSOLE_PAGES=alerts,event (measure only those pages),
// BENCH_CONSOLE_ROWS / BENCH_CONSOLE_ALERTS (seed sizes), BENCH_SKIP_BUILD=1 (run the dist folders as they are).
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

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
  startDurablePostgres,
} from '../shared.mjs';

const ALERTS = Number(process.env.BENCH_CONSOLE_ALERTS ?? sized(10_000, 200));
const AUDIT_ROWS = Number(process.env.BENCH_CONSOLE_ROWS ?? sized(1_000_000, 2_000));
const REQUESTS = sized(60, 8); // per page, side, concurrency and round...
const BATCH_MS = sized(20_000, 5_000); // ...or fewer when a page is slow: no new request after this long,
const MIN_REQUESTS = 5; // once this many are in
const ROUNDS = sized(3, 1);
const WARMUP = sized(5, 2); // unmeasured requests per page and side before the rounds
const CONCURRENCIES = [1, 4];
const SEED_TIMEOUT_MS = sized(900_000, 120_000);

/**
 * The pages measured and the service calls each makes (read from apps/console/src/<feature>/): `page` is the
 * console path; `api(call, ctx)` makes the same calls in the same order (awaits = the page's awaits,
 * Promise.all = its parallel calls) and returns their answers for the check; `shows(html, answers, ctx)`
 * returns what the page lacks, or null. Keep this table in step with the pages.
 */
const PAGES = [
  {
    // src/alerts/ (on-call, AlertsController.list): the latest acknowledgements, and the firing alerts one
    // severity at a time, P1 first, until 51 rows (a full first page and proof of a next one) are in hand.
    key: 'alerts',
    page: () => '/alerts',
    api: async (call) => {
      const history = call('alerting', '/alerts/history', { event: 'acknowledged', limit: '1000' });
      let rows = 0;
      for (const severity of ['critical', 'high', 'medium', 'low']) {
        const query = {
          active: 'true',
          silenced: 'false',
          inhibited: 'false',
          filter: `severity="${severity}"`,
        };
        rows += (await call('alerting', '/api/v2/alerts', query)).length;
        if (rows > 50) break;
      }
      return [rows, await history];
    },
    shows: (html, _answers, ctx) =>
      ctx.alertnames.some((name) => html.includes(name)) ? null : 'no seeded alert name',
  },
  {
    // src/audit/ (auditor): a filtered search, 50 rows (AuditReader.search).
    key: 'audit_search',
    page: () => '/audit?action=wallet.settings.viewed',
    api: async (call) => [
      await call('audit', '/audit/events', { action: 'wallet.settings.viewed', limit: '50' }),
    ],
    shows: (html, [answer]) => listedIn(html, answer),
  },
  {
    key: 'audit_all',
    page: () => '/audit?',
    api: async (call) => [await call('audit', '/audit/events', { limit: '50' })],
    shows: (html, [answer]) => listedIn(html, answer),
  },
  {
    // An event with its checked inclusion proof (AuditController.event, AuditReader.proofOf).
    key: 'event',
    page: (ctx) => `/audit/events/${ctx.eventId}`,
    api: async (call, ctx) => {
      const detail = await call('audit', `/audit/events/${ctx.eventId}`);
      const log = `/audit/log/${encodeURIComponent(detail.category)}`;
      const [checkpoint, proof, key] = await Promise.all([
        call('audit', `${log}/checkpoint`),
        call('audit', `${log}/proof/inclusion`, { event_id: ctx.eventId }),
        call('audit', '/audit/checkpoints/public-key'),
      ]);
      // The page asks again for the checkpoint's size when the log grew between the two answers.
      const sized =
        proof.tree_size === checkpoint.size
          ? proof
          : await call('audit', `${log}/proof/inclusion`, {
              event_id: ctx.eventId,
              tree_size: String(checkpoint.size),
            });
      return [detail, checkpoint, sized, key];
    },
    shows: (html, _answers, ctx) =>
      !html.includes(ctx.eventId) ? 'the event id' : !/Verified/.test(html) ? 'the verified proof' : null,
  },
];

/** What a search page lacks of the API's answer for the same search (it shifts by a few read-events). */
function listedIn(html, answer) {
  const ids = answer.events.map((e) => e.event.id);
  if (ids.length === 0) return 'events (the API listed none)';
  const shown = ids.filter((id) => html.includes(id)).length;
  return shown >= Math.min(ids.length, 40) ? null : `the listed events (${shown} of ${ids.length} shown)`;
}

const PERSON_KEY = apiKey(); // the person signing in: reads audit and alerts, may acknowledge and silence
const PROMETHEUS_KEY = apiKey(); // posts the alerts

// ---- HTTP: keep-alive sockets, time to the response's headers ----

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * GET or POST; resolves when the whole body is read, with the time its headers arrived.
 * @param {string | URL} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [options]
 * @param {boolean} [retried]
 * @returns {Promise<{ status: number, headers: http.IncomingHttpHeaders, ttfbMs: number, totalMs: number, text: () => string }>}
 */
function request(url, { method = 'GET', headers = {}, body } = {}, retried = false) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method, headers, agent }, (res) => {
      const ttfbMs = performance.now() - started;
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          ttfbMs,
          totalMs: performance.now() - started,
          text: () => Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    // A kept-alive socket the server closed as this request went out: a GET is sent again once, on a new
    // socket, as browsers do (the timing is the retry's; the failed attempt took no server time).
    req.on('error', (error) => {
      const closedUnderUs =
        req.reusedSocket && method === 'GET' && !retried && 'code' in error && error.code === 'ECONNRESET';
      if (closedUnderUs) resolve(request(url, { method, headers, body }, true));
      else reject(error);
    });
    req.end(body);
  });
}

/** A service call as the person: throws on anything but 2xx, returns the parsed JSON. */
function apiCaller(urls) {
  return async (service, apiPath, query = {}) => {
    const url = new URL(urls[service] + apiPath);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const res = await request(url, {
      headers: { authorization: `Bearer ${PERSON_KEY.key}`, accept: 'application/json' },
    });
    const text = res.text();
    if (res.status < 200 || res.status > 299)
      throw new Error(
        `wrong result: GET ${apiPath}${url.search} answered ${res.status}: ${text.slice(0, 300)}`,
      );
    return JSON.parse(text);
  };
}

/** Signs in through the login form (double-submit CSRF cookie and field), as a browser does. */
async function signIn(consoleUrl) {
  const form = await request(`${consoleUrl}/login`);
  const html = form.text();
  const cookie = String(form.headers['set-cookie'] ?? '').match(/vigil_login_csrf=([^;]+)/)?.[1];
  const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1];
  check(
    form.status === 200 && cookie && token,
    `GET /login answered ${form.status} without its CSRF cookie and field`,
  );
  const res = await request(`${consoleUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `vigil_login_csrf=${cookie}` },
    body: new URLSearchParams({ _csrf: token, next: '/', api_key: PERSON_KEY.key }).toString(),
  });
  const session = [res.headers['set-cookie'] ?? []]
    .flat()
    .map((c) => c.match(/^((?:__Host-)?vigil_session=[^;]+)/)?.[1])
    .find(Boolean);
  check(res.status === 303 && session, `POST /login answered ${res.status}: ${res.text().slice(0, 300)}`);
  log(`signed in to the console (303 to ${res.headers.location})`);
  return session;
}

/** A console page as the signed-in person; a 404 is a page the console does not have (yet). */
async function getPage(consoleUrl, cookie, pagePath) {
  const res = await request(consoleUrl + pagePath, { headers: { cookie, accept: 'text/html' } });
  if (res.status === 404)
    throw new Error(
      `page missing: GET ${pagePath} answered 404: the console has no such route; update PAGES in bench/console/run.mjs`,
    );
  if (res.status !== 200)
    throw new Error(`wrong result: GET ${pagePath} answered ${res.status}: ${res.text().slice(0, 300)}`);
  return res;
}

// ---- Measuring ----

/**
 * `count` runs of `once` with `concurrency` in flight (fewer if a slow page would hold the run for long:
 * BATCH_MS); returns their times (ms), ascending. The first answer of a batch is checked fully (`verify`),
 * the others by status, to keep the client's CPU off the figures.
 */
async function batch(count, concurrency, once) {
  const times = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count && (next < MIN_REQUESTS || performance.now() - started < BATCH_MS)) {
      const i = next++;
      times.push(await once(i === 0));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return times.sort((a, b) => a - b);
}

function consoleOnce(ctx, spec) {
  return async (verify) => {
    const pagePath = spec.page(ctx);
    const res = await getPage(ctx.consoleUrl, ctx.cookie, pagePath);
    if (verify) {
      const answers = await spec.api(ctx.call, ctx);
      const lacks = spec.shows(res.text(), answers, ctx);
      check(lacks === null, `GET ${pagePath} does not show ${lacks}`);
    }
    return res.ttfbMs;
  };
}

function apiOnce(ctx, spec) {
  return async () => {
    const started = performance.now();
    await spec.api(ctx.call, ctx);
    // The page can send its first byte only once every answer it renders is in: this is that moment.
    return performance.now() - started;
  };
}

/** Alternating rounds; per page, side and concurrency the median of the rounds' p95 (and p50). */
async function measure(ctx, pages) {
  for (const spec of pages) {
    await batch(WARMUP, 1, consoleOnce(ctx, spec));
    await batch(WARMUP, 1, apiOnce(ctx, spec));
  }
  const samples = {}; // `${side}|${page}|${c}` -> per round sorted times
  const add = (side, page, c, times) => (samples[`${side}|${page}|${c}`] ??= []).push(times);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of CONCURRENCIES)
      for (const spec of pages) {
        // Odd rounds start with the console, even ones with the API, so neither always runs second.
        const sides = round % 2 === 1 ? ['console', 'api'] : ['api', 'console'];
        for (const side of sides) {
          const once = side === 'console' ? consoleOnce(ctx, spec) : apiOnce(ctx, spec);
          add(side, spec.key, c, await batch(REQUESTS, c, once));
        }
        const [pc, pa] = ['console', 'api'].map((s) => samples[`${s}|${spec.key}|${c}`].at(-1));
        log(
          `round ${round} c=${c} ${spec.key.padEnd(12)} (${pc.length}/${pa.length}) console p50/p95 ${fmt(percentile(pc, 50))}/${fmt(percentile(pc, 95))} ms` +
            `   api p50/p95 ${fmt(percentile(pa, 50))}/${fmt(percentile(pa, 95))} ms`,
        );
      }
    log(
      `round ${round} done, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  }
  const stat = (side, keys, c, p) =>
    median(
      Array.from({ length: ROUNDS }, (_, r) =>
        percentile(
          keys.flatMap((k) => samples[`${side}|${k}|${c}`][r]).sort((a, b) => a - b),
          p,
        ),
      ),
    );
  return { stat };
}

const fmt = (ms) => ms.toFixed(1);

/**
 * For reading the figures: a service's own mean time per GET route and per database query (its /metrics:
 * http_request_duration_seconds, db_query_duration_seconds), so the console's share can be told apart.
 */
async function serverMeans(url) {
  const text = (await request(`${url}/metrics`)).text();
  const sums = new Map();
  const pattern =
    /^(http_request_duration_seconds|db_query_duration_seconds)_(sum|count)\{([^}]*)\} (\S+)$/gm;
  for (const [, metric, kind, labels, value] of text.matchAll(pattern)) {
    if (metric.startsWith('http') && !labels.includes('method="GET"')) continue;
    const route = labels.match(/route="([^"]*)"/)?.[1];
    const key = metric.startsWith('http') ? route : 'db query';
    if (key === undefined || key.startsWith('/metrics')) continue;
    const entry = sums.get(key) ?? { sum: 0, count: 0 };
    entry[kind] += Number(value);
    sums.set(key, entry);
  }
  return [...sums]
    .filter(([, e]) => e.count > 0)
    .map(([key, e]) => `${key} ${fmt((1000 * e.sum) / e.count)} ms (${e.count})`)
    .join(', ');
}

/**
 * For reading the figures: what the console's HTTP stack answers in with no upstream call and no session
 * (GET /login), beside a service's bare route (audit's GET /api/whoami: the key guard only).
 */
async function logFloors(ctx, auditUrl) {
  const floor = async (url, headers) => {
    const times = await batch(REQUESTS, 1, async () => {
      const res = await request(url, { headers });
      check(res.status === 200, `GET ${url} answered ${res.status}`);
      return res.ttfbMs;
    });
    return `p50/p95 ${fmt(percentile(times, 50))}/${fmt(percentile(times, 95))} ms`;
  };
  const login = await floor(`${ctx.consoleUrl}/login`, {});
  const whoami = await floor(`${auditUrl}/api/whoami`, { authorization: `Bearer ${PERSON_KEY.key}` });
  log(`floors at c=1: console GET /login ${login}; audit GET /api/whoami ${whoami}`);
}

// ---- Seeding ----

// prettier-ignore
const SERVICES = [
  'checkout', 'payments', 'cart', 'catalog', 'search', 'accounts', 'wallet', 'kyc', 'orders', 'shipping',
  'inventory', 'pricing', 'promotions', 'notifications', 'mailer', 'auth', 'gateway', 'profile', 'reviews',
  'recommendations', 'ledger', 'fraud', 'payouts', 'reporting-etl', 'billing', 'invoices', 'media', 'cdn-edge',
  'sessions', 'feature-flags', 'scheduler', 'webhooks', 'exports', 'imports', 'support', 'chat', 'loyalty',
  'coupons', 'tax', 'currency',
];
// prettier-ignore
const ALERTNAMES = [
  'HighErrorRate', 'HighLatencyP99', 'PodCrashLooping', 'DiskFillingUp', 'MemoryPressure', 'CPUThrottlingHigh',
  'CertificateExpiring', 'QueueBacklogGrowing', 'ReplicaLagHigh', 'TargetDown', 'Http5xxBurst',
  'SaturationHigh', 'ConnectionPoolExhausted', 'GCPauseLong', 'NodeNotReady', 'KafkaConsumerLag',
  'PostgresDeadlocks', 'RedisEvictions', 'JobFailed', 'BlackboxProbeFailed',
];
/** About 8 % critical, as a busy production sees: most of what fires is a warning. */
const SEVERITY = (i) => (i % 25 < 2 ? 'critical' : i % 25 < 6 ? 'high' : i % 25 < 15 ? 'medium' : 'low');
const EXTERNAL_LABEL = { prometheus: 'monitoring/k8s' };

/** A well-mixed 32-bit hash of an integer (drives every choice of the seed, reproducibly). */
function hashOf(i) {
  let x = Math.imul(i ^ (i >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

function alertAt(i, now) {
  const h = hashOf(i + 1_000_003);
  const alertname = ALERTNAMES[h % ALERTNAMES.length];
  const service = SERVICES[(h >>> 8) % SERVICES.length];
  const pod = `${service}-${(h >>> 4).toString(36).slice(0, 5)}-${i % 97}`;
  return {
    labels: {
      alertname,
      service,
      severity: SEVERITY(i),
      namespace: `shop-${['eu', 'us', 'ap'][i % 3]}`,
      pod,
      instance: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:9100`,
      team: ['payments', 'platform', 'growth', 'core'][i % 4],
      ...EXTERNAL_LABEL,
    },
    annotations: {
      summary: `${alertname} on ${service} (${pod})`,
      description: `${alertname} has been firing for ${service} in pod ${pod}; see the dashboard for the last hour.`,
      runbook_url: `https://runbooks.example.internal/${alertname}`,
    },
    // Prometheus sends endsAt a few evaluation intervals ahead and re-sends what still fires; these stay
    // firing for the whole run.
    startsAt: new Date(now - ((i * 7919) % 259_200) * 1000).toISOString(),
    endsAt: new Date(now + 6 * 3_600_000).toISOString(),
    generatorURL: `http://prometheus.example.internal/graph?g0.expr=${alertname}`,
  };
}

async function seedAlerts(alertingUrl) {
  const now = Date.now();
  for (let from = 0; from < ALERTS; from += 1000) {
    const alerts = Array.from({ length: Math.min(1000, ALERTS - from) }, (_, k) => alertAt(from + k, now));
    const res = await request(`${alertingUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${PROMETHEUS_KEY.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    check(res.status === 200, `POST /api/v2/alerts answered ${res.status}: ${res.text().slice(0, 300)}`);
  }
}

// prettier-ignore
const ACTIONS = [
  'user.login.succeeded', 'user.login.succeeded', 'user.login.succeeded', 'user.login.succeeded',
  'user.login.failed', 'order.placed', 'order.placed', 'order.placed', 'order.viewed', 'order.viewed',
  'user.logout', 'user.logout', 'user.profile.updated', 'admin.profile.viewed', 'wallet.settings.viewed',
  'kyc.document.viewed', 'privacy.settings.updated', 'admin.user.suspended', 'wallet.settings.updated',
  'order.refunded',
];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'okhttp/4.12.0',
  'shop-admin/3.4.1 (+https://admin.example.internal)',
];

/**
 * Audit events shaped like a shop's over the last week, oldest first: logins dominate, admins (60) read
 * wallets and KYC documents, users (50,000, skewed) place and view orders; request metadata and a note of
 * varying length (0.5-2 KB of JSON).
 */
function auditEvent(i, start, spanMs) {
  const h = hashOf(i + 1);
  const action = ACTIONS[h % ACTIONS.length];
  const admin = action.startsWith('admin.') || (action.endsWith('.viewed') && !action.startsWith('order.'));
  const resourceType = action.startsWith('order.')
    ? 'order'
    : action.startsWith('wallet.')
      ? 'wallet'
      : action.startsWith('kyc.')
        ? 'kyc'
        : action.startsWith('user.log')
          ? 'session'
          : 'user';
  const outcome =
    action === 'user.login.failed' || h % 89 === 0 ? 'failure' : h % 97 === 0 ? 'denied' : 'success';
  const resourceId = `${resourceType}-${(h >>> 8) % 200_000}`;
  const event = {
    id: randomUUID(),
    occurred_at: new Date(start + (i / AUDIT_ROWS) * spanMs).toISOString(),
    source: 'shop',
    actor: {
      type: admin ? 'admin' : 'user',
      id: admin
        ? `admin-${(h >>> 4) % 60}`
        : `user-${Math.floor(50_000 * (((h >>> 12) % 100_003) / 100_003) ** 3)}`,
      ip: `10.${h % 250}.${(h >>> 8) % 250}.${(h >>> 16) % 250}`,
    },
    action,
    resource: { type: resourceType, id: resourceId },
    outcome,
    metadata: {
      user_agent: AGENTS[(h >>> 4) % 4],
      http: {
        method: ['GET', 'POST', 'PUT', 'PATCH'][(h >>> 6) % 4],
        path: `/api/v1/${resourceType}s/${resourceId}`,
        status: outcome === 'success' ? 200 : outcome === 'denied' ? 403 : 422,
      },
      note: 'n'.repeat(((h >>> 20) % 40) * 32),
    },
    request_id: `req-${i}-${h.toString(36)}`,
  };
  if (action.endsWith('.updated'))
    event.changes = { locale: { before: 'en-GB', after: ['de-DE', 'fr-FR', 'bn-BD'][h % 3] } };
  return event;
}

/** Publishes AUDIT_ROWS events to JetStream as publishers do (Nats-Msg-Id = id), 512 awaiting their ack. */
async function seedAudit(nc) {
  const js = jetstream(nc);
  const encoder = new TextEncoder();
  const spanMs = 7 * 86_400_000;
  const start = Date.now() - spanMs - 3_600_000;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < AUDIT_ROWS) {
      const event = auditEvent(next++, start, spanMs);
      await js.publish('audit.v1.events.shop', encoder.encode(JSON.stringify(event)), { msgID: event.id });
      if (next % 100_000 === 0)
        log(`  audit: ${next} events published (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: 512 }, worker));
  return { from: new Date(start - 60_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
}

/** Waits until audit holds every seeded event (its Merkle logs' sizes) and reports them (its summary). */
async function waitForAudit(nc, call, window) {
  const deadline = Date.now() + SEED_TIMEOUT_MS;
  let logged = 0;
  for (;;) {
    // A poll the service fails (it may, on a machine this busy) is logged and retried until the deadline.
    const sizes = await Promise.all(
      ['security', 'privacy', 'routine'].map((c) =>
        call('audit', `/audit/log/${c}/checkpoint`).then(
          (checkpoint) => checkpoint.size,
          (error) => (log(`  audit: ${error.message}; retrying`), -Infinity),
        ),
      ),
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total >= AUDIT_ROWS) break;
    if (Date.now() > deadline)
      throw new Error(`wrong result: audit's logs hold ${total} of ${AUDIT_ROWS} events`);
    if (Date.now() - logged > 10_000) {
      log(`  audit: ${total} events in the logs`);
      logged = Date.now();
    }
    await sleep(1000);
  }
  const reply = await nc.request('audit.v1.summary', JSON.stringify(window), { timeout: 60_000 });
  const summary = JSON.parse(new TextDecoder().decode(reply.data));
  const seeded = ACTIONS.filter((a, i) => ACTIONS.indexOf(a) === i).reduce(
    (sum, action) => sum + (summary.by_action?.[action] ?? 0),
    0,
  );
  check(
    seeded === AUDIT_ROWS,
    `audit.v1.summary counts ${seeded} seeded events, ${AUDIT_ROWS} were published`,
  );
  log(
    `  audit: ${seeded} events reported by audit.v1.summary (${summary.total_events} in all, detections ${JSON.stringify(summary.detections ?? {})})`,
  );
}

async function waitForAlerts(call) {
  const listed = await call('alerting', '/api/v2/alerts', {
    active: 'true',
    filter: `prometheus="${EXTERNAL_LABEL.prometheus}"`,
  });
  check(
    listed.length === ALERTS,
    `GET /api/v2/alerts lists ${listed.length} seeded alerts, ${ALERTS} were posted`,
  );
  const all = await call('alerting', '/api/v2/alerts', { active: 'true' });
  // Every live alert comes back in one answer (the v2 API has no pages): its size is what a page pays.
  const started = performance.now();
  const groups = await call('alerting', '/api/v2/alerts/groups', { active: 'true' });
  const ms = performance.now() - started;
  const mb = Buffer.byteLength(JSON.stringify(groups)) / 1e6;
  log(
    `  alerting: ${listed.length} seeded alerts firing (${all.length} in all); GET /api/v2/alerts/groups: ` +
      `${groups.length} groups, ${mb.toFixed(1)} MB of JSON in ${ms.toFixed(0)} ms`,
  );
}

// ---- Services ----

const ALERTING_CONFIG = `
route:
  receiver: oncall
  group_by: [alertname, service]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: oncall
`;

/** Starts them; each started service goes into `running` (its output is printed when the run fails). */
async function startServices(testing, dir, cleanups, running) {
  const nats = await testing.startNatsServer();
  cleanups.push(() => nats.stop());
  const postgres = await startDurablePostgres(testing);
  cleanups.push(() => postgres.stop());
  const configFile = path.join(dir, 'alerting.yaml');
  writeFileSync(configFile, ALERTING_CONFIG);
  const common = { NATS_URL: nats.url, LOG_LEVEL: SHIPPED_LOG_LEVEL, ENVIRONMENT: 'test' };
  const person = { name: 'auditor-oncall', hash: PERSON_KEY.hash };
  const start = async (app, env, port) => {
    port ??= await testing.freePort();
    const service = await testing.runService({
      app,
      env: { ...common, PORT: String(port), DATABASE_URL: await postgres.createDatabase(), ...env },
    });
    cleanups.push(() => service.stop());
    running.push([app, service]);
    await service.waitForReady(port, 90_000);
    return `http://127.0.0.1:${port}`;
  };
  const [audit, alerting] = await Promise.all([
    start('audit', { API_KEYS: JSON.stringify([{ ...person, scopes: ['audit:read'] }]) }),
    start('alerting', {
      ALERTING_CONFIG_FILE: configFile,
      API_KEYS: JSON.stringify([
        { ...person, scopes: ['alerts:ack', 'silences:write'] },
        { name: 'prometheus', hash: PROMETHEUS_KEY.hash, scopes: ['alerts:write'] },
      ]),
    }),
  ]);
  // Health, reporting and errors are not running: a port nobody listens on refuses at once.
  const nobody = `http://127.0.0.1:${await testing.freePort()}`;
  const consolePort = await testing.freePort();
  const consoleUrl = await start(
    'console',
    {
      CONSOLE_PUBLIC_URL: `http://127.0.0.1:${consolePort}`,
      AUDIT_URL: audit,
      ALERTING_URL: alerting,
      HEALTH_URL: nobody,
      REPORTING_URL: nobody,
      ERRORS_URL: nobody,
    },
    consolePort,
  );
  return { nats, urls: { audit, alerting }, consoleUrl };
}

async function main() {
  buildProjects(['@vigil/console', '@vigil/audit-service', '@vigil/alerting-service', '@vigil/testing']);
  const testing = await loadTesting();
  const cleanups = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-console-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const only = process.env.BENCH_CONSOLE_PAGES?.split(',');
  const pages = PAGES.filter((p) => only === undefined || only.includes(p.key));
  const running = [];
  try {
    const services = await startServices(testing, dir, cleanups, running);
    const nc = await connect({ servers: services.nats.url });
    cleanups.push(() => nc.close());
    const call = apiCaller(services.urls);

    log(`seeding ${ALERTS} firing alerts and ${AUDIT_ROWS} audit events`);
    const seedStart = performance.now();
    const [, window] = await Promise.all([seedAlerts(services.urls.alerting), seedAudit(nc)]);
    log(
      `  published in ${((performance.now() - seedStart) / 1000).toFixed(0)} s; waiting until they are stored`,
    );
    await waitForAlerts(call);
    await waitForAudit(nc, call, window);
    log(`  seeded and queryable in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`);

    // The event opened: the newest wallet read the filtered search lists (a person clicks it).
    const wallet = await call('audit', '/audit/events', {
      action_prefix: 'wallet.settings.viewed',
      limit: '1',
    });
    check(wallet.events?.length === 1, 'the filtered search lists no wallet.settings.viewed event');
    const cookie = await signIn(services.consoleUrl);
    const ctx = {
      consoleUrl: services.consoleUrl,
      cookie,
      call,
      eventId: wallet.events[0].event.id,
      alertnames: ALERTNAMES,
    };
    log(
      `measuring ${pages.map((p) => p.key).join(', ')}: ${REQUESTS} requests a page and side, concurrency ` +
        `${CONCURRENCIES.join(' and ')}, ${ROUNDS} round(s); load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    const { stat } = await measure(ctx, pages);
    await logFloors(ctx, services.urls.audit);
    for (const [name, url] of [
      ['console', services.consoleUrl],
      ['audit', services.urls.audit],
      ['alerting', services.urls.alerting],
    ])
      log(`${name} server-side means over the run: ${await serverMeans(url)}`);

    const keys = pages.map((p) => p.key);
    const summary = (c) => ({ console: stat('console', keys, c, 95), api: stat('api', keys, c, 95) });
    const [c1, c4] = [summary(1), summary(CONCURRENCIES[1])];
    log('');
    log(
      `p95 ms (median of ${ROUNDS} rounds)   console c=1   api c=1   console c=${CONCURRENCIES[1]}   api c=${CONCURRENCIES[1]}`,
    );
    for (const k of keys)
      log(
        `${k.padEnd(30)} ${fmt(stat('console', [k], 1, 95)).padStart(10)} ${fmt(stat('api', [k], 1, 95)).padStart(9)}` +
          ` ${fmt(stat('console', [k], CONCURRENCIES[1], 95)).padStart(13)} ${fmt(stat('api', [k], CONCURRENCIES[1], 95)).padStart(9)}`,
      );
    log(
      `${'all pages'.padEnd(30)} ${fmt(c1.console).padStart(10)} ${fmt(c1.api).padStart(9)} ${fmt(c4.console).padStart(13)} ${fmt(c4.api).padStart(9)}`,
    );
    log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const perPage = keys.map((k) => `${k}_p95_ms=${fmt(stat('console', [k], 1, 95))}`).join(' ');
    process.stdout.write(
      `bench=console ${perPage} c${CONCURRENCIES[1]}_p95_ms=${fmt(c4.console)} c${CONCURRENCIES[1]}_ratio=${(c4.api / c4.console).toFixed(2)} ` +
        `p95_ms=${fmt(c1.console)} baseline_api_p95_ms=${fmt(c1.api)} ratio=${(c1.api / c1.console).toFixed(2)}\n`,
    );
  } catch (error) {
    if (!String(error?.message).startsWith('page missing'))
      for (const [app, service] of running)
        log(`--- ${app} output (tail) ---\n${service.output().split('\n').slice(-10).join('\n')}`);
    throw error;
  } finally {
    agent.destroy();
    await runCleanups(cleanups);
  }
}

main().catch((error) => {
  log(`bench console failed: ${error?.stack ?? error}`);
  process.exit(1);
});
