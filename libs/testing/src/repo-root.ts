import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

/** The monorepo root: the nearest directory above this file holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return (cached = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No pnpm-workspace.yaml found above ${__dirname}`);
    dir = parent;
  }
}
