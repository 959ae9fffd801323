import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { GiveUp, repoRoot, waitFor } from '@vigil/testing';

import { PYTHON, type AppProcess } from './fleet-apps';

/**
 * Real Sentry clients of the errors service, as the fleet runs them: Debian's python3-sentry-sdk 1.9 (a plain
 * program, and a Django site under gunicorn with DjangoIntegration) and @sentry/node, all unmodified. Their code
 * is in e2e/fixtures/errors-clients/; each reports what its SDK said about its own deliveries.
 */

export const CLIENTS_DIR = path.join(repoRoot(), 'e2e', 'fixtures', 'errors-clients');

/** Personal values the clients plant in messages, locals, breadcrumbs, bodies, cookies, extra and user. */
export const PLANTED = JSON.parse(fs.readFileSync(path.join(CLIENTS_DIR, 'planted.json'), 'utf8')) as Record<
  'email' | 'phone' | 'card' | 'password' | 'token' | 'ip',
  string
>;

/** What sentry-python reported: events it dropped (record_lost_event) and its transport's warnings and errors. */
export interface PythonDelivery {
  event_ids: string[];
  lost: { reason: string; category: string }[];
  sdk_errors: string[];
}

/** What @sentry/node reported: each send's HTTP status, events it dropped, and flush()'s result. */
export interface NodeDelivery {
  event_ids: string[];
  statuses: (number | null)[];
  dropped: { reason: string; category: string; count: number }[];
  flushed: boolean;
}

const execFileAsync = promisify(execFile);

function lastJsonLine<T>(stdout: string, stderr: string): T {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`the client printed no report:\n${stdout}\n${stderr}`);
  }
}

/** A DSN as SDKs take it: http://<key>@127.0.0.1:<port>/<project id>. */
export const dsnOf = (errorsUrl: string, key: string, projectId: string) =>
  errorsUrl.replace('http://', `http://${key}@`) + `/${projectId}`;

/** Runs python_plain.py: `bugs` are [bug, id] pairs (user-not-found, ratio, message). */
export async function runPythonPlain(dsn: string, bugs: [string, number][]): Promise<PythonDelivery> {
  const args = ['python_plain.py', dsn, ...bugs.flatMap(([bug, id]) => [bug, String(id)])];
  const { stdout, stderr } = await execFileAsync(PYTHON, args, { cwd: CLIENTS_DIR, timeout: 60_000 });
  return lastJsonLine<PythonDelivery>(stdout, stderr);
}

/** Runs node_client.cjs (@sentry/node): `bugs` are [bug, id] pairs (order-missing, parse). */
export async function runNodeClient(dsn: string, bugs: [string, number][]): Promise<NodeDelivery> {
  const args = ['node_client.cjs', dsn, ...bugs.flatMap(([bug, id]) => [bug, String(id)])];
  const { stdout, stderr } = await execFileAsync(process.execPath, args, {
    cwd: CLIENTS_DIR,
    timeout: 60_000,
  });
  return lastJsonLine<NodeDelivery>(stdout, stderr);
}

/** The Django site (errors_django) under gunicorn, reporting to `dsn`. */
export async function startErrorsDjango(port: number, dsn: string): Promise<AppProcess> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    PYTHONDONTWRITEBYTECODE: '1',
    SENTRY_DSN: dsn,
  };
  const args = ['-m', 'gunicorn', '-b', `127.0.0.1:${port}`, '-w', '1', 'errors_django.wsgi'];
  const child = spawn(PYTHON, args, { cwd: CLIENTS_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-100_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new GiveUp(`gunicorn exited (${child.exitCode}):\n${output}`);
      return (await fetch(`${url}/sdk-delivery`).catch(() => undefined))?.status === 200;
    },
    { timeoutMs: 30_000, intervalMs: 200, description: 'gunicorn (errors_django) answering' },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, port, output: () => output, stop };
}

/** The planted values found in `text` (an API answer or a row as text). */
export const plantedIn = (text: string): string[] =>
  Object.values(PLANTED).filter((value) => text.includes(value));
