import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * One small helper process per test process cleans up after it: when this process exits or dies (even by SIGKILL),
 * its stdin closes and it stops the registered processes (SIGTERM, then SIGKILL after 10 s) and removes the registered
 * temp dirs. jest runs suites in a sandbox whose process.on('exit') hooks never fire, so a helper is the only reliable
 * way to make sure a server a suite forgets to stop does not outlive the run.
 */
export const JANITOR_SCRIPT = `
const fs = require('node:fs');
const pids = new Set();
const dirs = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => undefined);
let buffer = '';
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  for (let i = buffer.indexOf('\\n'); i >= 0; i = buffer.indexOf('\\n')) {
    const line = buffer.slice(0, i);
    buffer = buffer.slice(i + 1);
    const [kind, ...rest] = line.split(' ');
    const arg = rest.join(' ');
    if (kind === 'pid') pids.add(Number(arg));
    else if (kind === 'forget') pids.delete(Number(arg));
    else if (kind === 'rm') dirs.add(arg);
    else if (kind === 'keep') dirs.delete(arg);
  }
});
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const signal = (pid, name) => {
  try {
    process.kill(pid, name);
  } catch {}
};
let started = false;
const cleanup = async () => {
  if (started) return;
  started = true;
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 10000;
  while ([...pids].some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids) if (alive(pid)) signal(pid, 'SIGKILL');
  for (const dir of dirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {}
  }
  process.exit(0);
};
process.stdin.setEncoding('utf8');
process.stdin.on('end', cleanup);
process.stdin.on('error', cleanup);
`;

let janitor: ChildProcess | undefined;

function send(line: string): void {
  if (!janitor) {
    janitor = spawn(process.execPath, ['-e', JANITOR_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'] });
    janitor.on('error', () => undefined);
    janitor.stdin?.on('error', () => undefined);
    janitor.unref();
    (janitor.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null)?.unref?.();
  }
  janitor.stdin?.write(`${line}\n`);
}

/** Stops `child` when this process exits, unless it has exited by then; also lets this process exit while it runs. */
export function killOnExit(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  send(`pid ${pid}`);
  child.once('exit', () => send(`forget ${pid}`));
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as (NodeJS.EventEmitter & { unref?: () => void }) | null)?.unref?.();
  }
}

/** Removes `dir` (recursively) when this process exits; returns `dir`. */
export function removeOnExit(dir: string): string {
  send(`rm ${dir}`);
  return dir;
}

/** Removes `dir` now and forgets it. */
export function removeNow(dir: string): void {
  send(`keep ${dir}`);
  fs.rmSync(dir, { recursive: true, force: true });
}
