import { createHash } from 'node:crypto';

import { apiKeyMatches, type ApiKeyHash } from './api-key-hash';
import type { ApiKeyEntry } from './api-keys.config';

export interface ApiKeyVerifierOptions {
  /** Verified tokens remembered (LRU). */
  cacheSize?: number;
  /** Tokens known to be wrong remembered this long, so a client retrying a revoked key costs one scrypt. */
  negativeTtlMs?: number;
  negativeCacheSize?: number;
  /** scrypt runs for unknown tokens at once (the rest wait; past `maxWaiting` they are turned away). */
  concurrency?: number;
  maxWaiting?: number;
  now?: () => number;
  /** The scrypt comparison (tests count its calls). */
  matches?: (token: string, hash: ApiKeyHash) => Promise<boolean>;
}

/** Thrown when too many unknown tokens wait for scrypt: the caller answers 429, nothing is verified. */
export class VerifierBusyError extends Error {
  constructor() {
    super('too many API key verifications in progress');
    this.name = 'VerifierBusyError';
  }
}

/** Longer bearer tokens are not keys this service issued: refused without hashing. */
const MAX_TOKEN_LENGTH = 512;

/**
 * Finds the configured key a bearer token belongs to.
 *
 * Hot path: a token verified once is remembered under the SHA-256 of the token (an LRU of
 * `cacheSize`), so later requests cost one SHA-256 and a map lookup instead of scrypt. The map holds
 * digests, never tokens; the lookup is not constant-time, but its timing can only reveal digest
 * prefixes of tokens that were already proven, which does not help anyone find a token. Keys do not
 * change while the process runs (rotation is a config change and a restart), so nothing goes stale.
 *
 * Cold path: an unknown token still pays scrypt against every configured key. That is deliberate: a
 * token can only be known wrong by hashing it with each key's salt, and skipping the work would make
 * guessing cheap again. Only the same wrong token seen again within `negativeTtlMs` is answered from
 * memory (a misconfigured client retrying a revoked key). scrypt runs on libuv's small thread pool,
 * so at most `concurrency` run at once and a flood of made-up tokens is turned away (429) instead of
 * queueing without bound.
 */
export class ApiKeyVerifier {
  private readonly verified = new Map<string, ApiKeyEntry>();
  private readonly rejected = new Map<string, number>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private readonly cacheSize: number;
  private readonly negativeTtlMs: number;
  private readonly negativeCacheSize: number;
  private readonly concurrency: number;
  private readonly maxWaiting: number;
  private readonly now: () => number;
  private readonly matches: (token: string, hash: ApiKeyHash) => Promise<boolean>;

  constructor(
    private readonly keys: readonly ApiKeyEntry[],
    options: ApiKeyVerifierOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 1024;
    this.negativeTtlMs = options.negativeTtlMs ?? 60_000;
    this.negativeCacheSize = options.negativeCacheSize ?? 1024;
    this.concurrency = options.concurrency ?? 2;
    this.maxWaiting = options.maxWaiting ?? 64;
    this.now = options.now ?? Date.now;
    this.matches = options.matches ?? apiKeyMatches;
  }

  get configured(): boolean {
    return this.keys.length > 0;
  }

  /** The key `token` belongs to, or null. Throws VerifierBusyError when too many are being verified. */
  async verify(token: string): Promise<ApiKeyEntry | null> {
    if (this.keys.length === 0 || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const digest = createHash('sha256').update(token, 'utf8').digest('base64');
    const known = this.verified.get(digest);
    if (known) {
      this.verified.delete(digest);
      this.verified.set(digest, known);
      return known;
    }
    const rejectedUntil = this.rejected.get(digest);
    if (rejectedUntil !== undefined && rejectedUntil > this.now()) return null;
    const found = await this.slot(() => this.scryptAll(token));
    if (found) this.remember(this.verified, digest, found, this.cacheSize);
    else this.remember(this.rejected, digest, this.now() + this.negativeTtlMs, this.negativeCacheSize);
    return found;
  }

  private async scryptAll(token: string): Promise<ApiKeyEntry | null> {
    for (const key of this.keys) if (await this.matches(token, key.hash)) return key;
    return null;
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new VerifierBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      // Hand the slot to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private remember<V>(map: Map<string, V>, digest: string, value: V, size: number): void {
    map.delete(digest);
    map.set(digest, value);
    while (map.size > size) map.delete(map.keys().next().value as string);
  }
}
