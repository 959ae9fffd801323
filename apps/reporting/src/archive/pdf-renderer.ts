import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Inject, Injectable } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';

const RENDER_TIMEOUT_MS = 60_000;

/**
 * HTML → PDF with headless Chromium (CHROMIUM_PATH, Debian's `chromium` by default): the page is
 * written to a private temp dir and printed from there. I/O only.
 */
@Injectable()
export class PdfRenderer {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ReportingConfig) {}

  async render(html: string): Promise<Buffer> {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-report-pdf-'));
    try {
      const page = join(dir, 'report.html');
      const pdf = join(dir, 'report.pdf');
      await writeFile(page, html);
      await runChromium(this.config.CHROMIUM_PATH, [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--no-pdf-header-footer',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${pdf}`,
        `file://${page}`,
      ]);
      return await readFile(pdf);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function runChromium(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), RENDER_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${binary} could not run: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(`${binary} exited with ${code}: ${stderr.split('\n').filter(Boolean).at(-1) ?? ''}`),
        );
    });
  });
}
