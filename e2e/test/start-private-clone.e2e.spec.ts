// `npm start`'s Postgres from a clone under a 0700 directory (root's home, where root users clone): as
// root, Postgres runs as the `postgres` user, which cannot reach the clone; its binaries and data must
// live elsewhere (tools/dev/postgres-home.mjs). The clone is made and installed as a user would, then
// tools/dev/postgres.mjs is run from it exactly as start.mjs runs it.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { Client } from 'pg';

import { freePort, repoRoot, tempDir } from '@vigil/testing';

jest.setTimeout(240_000);

interface PostgresHome {
  dataDir: string;
  runtimeDir: string | null;
}

describe('npm start from a clone under a 0700 directory', () => {
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('runs its Postgres from outside the clone (as root) and accepts connections', async () => {
    const privateDir = tempDir('vigil-private-home-');
    fs.chmodSync(privateDir, 0o700);
    const clone = path.join(privateDir, 'vigil');
    execFileSync('git', ['clone', '-q', repoRoot(), clone]);
    execFileSync('pnpm', ['install', '--frozen-lockfile', '--offline'], {
      cwd: clone,
      stdio: 'ignore',
    });
    const stateRoot = tempDir('vigil-state-');
    fs.chmodSync(stateRoot, 0o755);
    const homeModule = pathToFileURL(path.join(clone, 'tools/dev/postgres-home.mjs')).href;
    const script = `
      const { binariesPackageDir, postgresHome } = await import(${JSON.stringify(homeModule)});
      const home = postgresHome({ root: process.cwd(), runningAsRoot: process.getuid() === 0, packageDir: binariesPackageDir(), stateRoot: process.env.STATE_ROOT });
      process.stdout.write(JSON.stringify(home));`;
    const home = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: clone,
        env: { ...process.env, STATE_ROOT: stateRoot },
        encoding: 'utf8',
      }),
    ) as PostgresHome;
    const asRoot = process.getuid?.() === 0;
    // As root the clone is out of the postgres user's reach: data and binaries move out of it.
    expect(home.runtimeDir === null).toBe(!asRoot);
    expect(home.dataDir.startsWith(clone)).toBe(!asRoot);
    if (home.runtimeDir) fs.mkdirSync(path.dirname(home.dataDir), { recursive: true, mode: 0o755 });

    const port = await freePort();
    const password = 'private-clone-test';
    child = fork(path.join(clone, 'tools/dev/postgres.mjs'), [], {
      cwd: clone,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        ...(home.runtimeDir ? { VIGIL_PG_RUNTIME: home.runtimeDir } : {}),
        VIGIL_PG_DIR: home.dataDir,
        VIGIL_PG_PORT: String(port),
        VIGIL_PG_PASSWORD: password,
        VIGIL_PG_DATABASES: 'vigil_audit',
      },
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const answer = await new Promise<{ ready?: boolean; error?: string }>((resolve) => {
      child!.once('message', (message) => resolve(message as { ready?: boolean; error?: string }));
      child!.once('exit', (code) => resolve({ error: `exited with ${code}` }));
    });
    expect({ answer, output: answer.ready ? '' : output }).toEqual({ answer: { ready: true }, output: '' });

    const client = new Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'vigil_audit',
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
      expect(rows[0].data_directory).toBe(home.dataDir);
    } finally {
      await client.end();
    }
    if (home.runtimeDir)
      expect(fs.existsSync(path.join(home.runtimeDir, 'native', 'bin', 'postgres'))).toBe(true);
  });
});
