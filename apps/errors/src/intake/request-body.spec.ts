import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

import { BodyBudget, BodyError, readRequestBody } from './request-body';

const limits = { compressed: 64 * 1024, decompressed: 256 * 1024 };

/** A request stream sending `data` in chunks of 16 KiB. */
function upload(data: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 16 * 1024) chunks.push(data.subarray(i, i + 16 * 1024));
  return Readable.from(chunks);
}

async function problemOf(promise: Promise<Buffer>): Promise<BodyError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BodyError);
    return error as BodyError;
  }
  throw new Error('expected a BodyError');
}

describe('readRequestBody', () => {
  const text = Buffer.from('{"message":"hello"}'.repeat(100));

  it.each([
    ['identity', (b: Buffer) => b],
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('reads a %s body', async (encoding, compress) => {
    const body = await readRequestBody(upload(compress(text)), { 'content-encoding': encoding }, limits);
    expect(body.equals(text)).toBe(true);
  });

  it('refuses a declared Content-Length over the compressed limit before reading', async () => {
    const stream = upload(Buffer.alloc(10));
    const error = await problemOf(
      readRequestBody(stream, { 'content-length': String(limits.compressed + 1) }, limits),
    );
    expect(error).toMatchObject({ problem: 'too_large', limitBytes: limits.compressed });
    expect(stream.readableEnded).toBe(false);
  });

  it('refuses an undeclared body over the compressed limit', async () => {
    const error = await problemOf(
      readRequestBody(upload(Buffer.alloc(limits.compressed + 1)), {}, { ...limits, decompressed: 1e6 }),
    );
    expect(error).toMatchObject({ problem: 'too_large', limitBytes: limits.compressed });
  });

  it('stops inflating a gzip bomb at the decompressed limit', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(limits.compressed);
    const error = await problemOf(readRequestBody(upload(bomb), { 'content-encoding': 'gzip' }, limits));
    expect(error).toMatchObject({ problem: 'too_large', limitBytes: limits.decompressed });
    expect(error.message).toMatch(/decompressed body is larger than 262144 bytes/);
  });

  it('streams compressed bodies over 64 KiB, with the same limits as small ones', async () => {
    const large = { compressed: 1024 * 1024, decompressed: 256 * 1024 };
    const noise = randomBytes(200 * 1024);
    const gz = gzipSync(noise);
    expect(gz.length).toBeGreaterThan(64 * 1024);
    await expect(readRequestBody(upload(gz), { 'content-encoding': 'gzip' }, large)).resolves.toEqual(noise);
    const bomb = gzipSync(Buffer.concat([randomBytes(80 * 1024), Buffer.alloc(10 * 1024 * 1024)]));
    expect(bomb.length).toBeGreaterThan(64 * 1024);
    const error = await problemOf(readRequestBody(upload(bomb), { 'content-encoding': 'gzip' }, large));
    expect(error).toMatchObject({ problem: 'too_large', limitBytes: large.decompressed });
  });

  it('refuses corrupt and truncated compressed data, and unknown encodings', async () => {
    const gz = gzipSync(text);
    expect(
      (
        await problemOf(
          readRequestBody(upload(Buffer.from('not gzip')), { 'content-encoding': 'gzip' }, limits),
        )
      ).problem,
    ).toBe('corrupt');
    expect(
      (
        await problemOf(
          readRequestBody(upload(gz.subarray(0, gz.length - 10)), { 'content-encoding': 'gzip' }, limits),
        )
      ).problem,
    ).toBe('corrupt');
    expect(
      (await problemOf(readRequestBody(upload(text), { 'content-encoding': 'zstd' }, limits))).problem,
    ).toBe('unsupported_encoding');
  });

  it('holds a read body in the shared budget until it is given back', async () => {
    const budget = new BodyBudget(1024 * 1024);
    const body = await readRequestBody(
      upload(gzipSync(text)),
      { 'content-encoding': 'gzip' },
      limits,
      budget,
    );
    expect(budget.heldBytes).toBe(text.length);
    budget.give(body.length);
    expect(budget.heldBytes).toBe(0);
  });

  it('refuses a body the shared budget cannot hold (busy), and lets go of what it had taken', async () => {
    const budget = new BodyBudget(40 * 1024);
    expect(budget.take(10 * 1024)).toBe(true); // another request's body
    const big = Buffer.alloc(100 * 1024, 0x61);
    const error = await problemOf(
      readRequestBody(upload(gzipSync(big)), { 'content-encoding': 'gzip' }, limits, budget),
    );
    expect(error.problem).toBe('busy');
    expect(budget.heldBytes).toBe(10 * 1024);
    // A body that fits what is left is read.
    await expect(readRequestBody(upload(text), {}, limits, budget)).resolves.toHaveLength(text.length);
  });

  it('gives back what a refused body had taken (over the decompressed limit)', async () => {
    const budget = new BodyBudget(10 * 1024 * 1024);
    await problemOf(
      readRequestBody(
        upload(gzipSync(Buffer.alloc(1024 * 1024))),
        { 'content-encoding': 'gzip' },
        limits,
        budget,
      ),
    );
    expect(budget.heldBytes).toBe(0);
  });
});
