// `nx run bench:test` (part of `npm test`): every benchmark with BENCH_SMOKE=1 (tiny counts, no baseline that
// needs installing, the same checks of its result) on the builds nx has just made, two at a time. Fails when
// one exits non-zero or does not end with its `bench=<name> ` line, so a broken benchmark fails CI. Its
// figures mean nothing and are not compared with anything.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { log, root } from './shared.mjs';

const benchDir = path.join(root, 'bench');
const names = fs
  .readdirSync(benchDir)
  .filter((entry) => fs.existsSync(path.join(benchDir, entry, 'run.mjs')))
  .sort();

/** Runs one benchmark in smoke mode; resolves to its exit code and last stdout line. */
function smoke(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(benchDir, name, 'run.mjs')], {
      cwd: root,
      env: { ...process.env, BENCH_SMOKE: '1', BENCH_SKIP_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Two at a time (the figures mean nothing, and the services mostly wait on their startup). */
const CONCURRENCY = 2;

async function check(name) {
  const t0 = Date.now();
  const { code, stdout, stderr } = await smoke(name);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (code === 0 && last.startsWith(`bench=${name} `)) {
    log(`bench ${name} (smoke) ok in ${seconds} s: ${last}`);
    return true;
  }
  log(
    `bench ${name} (smoke) FAILED (exit ${code}) in ${seconds} s\n${stderr.trim().split('\n').slice(-40).join('\n')}`,
  );
  return false;
}

const started = Date.now();
const failed = [];
const queue = [...names];
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let name = queue.shift(); name; name = queue.shift()) if (!(await check(name))) failed.push(name);
  }),
);
log(
  `${names.length - failed.length} of ${names.length} benchmarks pass in smoke mode, ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
process.exit(failed.length === 0 ? 0 : 1);
