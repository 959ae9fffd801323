// What every bench script needs: progress on stderr (stdout carries only the result line), the nx build of
// what it runs, order statistics, and cleanups that always run (in reverse order, errors ignored).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
      stdio: ['ignore', 'inherit', 'inherit'],
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
