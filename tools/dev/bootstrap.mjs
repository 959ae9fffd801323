// Installs whatever `npm start` / `npm test` / `npm run bench` need on a fresh Debian/Ubuntu machine that has only
// Node 20.19+ and apt: pnpm 12, the workspace dependencies, and the system tools (through apt).
// Plain Node, no dependencies: this runs before anything is installed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

const PNPM_VERSION = '12.21.0';
const PNPM_MAJOR = 12;

/** System tools: the apt package that brings each, and which commands need it. */
/** @type {Record<string, { apt: string, for: string[], manual?: string, probe?: string[] }>} */
const TOOLS = {
  'nats-server': { apt: 'nats-server', for: ['start', 'test', 'bench', 'bench-smoke'] },
  'docker-compose': { apt: 'docker-compose', for: ['test'] },
  // amtool for the alerting tests; the same package's Alertmanager is bench/alerting's baseline.
  amtool: { apt: 'prometheus-alertmanager', for: ['test', 'bench'] },
  // The alerting tests run a real Prometheus whose rule always fires (apps/alerting/test).
  prometheus: { apt: 'prometheus', for: ['test'] },
  // The health status page is loaded and screenshotted in headless Chromium (apps/health/test).
  chromium: { apt: 'chromium', for: ['test'] },
  // The reporting tests turn the report PDF's first page into a PNG for reviewers (apps/reporting/test).
  pdftoppm: { apt: 'poppler-utils', for: ['test'] },
  // clients/python's tests run under Debian's interpreter: pytest, Django 3.2 and pip (it builds the package offline).
  // Python modules are not commands: `probe` is run instead of looking the name up on PATH.
  'python3-pytest': {
    apt: 'python3-pytest',
    for: ['test'],
    probe: ['/usr/bin/python3', '-c', 'import pytest'],
  },
  'python3-django': {
    apt: 'python3-django',
    for: ['test'],
    probe: ['/usr/bin/python3', '-c', 'import django'],
  },
  'python3-pip': { apt: 'python3-pip', for: ['test'], probe: ['/usr/bin/python3', '-m', 'pip', '--version'] },
  // Debian has no usable kubectl package (kubernetes-client is 1.20); apt can install it only where a Kubernetes or
  // Google Cloud apt repository is configured.
  kubectl: {
    apt: 'kubectl',
    for: ['test'],
    manual: 'kubectl >= 1.27 (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/)',
  },
  // The watched fleet of e2e/test/fleet-django.e2e.spec.ts and of examples/ (Debian's packages for /usr/bin/python3;
  // python3-django is listed above). `npm start` runs examples/django-profile when they are there, and says how to
  // get them when not.
  gunicorn: { apt: 'gunicorn', for: ['test'] },
  'python3-django-prometheus': {
    apt: 'python3-django-prometheus',
    for: ['test'],
    probe: ['/usr/bin/python3', '-c', 'import django_prometheus'],
  },
  'python3-fastapi': {
    apt: 'python3-fastapi',
    for: ['test'],
    probe: ['/usr/bin/python3', '-c', 'import fastapi'],
  },
  'python3-uvicorn': {
    apt: 'python3-uvicorn',
    for: ['test'],
    probe: ['/usr/bin/python3', '-c', 'import uvicorn'],
  },
  // FastAPI's TestClient, for examples/fastapi-catalog's tests.
  'python3-httpx': { apt: 'python3-httpx', for: ['test'], probe: ['/usr/bin/python3', '-c', 'import httpx'] },
  // Real Sentry clients of the errors service: e2e/fixtures/errors-clients and bench/errors (events captured from
  // the unmodified SDK under Flask).
  'python3-sentry-sdk': {
    apt: 'python3-sentry-sdk',
    for: ['test', 'bench', 'bench-smoke'],
    probe: ['/usr/bin/python3', '-c', 'import sentry_sdk'],
  },
  'python3-flask': {
    apt: 'python3-flask',
    for: ['test', 'bench', 'bench-smoke'],
    probe: ['/usr/bin/python3', '-c', 'import flask'],
  },
  // examples/django-profile on Postgres: health's SQL check tests migrate its tables there, npm start runs it there.
  'python3-psycopg2': {
    apt: 'python3-psycopg2',
    for: ['test'],
    probe: ['/usr/bin/python3', '-c', 'import psycopg2'],
  },
};

export function log(message) {
  console.log(`vigil: ${message}`);
}

/** Prints one clear line and exits. */
export function fail(message) {
  console.error(`vigil: ${message}`);
  process.exit(1);
}

/** Runs a command with inherited stdio; resolves with its exit code (signals become 128 + n). */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.once('error', (err) => {
      console.error(`vigil: cannot run ${command}: ${err.message}`);
      resolve(127);
    });
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : 15)));
  });
}

function capture(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 600_000, ...options });
  return {
    ok: result.status === 0,
    stdout: result.stdout ?? '',
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? result.error.message : ''}`,
  };
}

/** Absolute path of an executable on PATH, or undefined. */
export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function prepareEnvironment() {
  Object.assign(process.env, {
    COREPACK_INTEGRITY_KEYS: '0',
    COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
  });
  // Debian puts nats-server in /usr/sbin, which a non-root PATH often lacks.
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const extra of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!dirs.includes(extra)) dirs.push(extra);
  process.env.PATH = dirs.join(path.delimiter);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(
      `Node ${process.versions.node} is too old: install Node 20.19 or newer (it loads ESM-only packages with require)`,
    );
  }
}

function pnpmMajor(command, prefix = []) {
  const result = capture(command, [...prefix, '--version'], { timeout: 180_000 });
  if (!result.ok) return undefined;
  const match = /(\d+)\.\d+\.\d+/.exec(result.stdout);
  return match ? Number(match[1]) : undefined;
}

/** Finds (or installs) pnpm 12; returns how to invoke it. */
function ensurePnpm() {
  const onPath = which('pnpm');
  if (onPath && pnpmMajor(onPath) === PNPM_MAJOR) return { command: onPath, prefix: [] };

  log(`installing pnpm ${PNPM_VERSION} (npm install -g)…`);
  const installed = capture('npm', ['install', '-g', `pnpm@${PNPM_VERSION}`]);
  if (installed.ok) {
    const prefix = capture('npm', ['prefix', '-g']).stdout.trim();
    for (const candidate of [prefix && path.join(prefix, 'bin', 'pnpm'), which('pnpm')]) {
      if (candidate && fs.existsSync(candidate) && pnpmMajor(candidate) === PNPM_MAJOR) {
        return { command: candidate, prefix: [] };
      }
    }
  }
  log(`npm install -g was not possible here; using npx -y pnpm@${PNPM_VERSION}`);
  const npx = { command: 'npx', prefix: ['-y', `pnpm@${PNPM_VERSION}`] };
  if (pnpmMajor(npx.command, npx.prefix) !== PNPM_MAJOR) {
    fail(`could not get pnpm ${PNPM_VERSION}: run \`npm install -g pnpm@${PNPM_VERSION}\` and retry`);
  }
  return npx;
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function sameContent(a, b) {
  try {
    return fs.readFileSync(a, 'utf8') === fs.readFileSync(b, 'utf8');
  } catch {
    return false;
  }
}

/** pnpm install when node_modules is missing or pnpm-lock.yaml changed since the last install. */
async function ensureDependencies(pnpm) {
  const lockFile = path.join(root, 'pnpm-lock.yaml');
  const modules = mtime(path.join(root, 'node_modules', '.modules.yaml'));
  const lock = mtime(lockFile);
  // pnpm writes the lockfile just after .modules.yaml, so a newer lockfile is compared with the copy pnpm installed from.
  const installedLock = path.join(root, 'node_modules', '.pnpm', 'lock.yaml');
  if (
    modules !== undefined &&
    lock !== undefined &&
    (lock <= modules || sameContent(installedLock, lockFile))
  )
    return;
  log('installing workspace dependencies (pnpm install --frozen-lockfile)…');
  const code = await run(pnpm.command, [...pnpm.prefix, 'install', '--frozen-lockfile']);
  if (code !== 0) fail(`pnpm install --frozen-lockfile failed (exit ${code}); see the output above`);
}

/** A command on PATH, or, for a tool with a `probe` (a Python module), that probe succeeding. */
function isPresent(name, tool) {
  if (!tool.probe) return which(name) !== undefined;
  const [command, ...args] = tool.probe;
  return capture(command, args, { timeout: 60_000 }).ok;
}

function ensureSystemTools(mode) {
  const missing = Object.entries(TOOLS)
    .filter(([name, tool]) => tool.for.includes(mode) && !isPresent(name, tool))
    .map(([name, tool]) => ({ name, ...tool }));
  if (missing.length === 0) return;
  const names = missing.map((t) => t.name).join(', ');
  const manual = missing.filter((t) => t.manual).map((t) => t.manual);
  const aptHint = (sudoPrefix) =>
    `run \`${sudoPrefix}apt-get install -y ${missing.map((t) => t.apt).join(' ')}\`` +
    (manual.length > 0 ? ` (where apt has no such package, install ${manual.join(', ')})` : '');

  if (!which('apt-get')) {
    const list = missing.map((t) => t.manual ?? `${t.name} (apt package ${t.apt})`).join(', ');
    fail(`missing ${names} and apt-get is not available here: install ${list}, then retry`);
  }

  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? [] : which('sudo') ? ['sudo', '-n'] : undefined;
  if (sudo === undefined) fail(`missing ${names}: ${aptHint('')} as root, then retry`);
  const aptGet = (args) => {
    const [command, ...rest] = [...sudo, 'apt-get', ...args];
    return capture(command, rest, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };

  log(`installing ${names} via apt…`);
  const update = aptGet(['update']);
  if (!update.ok) {
    const why =
      !isRoot && /password|sudo/i.test(update.output) ? 'sudo needs a password' : 'apt-get update failed';
    fail(`missing ${names} (${why}): ${aptHint(isRoot ? '' : 'sudo ')}, then retry`);
  }
  // Only install what apt can provide here (kubectl needs a Kubernetes or Google Cloud apt repository).
  const installable = missing.filter((t) =>
    /Candidate: (?!\(none\))/.test(capture('apt-cache', ['policy', t.apt]).stdout),
  );
  if (installable.length > 0) {
    const result = aptGet(['install', '-y', '--no-install-recommends', ...installable.map((t) => t.apt)]);
    if (!result.ok) {
      console.error(result.output.split('\n').slice(-15).join('\n'));
      fail(`apt-get install ${installable.map((t) => t.apt).join(' ')} failed (output above)`);
    }
  }
  const still = missing.filter((t) => !isPresent(t.name, t));
  if (still.length > 0) {
    const list = still.map((t) => t.manual ?? `${t.name} (apt package ${t.apt})`).join(', ');
    fail(`still missing ${still.map((t) => t.name).join(', ')} after apt: install ${list}, then retry`);
  }
}

/**
 * Prepares the machine for `mode` ('start' | 'test' | 'bench' | 'bench-smoke') and returns a pnpm runner:
 * `await pnpm(['exec', 'nx', ...])` resolves with the exit code.
 */
export async function bootstrap(mode) {
  checkNode();
  prepareEnvironment();
  const pnpm = ensurePnpm();
  await ensureDependencies(pnpm);
  ensureSystemTools(mode);
  return {
    pnpm: (args, options) => run(pnpm.command, [...pnpm.prefix, ...args], options),
  };
}
