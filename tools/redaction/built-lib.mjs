// libs/redaction's compiled output for the tools in this folder: built first when it is missing or older
// than a source file, so the tools work from a fresh clone (after `pnpm install`) and never run stale code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const lib = path.join(root, 'libs/redaction');
const dist = path.join(lib, 'dist');
// Every build (tsc, or nx restoring its cache) writes every output file anew.
const stamp = path.join(dist, 'index.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

function isFresh() {
  if (!fs.existsSync(stamp)) return false;
  const built = fs.statSync(stamp).mtimeMs;
  return (
    newestSource(path.join(lib, 'src')) <= built &&
    fs.statSync(path.join(lib, 'tsconfig.build.json')).mtimeMs <= built
  );
}

/** `require` of a compiled module of libs/redaction (`'index'`, `'cli'`, `'entity-catalog'`). */
export function requireBuilt(name, tool) {
  if (!isFresh()) {
    const tsc = path.join(root, 'node_modules/.bin/tsc');
    // stdout is the tool's output: the compiler's goes to stderr.
    const built = spawnSync(tsc, ['-p', path.join(lib, 'tsconfig.build.json')], {
      cwd: root,
      stdio: ['ignore', 2, 2],
    });
    if (built.status !== 0) {
      process.stderr.write(`${tool}: building libs/redaction failed; run \`pnpm install\` first\n`);
      process.exit(2);
    }
  }
  return createRequire(import.meta.url)(path.join(dist, `${name}.js`));
}
