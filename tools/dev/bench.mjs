// `npm run bench <name>`: installs what is missing, then runs bench/<name>/run.mjs (extra arguments are passed on).
// BENCH_SMOKE=1 (tiny counts, the check of the result only) installs no baseline: only what the services need.
import fs from 'node:fs';
import path from 'node:path';

import { bootstrap, fail, root, run } from './bootstrap.mjs';

const [name, ...args] = process.argv.slice(2);
const benchDir = path.join(root, 'bench');
const available = fs.existsSync(benchDir)
  ? fs
      .readdirSync(benchDir)
      .filter((entry) => fs.existsSync(path.join(benchDir, entry, 'run.mjs')))
      .sort()
  : [];
if (!name || !available.includes(name)) {
  const list = available.length > 0 ? available.join(', ') : 'none yet';
  fail(
    `${name ? `no bench named "${name}"` : 'name a bench'}: npm run bench <name>, where <name> is one of: ${list}`,
  );
}

await bootstrap(process.env.BENCH_SMOKE === '1' ? 'bench-smoke' : 'bench');
process.on('SIGINT', () => undefined);
process.exit(await run(process.execPath, [path.join(benchDir, name, 'run.mjs'), ...args]));
