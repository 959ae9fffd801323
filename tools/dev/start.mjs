// `npm start`: installs what is missing, builds, then runs the whole system locally with its data under .data/
// (a second start reuses it): NATS with JetStream, an embedded Postgres, a mail inbox (maildev), a webhook inbox and
// the five services and the console (the web UI, http://127.0.0.1:3000). Ctrl-C stops the services first, then the infrastructure.
// `npm start -- --infra-only` starts only the infrastructure; `npm start -- --no-build` skips the build.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

import { bootstrap, fail, log, root } from './bootstrap.mjs';
import { binariesPackageDir, postgresHome } from './postgres-home.mjs';
import { startBanner } from './start-banner.mjs';

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--infra-only' && arg !== '--no-build');
if (unknown.length > 0)
  fail(`unknown option ${unknown.join(' ')} (usage: npm start [-- --infra-only | --no-build])`);
const infraOnly = args.includes('--infra-only');
const build = !infraOnly && !args.includes('--no-build');

const DATA = path.join(root, '.data');
const LOGS = path.join(DATA, 'logs');
// The embedded Postgres' password, made on the first start (mode 0600); the banner names this file.
const PASSWORD_FILE = path.join(DATA, 'postgres-password');
/** A path inside the clone relative to it; one outside (the dev Postgres's data, as root) as it is. */
const rel = (file) => (file.startsWith(root + path.sep) ? path.relative(root, file) : file);

const PORTS = { nats: 4222, natsMonitor: 8222, postgres: 5433, smtp: 1025, mailUi: 1080, inbox: 3090 };
// Development API keys (README walk-through), as scrypt hashes made by `pnpm vigil-keyhash`: `vigil-dev-key` holds
// every scope on every service, `vigil-dev-audit-key` only audit:read on audit. Only this dev runner configures
// them; a service started any other way has no keys, and outside ENVIRONMENT development/test refuses to boot
// without API_KEYS.
const DEV_KEY = {
  name: 'dev',
  // printf %s vigil-dev-key | pnpm vigil-keyhash --stdin
  hash: 'scrypt$32768$8$1$n49AJGSVqLU9_ePWaf4yEg$4xYhljdUek-TO4dzdH_fUwT_4sGw_J21cnHqyv6zeVI',
  scopes: 'every', // the platform's API_SCOPES, read from its build when a service starts
  sources: ['*'], // audit:publish as any source: a newcomer's first script needs no configuration
};
const DEV_AUDIT_KEY = {
  name: 'dev-auditor',
  // printf %s vigil-dev-audit-key | pnpm vigil-keyhash --stdin
  hash: 'scrypt$32768$8$1$BabY-jeVH5A0T9K3gEGSdg$6jJuuPM21inY1YHVfbV34Vkx3z9qBZLDV8pPWFZ9K8w',
  scopes: ['audit:read'],
};
const require = createRequire(import.meta.url);

// The errors service's development projects (apps/errors, ERRORS_PROJECTS): `vigil` receives the unhandled errors
// of Vigil's own services (their SENTRY_DSN), `django-profile` those of the example app. Fixed DSN keys, so a DSN
// copied from the banner keeps working across starts; DSN keys are public (browsers ship them), not secrets.
const ERRORS_PORT = 3005;
const ERRORS_PROJECTS = [
  { id: '1', slug: 'vigil', keys: ['5e17a0c0de0000000000000000000001'] },
  {
    id: '2',
    slug: 'django-profile',
    keys: ['5e17a0c0de0000000000000000000002'],
    // The requirements' P1 classes, as in k8s/base/errors-projects.yaml.
    alert_rules: [
      { match: { exception_type: '*.DoesNotExist', culprit: '*profile*' }, severity: 'critical' },
      { match: { exception_type: '*.DoesNotExist', culprit: '*privacy*' }, severity: 'critical' },
    ],
  },
];
/** The Sentry DSN of a development project: what an SDK's `dsn` (or SENTRY_DSN) is set to. */
const dsnOf = (slug) => {
  const project = ERRORS_PROJECTS.find((p) => p.slug === slug);
  return `http://${project.keys[0]}@127.0.0.1:${ERRORS_PORT}/${project.id}`;
};

/** API_KEYS of a service; 'every' stands for every scope the built platform knows. */
function devKeys(...keys) {
  const { API_SCOPES } = require(path.join(root, 'libs/platform/dist/auth/api-scopes.js'));
  return JSON.stringify(keys.map((key) => (key.scopes === 'every' ? { ...key, scopes: API_SCOPES } : key)));
}
// The ping token of the demo heartbeat `nightly-job` (tools/dev/targets.yaml): fixed, so the URL the banner prints
// keeps working across starts. A real monitor's token is random or comes from a Secret (apps/health/README.md).
const DEMO_JOB_PING_TOKEN = 'vigil-dev-nightly-job';
const SERVICES = [
  // The web UI, first in the banner: people sign in there with a development key and it calls the services
  // below with that key (CONSOLE_PUBLIC_URL and the services' URLs are its defaults).
  {
    name: 'console',
    port: 3000,
    env: {},
    keys: [DEV_KEY],
    signIn: 'sign in with vigil-dev-key (every scope) or vigil-dev-audit-key (audit:read only)',
  },
  {
    name: 'health',
    port: 3001,
    env: { TARGETS_FILE: path.join(root, 'tools/dev/targets.yaml'), DEMO_JOB_PING_TOKEN },
    keys: [DEV_KEY],
  },
  { name: 'audit', port: 3002, env: {}, keys: [DEV_KEY, DEV_AUDIT_KEY] },
  {
    name: 'alerting',
    port: 3003,
    env: { ALERT_WEBHOOK_URL: `http://127.0.0.1:${PORTS.inbox}/alerts` },
    keys: [DEV_KEY],
  },
  {
    name: 'reporting',
    port: 3004,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${PORTS.smtp}`,
      REPORT_FROM: 'vigil@localhost',
      REPORT_RECIPIENTS: 'oncall@example.test',
    },
    keys: [DEV_KEY],
  },
  {
    name: 'errors',
    port: ERRORS_PORT,
    env: { ERRORS_PROJECTS: JSON.stringify({ projects: ERRORS_PROJECTS }) },
    keys: [DEV_KEY],
  },
];
const PORT_NAMES = {
  [PORTS.nats]: 'NATS',
  [PORTS.natsMonitor]: 'NATS monitoring',
  [PORTS.postgres]: 'Postgres',
  [PORTS.smtp]: 'maildev SMTP',
  [PORTS.mailUi]: 'maildev web UI',
  [PORTS.inbox]: 'webhook inbox',
  ...Object.fromEntries(SERVICES.map((s) => [s.port, `${s.name} service`])),
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------- processes
/** Everything we started, in start order: { name, child, logFile, exited }. */
const running = [];
let shuttingDown = false;

/** Starts a process in its own process group (so Ctrl-C reaches only us), output appended to .data/logs/<name>.log. */
function startProcess(name, command, commandArgs, { env = {}, ipc = false } = {}) {
  const logFile = path.join(LOGS, `${name}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(command, commandArgs, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: /** @type {import('node:child_process').StdioOptions} */ ([
      'ignore',
      fd,
      fd,
      ...(ipc ? ['ipc'] : []),
    ]),
    detached: true,
  });
  fs.closeSync(fd);
  const entry = { name, child, logFile, exited: undefined };
  entry.exitedPromise = new Promise((resolve) => {
    child.once('error', (err) => {
      fs.appendFileSync(logFile, `cannot start ${command}: ${err.message}\n`);
      entry.exited = { code: 127, signal: null };
      resolve(entry.exited);
    });
    child.once('exit', (code, signal) => {
      entry.exited = { code, signal };
      resolve(entry.exited);
      if (!shuttingDown && entry.ready) {
        log(`${name} exited unexpectedly (${code ?? signal}); last lines of ${rel(logFile)}:`);
        console.error(tail(logFile));
      }
    });
  });
  running.push(entry);
  return entry;
}

function tail(file, lines = 30) {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => `    ${line}`)
      .join('\n');
  } catch {
    return '    (no log)';
  }
}

function signalGroup(entry, signal, { groupOnly = true, evenIfExited = false } = {}) {
  if ((entry.exited && !evenIfExited) || !entry.child.pid) return;
  try {
    process.kill(groupOnly ? -entry.child.pid : entry.child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopEntry(entry, timeoutMs, { groupSignal = true } = {}) {
  if (entry.exited) return;
  signalGroup(entry, 'SIGTERM', { groupOnly: groupSignal });
  const done = await Promise.race([entry.exitedPromise, sleep(timeoutMs).then(() => false)]);
  if (done === false) {
    log(`${entry.name} did not stop within ${timeoutMs / 1000} s: killing it`);
    signalGroup(entry, 'SIGKILL');
    await Promise.race([entry.exitedPromise, sleep(5_000)]);
  } else if (groupSignal) {
    // The group may still hold children of the process (e.g. a shell shim's node).
    signalGroup(entry, 'SIGKILL', { evenIfExited: true });
  }
}

/** Services first (they drain), then the inboxes, then NATS, then Postgres. */
async function stopAll() {
  const byName = (names) => running.filter((e) => names.includes(e.name));
  await Promise.all(byName([...SERVICES.map((s) => s.name), PROFILE.name]).map((e) => stopEntry(e, 30_000)));
  await Promise.all(byName(['maildev', 'webhook-inbox']).map((e) => stopEntry(e, 10_000)));
  await Promise.all(byName(['nats']).map((e) => stopEntry(e, 15_000)));
  // The Postgres helper stops the server itself (fast shutdown) and then exits.
  await Promise.all(byName(['postgres']).map((e) => stopEntry(e, 30_000, { groupSignal: false })));
  for (const entry of running) signalGroup(entry, 'SIGKILL');
}

async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping: services, then maildev and the webhook inbox, then NATS, then Postgres…');
  await stopAll();
  log('stopped.');
  process.exit(code);
}

let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    signals++;
    if (signals === 1) {
      process.stdout.write('\n');
      void shutdown(0);
    } else {
      log('second signal: killing everything now');
      for (const entry of running) signalGroup(entry, 'SIGKILL');
      process.exit(1);
    }
  });
}
// Whatever happens to this process, do not leave children behind.
process.on('exit', () => {
  for (const entry of running) signalGroup(entry, 'SIGKILL');
});

async function abort(message, entry) {
  // Once stopping, processes exiting is expected: let shutdown() finish and exit.
  if (shuttingDown) return new Promise(() => undefined);
  log(message);
  if (entry) console.error(`--- last lines of ${rel(entry.logFile)} ---\n${tail(entry.logFile)}`);
  await shutdown(1);
}

// ---------------------------------------------------------------------------------------------------- checks
function portTaken(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (/** @type {NodeJS.ErrnoException} */ err) =>
      resolve(err.code === 'EADDRINUSE' || err.code === 'EACCES'),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

async function checkPorts() {
  const ports = [
    PORTS.nats,
    PORTS.natsMonitor,
    PORTS.postgres,
    PORTS.smtp,
    PORTS.mailUi,
    PORTS.inbox,
    ...(infraOnly ? [] : [...SERVICES.map((s) => s.port), PROFILE.port]),
  ];
  const taken = [];
  for (const port of ports) if (await portTaken(port)) taken.push(port);
  if (taken.length > 0) {
    const names = taken.map((p) => `${p} (${PORT_NAMES[p]})`).join(', ');
    fail(
      `port ${names} on 127.0.0.1 already in use (another npm start running?): stop what holds it and retry`,
    );
  }
}

function postgresPassword(dataDir) {
  const file = PASSWORD_FILE;
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fail(
      `${rel(dataDir)} exists but ${rel(file)} is missing: delete ${rel(dataDir)} to start with a new database`,
    );
  }
  const password = crypto.randomBytes(18).toString('hex');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

// ---------------------------------------------------------------------------------------------------- waiting
async function httpStatus(url) {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(2_000),
      headers: { accept: 'text/html,*/*' },
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

function tcpOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls `check` until true; rejects with the entry's log when the process exits or on timeout. */
async function waitUntil(entry, check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (entry.exited)
      throw Object.assign(
        new Error(`${entry.name} exited (${entry.exited.code ?? entry.exited.signal}) before ${what}`),
        { entry },
      );
    if (await check()) {
      entry.ready = true;
      return;
    }
    await sleep(250);
  }
  throw Object.assign(new Error(`${entry.name}: timed out after ${timeoutMs / 1000} s waiting for ${what}`), {
    entry,
  });
}

// ---------------------------------------------------------------------------------------------------- components
function startNats() {
  const storeDir = path.join(DATA, 'nats');
  fs.mkdirSync(storeDir, { recursive: true });
  const entry = startProcess('nats', 'nats-server', [
    '-js',
    '-a',
    '127.0.0.1',
    '-p',
    String(PORTS.nats),
    '-m',
    String(PORTS.natsMonitor),
    '-sd',
    storeDir,
  ]);
  return waitUntil(
    entry,
    async () => (await httpStatus(`http://127.0.0.1:${PORTS.natsMonitor}/healthz`)) === 200,
    20_000,
    'NATS /healthz',
  );
}

// examples/django-profile keeps its data in its own database on the same Postgres, so health's SQL integrity
// checks (tools/dev/targets.yaml, PROFILE_DB_URL) run against its real tables.
const PROFILE_DATABASE = 'django_profile';
const DATABASES = [...SERVICES.map((s) => `vigil_${s.name}`), PROFILE_DATABASE];
const profileDatabaseUrl = (password) =>
  `postgres://postgres:${password}@127.0.0.1:${PORTS.postgres}/${PROFILE_DATABASE}`;

function startPostgres(password) {
  const { dataDir, runtimeDir } = PG_HOME;
  if (runtimeDir) {
    log(
      `${root} is out of reach of the postgres user: its binaries run from ${runtimeDir}, its data is in ${dataDir}`,
    );
    fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  }
  const entry = startProcess('postgres', process.execPath, [path.join(root, 'tools/dev/postgres.mjs')], {
    ipc: true,
    env: {
      ...(runtimeDir ? { VIGIL_PG_RUNTIME: runtimeDir } : {}),
      VIGIL_PG_DIR: dataDir,
      VIGIL_PG_PORT: String(PORTS.postgres),
      VIGIL_PG_PASSWORD: password,
      VIGIL_PG_DATABASES: DATABASES.join(','),
    },
  });
  const firstRun = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  log(
    firstRun
      ? `initialising Postgres in ${rel(dataDir)} (first run)…`
      : `reusing Postgres data in ${rel(dataDir)}`,
  );
  let state = 'starting';
  entry.child.on('message', (/** @type {{ ready?: boolean, error?: string }} */ message) => {
    if (message?.ready) state = 'ready';
    if (message?.error) state = 'failed';
  });
  return waitUntil(
    entry,
    () => {
      if (state === 'failed') throw Object.assign(new Error('Postgres failed to start'), { entry });
      return state === 'ready';
    },
    120_000,
    'Postgres to accept connections',
  );
}

function startMaildev() {
  const bin = path.join(root, 'node_modules/.bin/maildev');
  if (!fs.existsSync(bin)) fail(`${rel(bin)} is missing: run pnpm install`);
  const mailDir = path.join(DATA, 'mail');
  fs.mkdirSync(mailDir, { recursive: true });
  const entry = startProcess('maildev', bin, [
    '--smtp',
    String(PORTS.smtp),
    '--web',
    String(PORTS.mailUi),
    '--ip',
    '127.0.0.1',
    '--web-ip',
    '127.0.0.1',
    '--mail-directory',
    mailDir,
  ]);
  return waitUntil(
    entry,
    async () =>
      (await httpStatus(`http://127.0.0.1:${PORTS.mailUi}/`)) !== undefined && (await tcpOpen(PORTS.smtp)),
    30_000,
    'maildev SMTP and web UI',
  );
}

function startWebhookInbox() {
  const entry = startProcess('webhook-inbox', process.execPath, [
    path.join(root, 'tools/dev/webhook-inbox.mjs'),
    String(PORTS.inbox),
  ]);
  return waitUntil(
    entry,
    async () => (await httpStatus(`http://127.0.0.1:${PORTS.inbox}/`)) === 200,
    15_000,
    'the webhook inbox',
  );
}

function startService(service, password) {
  const entry = startProcess(
    service.name,
    process.execPath,
    [path.join(root, 'apps', service.name, 'dist/main.js')],
    {
      env: {
        PORT: String(service.port),
        NATS_URL: `nats://127.0.0.1:${PORTS.nats}`,
        DATABASE_URL: `postgres://postgres:${password}@127.0.0.1:${PORTS.postgres}/vigil_${service.name}`,
        LOG_LEVEL: 'info',
        ENVIRONMENT: 'development',
        API_KEYS: devKeys(...service.keys),
        // Every service reports its unhandled errors to the errors service, except the errors service itself
        // (no feedback loop; it also opts out with reportOwnErrors: false).
        ...(service.name === 'errors' ? {} : { SENTRY_DSN: dsnOf('vigil') }),
        ...(service.name === 'health' ? { PROFILE_DB_URL: profileDatabaseUrl(password) } : {}),
        ...service.env,
      },
    },
  );
  entry.service = service;
  return entry;
}

async function waitForServices(entries, timeoutMs) {
  const started = Date.now();
  const pending = new Set(entries);
  let lastReport = Date.now();
  while (pending.size > 0) {
    if (shuttingDown) return new Promise(() => undefined);
    for (const entry of pending) {
      if (entry.exited) {
        await abort(
          `${entry.name} exited (${entry.exited.code ?? entry.exited.signal}) before it was ready`,
          entry,
        );
      }
      if ((await httpStatus(`http://127.0.0.1:${entry.service.port}/health/readiness`)) === 200) {
        entry.ready = true;
        pending.delete(entry);
      }
    }
    if (pending.size === 0) break;
    const elapsed = Date.now() - started;
    if (elapsed > timeoutMs) {
      const names = [...pending].map((e) => e.name).join(', ');
      for (const entry of pending)
        console.error(`--- last lines of ${rel(entry.logFile)} ---\n${tail(entry.logFile, 15)}`);
      await abort(
        `not ready after ${timeoutMs / 1000} s: ${names} (GET /health/readiness never answered 200)`,
      );
    }
    if (Date.now() - lastReport >= 5_000) {
      lastReport = Date.now();
      log(
        `waiting for readiness (${Math.round(elapsed / 1000)} s): ${[...pending].map((e) => e.name).join(', ')}`,
      );
    }
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------------- the example app
// examples/django-profile under gunicorn, a watched member of the fleet: health checks it (targets.yaml), its
// admin and privacy saves publish audit events with the development key (source "profile"). It needs Debian's
// Django; without it everything else starts and this says how to get it.
const PROFILE = { name: 'django-profile', port: 8000, dir: path.join(root, 'examples/django-profile') };
const PROFILE_DATA = path.join(DATA, 'django-profile');
// The admin's password, made on the first start (mode 0600); the banner names this file.
const PROFILE_PASSWORD_FILE = path.join(PROFILE_DATA, 'admin-password');
const DEBIAN_PYTHON = '/usr/bin/python3';
PORT_NAMES[PROFILE.port] = `${PROFILE.name} example`;
let profileStarted = false;

function profileAdminPassword() {
  if (!fs.existsSync(PROFILE_PASSWORD_FILE))
    fs.writeFileSync(PROFILE_PASSWORD_FILE, `${crypto.randomBytes(12).toString('hex')}\n`, { mode: 0o600 });
  return fs.readFileSync(PROFILE_PASSWORD_FILE, 'utf8').trim();
}

/** Whether Debian's python3-sentry-sdk is there; without it the example runs without error reporting. */
function sentrySdkInstalled() {
  const found = spawnSync(DEBIAN_PYTHON, ['-c', 'import sentry_sdk'], { stdio: 'ignore' }).status === 0;
  if (!found)
    log(
      `${PROFILE.name} runs without SENTRY_DSN: python3-sentry-sdk is missing here ` +
        '(`apt-get install -y python3-sentry-sdk` and npm start again)',
    );
  return found;
}

async function startDjangoProfile() {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import django, django_prometheus, gunicorn, psycopg2'], {
    stdio: 'ignore',
  });
  if (probe.status !== 0) {
    log(
      `${PROFILE.name} (examples/django-profile) not started: Debian's Django is missing here; ` +
        'run `apt-get install -y python3-django python3-django-prometheus gunicorn python3-psycopg2` and npm start again',
    );
    return;
  }
  fs.mkdirSync(PROFILE_DATA, { recursive: true });
  const env = {
    PROFILE_BIND: `127.0.0.1:${PROFILE.port}`,
    DATABASE_URL: profileDatabaseUrl(password),
    PROFILE_MEDIA_ROOT: path.join(PROFILE_DATA, 'media'),
    PROFILE_ADMIN_PASSWORD: profileAdminPassword(),
    VIGIL_AUDIT_URL: 'http://127.0.0.1:3002',
    VIGIL_API_KEY: 'vigil-dev-key',
    VIGIL_AUDIT_SOURCE: 'profile',
    VIGIL_AUDIT_SPOOL_PATH: path.join(PROFILE_DATA, 'audit-spool.jsonl'),
    // The app's Sentry SDK reports to Vigil's errors service: a Django app changes only its DSN.
    ...(sentrySdkInstalled() ? { SENTRY_DSN: dsnOf('django-profile') } : {}),
  };
  for (const command of [['migrate', '--noinput', '-v', '0'], ['seed_demo']]) {
    const result = spawnSync(DEBIAN_PYTHON, ['manage.py', ...command], {
      cwd: PROFILE.dir,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    if (result.status !== 0)
      await abort(`${PROFILE.name}: manage.py ${command[0]} failed:\n${result.stdout}${result.stderr}`);
  }
  const gunicorn = [
    '-m',
    'gunicorn',
    '--chdir',
    PROFILE.dir,
    '-c',
    path.join(PROFILE.dir, 'gunicorn.conf.py'),
  ];
  const entry = startProcess(PROFILE.name, DEBIAN_PYTHON, [...gunicorn, 'profile_site.wsgi'], { env });
  try {
    const readiness = `http://127.0.0.1:${PROFILE.port}/health/readiness`;
    await waitUntil(
      entry,
      async () => (await httpStatus(readiness)) === 200,
      30_000,
      `${PROFILE.name} readiness`,
    );
    profileStarted = true;
  } catch (err) {
    await abort(err.message, err.entry);
  }
}

function printTable() {
  const lines = startBanner({
    services: infraOnly ? [] : SERVICES,
    examples: profileStarted
      ? [{ name: PROFILE.name, port: PROFILE.port, passwordFile: rel(PROFILE_PASSWORD_FILE) }]
      : [],
    ports: PORTS,
    databases: DATABASES,
    passwordFile: rel(PASSWORD_FILE),
    dsns: infraOnly
      ? []
      : [
          { project: 'vigil', dsn: dsnOf('vigil'), usedBy: "SENTRY_DSN of Vigil's own services" },
          {
            project: 'django-profile',
            dsn: dsnOf('django-profile'),
            usedBy: 'SENTRY_DSN of examples/django-profile',
          },
        ],
  });
  console.log('');
  for (const line of lines) console.log(line);
  console.log('');
  if (!infraOnly) log("API key for every route: -H 'authorization: Bearer vigil-dev-key' (development only)");
  if (!infraOnly)
    log(
      `heartbeat nightly-job (late after 1 h without a ping): curl -fsS http://127.0.0.1:3001/ping/${DEMO_JOB_PING_TOKEN}`,
    );
  log(`logs: ${rel(LOGS)}/<name>.log; data: ${rel(DATA)}/ (kept for the next start)`);
  log(
    `${infraOnly ? 'infrastructure is up' : 'everything is up: open the console at http://127.0.0.1:3000'}. Press Ctrl-C to stop.`,
  );
}

// ---------------------------------------------------------------------------------------------------- main
await checkPorts();
const { pnpm } = await bootstrap('start');

if (build) {
  log('building every project (nx run-many -t build)…');
  const code = await pnpm(['exec', 'nx', 'run-many', '-t', 'build']);
  if (shuttingDown || signals > 0) process.exit(0);
  if (code !== 0) fail(`the build failed (exit ${code}); see the output above`);
}
if (!infraOnly) {
  const missing = SERVICES.map((s) => `apps/${s.name}/dist/main.js`).filter(
    (f) => !fs.existsSync(path.join(root, f)),
  );
  if (missing.length > 0)
    fail(`${missing.join(', ')} missing${build ? ' after the build' : ': run without --no-build'}`);
}

fs.mkdirSync(LOGS, { recursive: true });
fs.chmodSync(DATA, 0o755);
const PG_HOME = postgresHome({
  root,
  runningAsRoot: process.getuid?.() === 0,
  packageDir: binariesPackageDir(),
});
await checkPorts();
const password = postgresPassword(PG_HOME.dataDir);

log(`starting NATS, Postgres, maildev and the webhook inbox (logs in ${rel(LOGS)}/)…`);
try {
  await Promise.all([startNats(), startPostgres(password), startMaildev(), startWebhookInbox()]);
} catch (err) {
  await abort(err.message, err.entry);
}
if (shuttingDown) await new Promise(() => undefined);

if (!infraOnly) {
  log(`starting ${SERVICES.map((s) => s.name).join(', ')} (output in ${rel(LOGS)}/<service>.log)…`);
  const entries = SERVICES.map((s) => startService(s, password));
  await waitForServices(entries, 90_000);
  if (!shuttingDown) await startDjangoProfile();
}
if (!shuttingDown) printTable();
