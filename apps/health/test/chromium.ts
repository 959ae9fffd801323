// Headless Chromium (Debian `chromium`) for page tests: the rendered DOM and a PNG screenshot, and a
// minimal PNG decoder so a test can look at the pixels it took.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const CHROMIUM = process.env.CHROMIUM_BIN ?? 'chromium';

interface ChromiumRun {
  stdout: string;
  stderr: string;
}

function runChromium(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 60_000,
): Promise<ChromiumRun> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-chromium-'));
  return new Promise<ChromiumRun>((resolve, reject) => {
    const child = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) =>
      reject(new Error(`chromium could not run (apt-get install -y chromium): ${error.message}`)),
    );
    child.on('close', (code) => {
      clearTimeout(timer);
      fs.rmSync(profile, { recursive: true, force: true });
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`chromium exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/** The DOM after Chromium loaded and rendered `url`. */
export async function dumpDom(url: string): Promise<string> {
  return (await runChromium(['--dump-dom', url])).stdout;
}

/**
 * The DOM after Chromium loaded `url` in the time zone `timeZone` (TZ), and the page's console
 * messages (CSP violations among them), as Chromium logs them with --enable-logging=stderr.
 */
export async function loadPage(url: string, timeZone: string): Promise<{ dom: string; console: string[] }> {
  const run = await runChromium(['--enable-logging=stderr', '--v=0', '--lang=en-US', '--dump-dom', url], {
    ...process.env,
    TZ: timeZone,
  });
  return { dom: run.stdout, console: run.stderr.split('\n').filter((line) => line.includes(':CONSOLE')) };
}

/** Loads `url` in a `width`x`height` window and writes a PNG screenshot to `file`. */
export async function screenshot(url: string, file: string, width: number, height: number): Promise<Buffer> {
  await runChromium([`--window-size=${width},${height}`, `--screenshot=${file}`, url]);
  return fs.readFileSync(file);
}

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row by row. */
  pixels: Buffer;
}

/** Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes). */
export function decodePng(png: Buffer): DecodedPng {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('ascii');
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colorType, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6))
        throw new Error(`unsupported PNG (depth ${depth}, color type ${colorType}, interlace ${interlace})`);
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = Buffer.alloc(width * height * 4);
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i += 1) {
      const left = i >= channels ? line[i - channels] : 0;
      const up = previous[i];
      const upLeft = i >= channels ? previous[i - channels] : 0;
      let add = 0;
      if (filter === 1) add = left;
      else if (filter === 2) add = up;
      else if (filter === 3) add = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        add = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      line[i] = (line[i] + add) & 0xff;
    }
    for (let x = 0; x < width; x += 1) {
      out[(y * width + x) * 4] = line[x * channels];
      out[(y * width + x) * 4 + 1] = line[x * channels + 1];
      out[(y * width + x) * 4 + 2] = line[x * channels + 2];
      out[(y * width + x) * 4 + 3] = channels === 4 ? line[x * channels + 3] : 255;
    }
    previous = line;
  }
  return { width, height, pixels: out };
}

/** How many pixels are within `tolerance` of the colour `#rrggbb`. */
export function countColour(image: DecodedPng, hex: string, tolerance = 6): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  for (let i = 0; i < image.pixels.length; i += 4) {
    if (
      Math.abs(image.pixels[i] - r) <= tolerance &&
      Math.abs(image.pixels[i + 1] - g) <= tolerance &&
      Math.abs(image.pixels[i + 2] - b) <= tolerance
    )
      count += 1;
  }
  return count;
}
