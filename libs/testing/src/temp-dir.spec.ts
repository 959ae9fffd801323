import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

import { repoRoot } from './repo-root';
import { waitFor } from './wait-for';

describe('tempDir', () => {
  it('makes fresh directories that are gone, files and all, once the process that made them exits', async () => {
    // A plain node process using the built library, as a jest worker does.
    const printed = execFileSync(
      process.execPath,
      [
        '-e',
        `const { writeFileSync } = require('node:fs');
         const { tempDir } = require('@vigil/testing');
         const dirs = [tempDir('vigil-temp-dir-'), tempDir('vigil-temp-dir-')];
         writeFileSync(dirs[0] + '/config.yaml', 'x: 1\\n');
         console.log(JSON.stringify(dirs));`,
      ],
      { cwd: repoRoot(), encoding: 'utf8' },
    );
    const dirs = JSON.parse(printed) as string[];
    expect(new Set(dirs).size).toBe(2);
    expect(dirs.every((dir) => /vigil-temp-dir-\w{6}$/.test(dir))).toBe(true);
    await waitFor(() => dirs.every((dir) => !existsSync(dir)), {
      timeoutMs: 10_000,
      description: 'the temp dirs removed after their process exited',
    });
  });
});
