import fs from 'node:fs';

const dirs = new Set<string>();
let hooked = false;

/** Removes `dir` (recursively) when this process exits; returns `dir`. */
export function removeOnExit(dir: string): string {
  dirs.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

/** Removes `dir` now and forgets it. */
export function removeNow(dir: string): void {
  dirs.delete(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}
