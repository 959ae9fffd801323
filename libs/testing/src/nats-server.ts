import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort } from './free-port';
import { killOnExit, removeOnExit } from './janitor';
import { findExecutable, LineBuffer, terminate } from './process-utils';
import { errorMessage, GiveUp, waitFor } from './wait-for';

export interface NatsServerOptions {
  /** Client port; a free one by default. */
  port?: number;
  /** JetStream store directory; by default a fresh temp dir, kept across stop()/restart(), removed at process exit. */
  storeDir?: string;
  /**
   * A nats-server config file (`-c`), e.g. one with users and permissions. The address, ports, JetStream
   * and store dir flags still apply and win over the file.
   */
  configFile?: string;
  /** Environment of the server process (a config file may read `$VARIABLES` from it); default: inherited. */
  env?: Record<string, string>;
}

export interface NatsServerHandle {
  /** nats://127.0.0.1:<port> */
  url: string;
  port: number;
  /** http://127.0.0.1:<monitorPort> (serves /healthz, /varz, /jsz) */
  monitorUrl: string;
  storeDir: string;
  /** pid of the running server; undefined while stopped. */
  readonly pid: number | undefined;
  /** SIGTERM, then wait for the process to exit (the store dir is kept, so restart() finds its streams). */
  stop(): Promise<void>;
  /** Starts the server again on the same port and store dir (stops it first when running). */
  restart(): Promise<void>;
}

const NOT_FOUND = 'nats-server not found on PATH: run npm test / npm start, which install it through apt';
const READY_TIMEOUT_MS = 15_000;

/** Starts `nats-server -js` on 127.0.0.1 and resolves once /healthz answers 200. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = process.env.NATS_SERVER_BIN ?? findExecutable('nats-server');
  if (!binary) throw new Error(NOT_FOUND);

  const storeDir = options.storeDir ?? removeOnExit(fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-nats-')));
  fs.mkdirSync(storeDir, { recursive: true });

  let port = options.port ?? (await freePort());
  let monitorPort = await freePort();
  let server: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const output = new LineBuffer(200);
    const proc = spawn(
      binary,
      [
        ...(options.configFile ? ['-c', options.configFile] : []),
        ...['-js', '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-sd', storeDir],
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: options.env ? { ...process.env, ...options.env } : process.env,
      },
    );
    let spawnError: NodeJS.ErrnoException | undefined;
    proc.once('error', (err) => (spawnError = err));
    proc.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    proc.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    killOnExit(proc);
    server = proc;
    try {
      await waitFor(
        async () => {
          if (spawnError) throw new GiveUp(spawnError.code === 'ENOENT' ? NOT_FOUND : spawnError.message);
          if (proc.exitCode !== null || proc.signalCode !== null) {
            throw new GiveUp(`nats-server exited (${proc.exitCode ?? proc.signalCode})`);
          }
          const response = await fetch(`http://127.0.0.1:${monitorPort}/healthz`);
          return response.status === 200;
        },
        { timeoutMs: READY_TIMEOUT_MS, intervalMs: 50, description: `nats-server on 127.0.0.1:${port}` },
      );
    } catch (err) {
      await terminate(proc, 5_000);
      server = undefined;
      output.flush();
      const reason = spawnError?.code === 'ENOENT' ? NOT_FOUND : errorMessage(err);
      throw new Error(`${reason}\n--- nats-server output ---\n${output.tail(20)}`, { cause: err });
    }
  };

  // A port picked by freePort() can be taken before nats-server binds it: retry with fresh ports then.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      if (attempt >= 3 || options.port !== undefined || !/address already in use/i.test(errorMessage(err)))
        throw err;
      port = await freePort();
      monitorPort = await freePort();
    }
  }

  const stop = async (): Promise<void> => {
    if (!server) return;
    const proc = server;
    server = undefined;
    await terminate(proc, 10_000);
  };

  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    get monitorUrl() {
      return `http://127.0.0.1:${monitorPort}`;
    },
    storeDir,
    get pid() {
      return server?.pid;
    },
    stop,
    async restart() {
      await stop();
      // The monitoring port is ours to pick again; the client port must stay the same.
      monitorPort = await freePort();
      await launch();
    },
  };
}
