// What every bench script needs: progress on stderr (stdout carries only the result line), the nx build of
// what it runs, order statistics, cleanups that always run (in reverse order, errors ignored), Postgres with
// production durability, the shipped log level, API keys, and the smoke mode CI runs.
import { spawnSync } from 'node:child_process';
import { randomBytes, scryptSync } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * BENCH_SMOKE=1: tiny counts, no baseline that needs installing, same checks of the result. `npm test` runs
 * every benchmark so, so that a broken one fails CI; its figures mean nothing.
 */
export const SMOKE = process.env.BENCH_SMOKE === '1';
/** `full` in a real run, `smoke` under BENCH_SMOKE=1. */
export const sized = (full, smoke) => (SMOKE ? smoke : full);

/** The log level the services ship with (k8s/base sets LOG_LEVEL=info): logging is part of what they pay. */
export const SHIPPED_LOG_LEVEL = 'info';

/** libs/testing's build (startPostgres, startNatsServer, runService, freePort). */
export async function loadTesting() {
  return (await import(path.join(root, 'libs/testing/dist/index.js'))).default;
}

/** node-postgres, as the services resolve it. */
export const pg = createRequire(path.join(root, 'libs/testing/package.json'))('pg');

const DURABILITY = ['fsync', 'synchronous_commit', 'full_page_writes'];

/**
 * Starts Postgres with production durability and prints the settings read back from the server
 * (`postgres: fsync=on synchronous_commit=on full_page_writes=on`); throws when one is not on, since a figure
 * that does not pay for durability would not mean what it says.
 */
export async function startDurablePostgres(testing) {
  const postgres = await testing.startPostgres({ durable: true });
  const db = new pg.Client({ connectionString: postgres.adminUrl });
  try {
    await db.connect();
    const settings = [];
    for (const name of DURABILITY) settings.push([name, (await db.query(`SHOW ${name}`)).rows[0][name]]);
    log(`postgres: ${settings.map(([name, value]) => `${name}=${value}`).join(' ')}`);
    const off = settings.filter(([, value]) => value !== 'on');
    if (off.length > 0) throw new Error(`postgres runs with ${off.map(([n, v]) => `${n}=${v}`).join(', ')}`);
    return postgres;
  } catch (error) {
    await postgres.stop();
    throw error;
  } finally {
    await db.end().catch(() => undefined);
  }
}

/** A random bearer key and the scrypt hash API_KEYS holds for it. */
export function apiKey() {
  const key = randomBytes(32).toString('base64url');
  const [N, r, p, salt] = [1024, 8, 1, randomBytes(16)];
  const hash = scryptSync(key, salt, 32, { N, r, p });
  return { key, hash: ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$') };
}

/** Throws (the run then prints no `bench=` line and exits non-zero) when a result is wrong. */
export function check(condition, message) {
  if (!condition) throw new Error(`wrong result: ${message}`);
}

export const log = (line) => process.stderr.write(`${line}\n`);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** The p-th percentile of an ascending list. */
export const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Builds `projects` with nx (cached); BENCH_SKIP_BUILD=1 runs the dist folders as they are. */
export function buildProjects(projects) {
  if (process.env.BENCH_SKIP_BUILD) return;
  log(`building ${projects.join(', ')} (nx, cached)`);
  const result = spawnSync(
    path.join(root, 'node_modules/.bin/nx'),
    ['run-many', '-t', 'build', '-p', ...projects, '--output-style=static'],
    {
      cwd: root,
      stdio: ['ignore', 2, 2], // stdout carries only the result line
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    },
  );
  if (result.status !== 0) throw new Error(`build failed (exit ${result.status})`);
}

/** Runs every cleanup, newest first, whatever the others did. */
export async function runCleanups(cleanups) {
  for (const cleanup of cleanups.reverse())
    await Promise.resolve()
      .then(cleanup)
      .catch(() => undefined);
}
