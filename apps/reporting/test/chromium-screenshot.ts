import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A PNG screenshot of `url` in a `width`-wide headless Chromium (Debian's `chromium`) window. */
export async function screenshot(url: string, file: string, width: number, height: number): Promise<Buffer> {
  const profile = mkdtempSync(join(tmpdir(), 'vigil-report-shot-'));
  try {
    await run(
      process.env.CHROMIUM_BIN ?? 'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        `--screenshot=${file}`,
        url,
      ],
      { timeout: 60_000 },
    );
    return readFileSync(file);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
