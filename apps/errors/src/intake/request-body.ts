import type { IncomingHttpHeaders } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import {
  brotliDecompressSync,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  gunzipSync,
  inflateSync,
} from 'node:zlib';

export interface BodyLimits {
  /** Bytes as sent (before decompression). */
  compressed: number;
  /** Bytes once decompressed (equal to `compressed` for an uncompressed body). */
  decompressed: number;
}

export type BodyProblem = 'too_large' | 'unsupported_encoding' | 'corrupt' | 'aborted' | 'busy';

/**
 * Bytes that all bodies being read (and not yet handled) may hold together: each request is bounded by
 * its limits, this bounds their sum, so many concurrent large uploads cannot exhaust memory.
 */
export class BodyBudget {
  private held = 0;

  constructor(readonly limitBytes: number) {}

  /** Reserves `bytes`; false (and nothing reserved) when that would pass the limit. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.limitBytes) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }

  get heldBytes(): number {
    return this.held;
  }
}

/** Why a body was not read: the intake answers 413, 415, 400 or 503 (busy: the BodyBudget is spent). */
export class BodyError extends Error {
  constructor(
    readonly problem: BodyProblem,
    message: string,
    readonly limitBytes?: number,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

const DECODERS: Record<string, () => Transform> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  // RFC 9110 "deflate" is the zlib format; raw deflate streams are refused as corrupt.
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

/** The same decoders in one call, never producing more than `maxOutputLength` bytes (past it they throw). */
const WHOLE_DECODERS: Record<string, (body: Buffer, options: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/**
 * Compressed bodies up to this size (an SDK's event is a few KB gzipped) are inflated in one call once
 * read: a zlib stream costs a thread-pool round trip per 16 KB chunk, each waiting for a turn of the
 * event loop. The call stops at the decompressed limit, and what it can inflate to is bounded by it.
 */
const WHOLE_DECODE_MAX_BYTES = 64 * 1024;

/**
 * Reads a request body, decompressing gzip, deflate or br as it arrives. Both sizes are counted on the
 * fly: a declared Content-Length over the compressed limit is refused before reading; past either limit
 * the decompressor is dropped at once (a bomb is never inflated further), the rest of the upload is read
 * and discarded (so the client can read the answer) up to the compressed limit, and the promise
 * rejects with BodyError 'too_large'. Memory stays within the decompressed limit, and every byte held is
 * reserved in `budget` (the caller gives a resolved body's length back once it is done with it).
 */
export function readRequestBody(
  req: Readable,
  headers: IncomingHttpHeaders,
  limits: BodyLimits,
  budget: BodyBudget = new BodyBudget(limits.decompressed),
): Promise<Buffer> {
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = encoding === 'identity' || encoding === '' ? null : DECODERS[encoding];
  if (decoder === undefined) {
    return Promise.reject(
      new BodyError(
        'unsupported_encoding',
        `Content-Encoding "${encoding}" is not supported (gzip, deflate, br)`,
      ),
    );
  }
  const declared = Number(headers['content-length'] ?? NaN);
  if (declared > limits.compressed) {
    return Promise.reject(tooLarge('request body', limits.compressed));
  }
  return new BodyReader(req, decoder?.() ?? null, WHOLE_DECODERS[encoding] ?? null, limits, budget).read();
}

function tooLarge(what: string, limit: number): BodyError {
  return new BodyError('too_large', `${what} is larger than ${limit} bytes`, limit);
}

class BodyReader {
  private readonly chunks: Buffer[] = [];
  /** Compressed chunks held back while the body may still be small enough to inflate whole. */
  private held: Buffer[] | null;
  private compressed = 0;
  private decompressed = 0;
  private failure: BodyError | null = null;
  private settled = false;
  private resolve!: (body: Buffer) => void;
  private reject!: (error: BodyError) => void;

  constructor(
    private readonly req: Readable,
    private readonly decoder: Transform | null,
    private readonly wholeDecoder: ((body: Buffer, options: { maxOutputLength: number }) => Buffer) | null,
    private readonly limits: BodyLimits,
    private readonly budget: BodyBudget,
  ) {
    this.held = decoder && wholeDecoder ? [] : null;
  }

  read(): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      const { req, decoder } = this;
      req.on('data', (chunk: Buffer) => this.onCompressed(chunk));
      req.on('end', () => {
        if (this.held && !this.failure) this.decodeWhole(this.held);
        else if (decoder && !this.failure) decoder.end();
        else this.finish();
      });
      req.on('error', () => this.fail(new BodyError('aborted', 'the request was aborted')));
      req.on('aborted', () => this.fail(new BodyError('aborted', 'the request was aborted')));
      if (decoder) {
        decoder.on('data', (chunk: Buffer) => this.onDecompressed(chunk));
        decoder.on('end', () => this.finish());
        decoder.on('error', (error: Error) => {
          if (this.failure) return;
          this.drop(new BodyError('corrupt', `the body is not valid compressed data (${error.message})`));
          this.finishOnEnd();
        });
      }
    });
  }

  private onCompressed(chunk: Buffer): void {
    this.compressed += chunk.length;
    if (this.compressed > this.limits.compressed) {
      // Past the compressed limit nothing more is read: answer now, the connection closes after.
      this.drop(tooLarge('request body', this.limits.compressed));
      this.stopDecoding();
      this.req.pause();
      this.finish();
      return;
    }
    if (this.failure) return; // reading off the rest of a refused upload
    if (!this.decoder) {
      this.onDecompressed(chunk);
      return;
    }
    if (this.held) {
      this.held.push(chunk);
      if (this.compressed <= WHOLE_DECODE_MAX_BYTES) return;
      // Too large to inflate in one call: stream it, starting with what was held back.
      const start = Buffer.concat(this.held);
      this.held = null;
      this.write(start);
      return;
    }
    this.write(chunk);
  }

  private write(chunk: Buffer): void {
    const decoder = this.decoder;
    if (decoder && !decoder.write(chunk)) {
      this.req.pause();
      decoder.once('drain', () => this.req.resume());
    }
  }

  /** Inflates a small body in one call; the decompressed limit and the budget apply as when streaming. */
  private decodeWhole(held: readonly Buffer[]): void {
    this.held = null;
    this.stopDecoding();
    try {
      const body = this.wholeDecoder?.(Buffer.concat(held), { maxOutputLength: this.limits.decompressed });
      if (body) this.onDecompressed(body);
    } catch (error) {
      this.drop(
        (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE'
          ? tooLarge('decompressed body', this.limits.decompressed)
          : new BodyError('corrupt', `the body is not valid compressed data (${errorText(error)})`),
      );
    }
    this.finish();
  }

  private onDecompressed(chunk: Buffer): void {
    if (this.failure) return;
    let refusal: BodyError | null = null;
    if (this.decompressed + chunk.length > this.limits.decompressed) {
      refusal = tooLarge(this.decoder ? 'decompressed body' : 'request body', this.limits.decompressed);
    } else if (!this.budget.take(chunk.length)) {
      refusal = new BodyError('busy', 'too many request bodies are being read at once; retry shortly');
    }
    if (refusal) {
      this.drop(refusal);
      this.stopDecoding();
      this.finishOnEnd();
      return;
    }
    this.decompressed += chunk.length;
    this.chunks.push(chunk);
  }

  /** Records the first failure and lets go of what was read (and its reservation in the budget). */
  private drop(failure: BodyError): void {
    if (this.failure) return;
    this.failure = failure;
    this.chunks.length = 0;
    this.budget.give(this.decompressed);
    this.decompressed = 0;
  }

  /** Drops the decompressor: a bomb stops inflating at the chunk that crossed the limit. */
  private stopDecoding(): void {
    if (!this.decoder) return;
    this.decoder.removeAllListeners('data');
    this.decoder.on('error', () => undefined);
    this.decoder.destroy();
    this.req.resume();
  }

  /** Settles once the upload has been read to its end (or the compressed limit stops it first). */
  private finishOnEnd(): void {
    if (this.req.readableEnded) this.finish();
  }

  private fail(error: BodyError): void {
    this.drop(error);
    this.finish();
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.failure) this.reject(this.failure);
    else this.resolve(Buffer.concat(this.chunks, this.decompressed));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
