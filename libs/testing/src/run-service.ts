import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { killOnExit } from './janitor';
import { type ExitResult, LineBuffer, terminate, waitForExit } from './process-utils';
import { repoRoot } from './repo-root';
import { GiveUp, waitFor } from './wait-for';

export type ServiceName = 'health' | 'audit' | 'alerting' | 'reporting' | 'errors' | 'console';

export interface RunServiceOptions {
  app: ServiceName;
  /** Merged over a minimal environment (PATH, HOME). */
  env: Record<string, string>;
  /** Script to run instead of apps/<app>/dist/main.js (absolute, or relative to the repo root). */
  entry?: string;
  /** Also copy the service's output to this process's stdout/stderr (default: env VIGIL_TEST_SERVICE_OUTPUT=1). */
  echo?: boolean;
}

export interface ServiceProcess {
  pid: number;
  /** Everything written to stdout and stderr so far, line by line. */
  output(): string;
  /** Resolves when the process exits (rejects after `timeoutMs`, default 30 000). */
  waitForExit(timeoutMs?: number): Promise<ExitResult>;
  /** Polls GET http://127.0.0.1:<port>/health/readiness until 200 (default 30 000 ms); fails early if the process exits. */
  waitForReady(port: number, timeoutMs?: number): Promise<void>;
  /** Sends a signal (default SIGTERM) without waiting. */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM, wait (SIGKILL after `timeoutMs`, default 15 000); resolves with how it ended. */
  stop(timeoutMs?: number): Promise<ExitResult>;
}

export type { ExitResult } from './process-utils';

/** Absolute path of a service's built entry point: <repo>/apps/<app>/dist/main.js */
export function serviceEntry(app: ServiceName): string {
  return path.join(repoRoot(), 'apps', app, 'dist', 'main.js');
}

/** Runs `node apps/<app>/dist/main.js` from the repo root with the given environment, collecting its output. */
export async function runService(options: RunServiceOptions): Promise<ServiceProcess> {
  const root = repoRoot();
  const entry = options.entry ? path.resolve(root, options.entry) : serviceEntry(options.app);
  if (!fs.existsSync(entry)) {
    throw new Error(
      `runService(${options.app}): ${entry} does not exist; build it first (pnpm exec nx run-many -t build)`,
    );
  }
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env };
  if (process.env.HOME && env.HOME === undefined) env.HOME = process.env.HOME;
  const echo = options.echo ?? process.env.VIGIL_TEST_SERVICE_OUTPUT === '1';

  const child = spawn(process.execPath, [entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  // A service a suite forgets to stop is stopped when the test process exits.
  killOnExit(child);
  const output = new LineBuffer(20_000);
  const collect = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
    output.push(chunk);
    if (echo) stream.write(chunk);
  };
  child.stdout?.on('data', collect(process.stdout));
  child.stderr?.on('data', collect(process.stderr));
  // 'close' fires after the pipes drained, so output() is complete once the process has gone.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  return {
    pid: child.pid ?? -1,
    output: () => output.text(),
    async waitForExit(timeoutMs = 30_000) {
      const result = await waitForExit(child, timeoutMs);
      await closed;
      output.flush();
      return result;
    },
    async waitForReady(port, timeoutMs = 30_000) {
      await waitFor(
        async () => {
          if (exited()) {
            await closed;
            output.flush();
            throw new GiveUp(
              `${options.app} exited (code ${child.exitCode}, signal ${child.signalCode})\n--- output ---\n${output.tail(40)}`,
            );
          }
          const response = await fetch(`http://127.0.0.1:${port}/health/readiness`);
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`readiness answered ${response.status}`);
          return true;
        },
        { timeoutMs, intervalMs: 200, description: `${options.app} readiness on 127.0.0.1:${port}` },
      );
    },
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (!exited()) child.kill(signal);
    },
    async stop(timeoutMs = 15_000) {
      const result = await terminate(child, timeoutMs);
      await closed;
      output.flush();
      return result;
    },
  };
}
