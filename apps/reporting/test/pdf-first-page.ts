import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The first page of `pdf` as `<prefix>.png` at `dpi`, rendered by poppler's `pdftoppm` (Debian `poppler-utils`). */
export async function pdfFirstPage(pdf: string, prefix: string, dpi = 80): Promise<Buffer> {
  await run('pdftoppm', ['-png', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', pdf, prefix], {
    timeout: 30_000,
  });
  return readFileSync(`${prefix}.png`);
}
