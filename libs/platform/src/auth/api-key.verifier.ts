import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';

import { apiKeyMatches, type ApiKeyHash } from './api-key-hash';
import type { ApiKeyEntry } from './api-keys.config';
import { TokenBuckets } from './token-bucket';

export interface ApiKeyVerifierOptions {
  /** Verified tokens remembered (LRU). */
  cacheSize?: number;
  /** Tokens known to be wrong remembered this long, so a client retrying a revoked key costs one scrypt. */
  negativeTtlMs?: number;
  negativeCacheSize?: number;
  /** Tokens hashed at once (the rest wait; past `maxWaiting`, or `maxWaitMs` of waiting, they are turned away). */
  concurrency?: number;
  maxWaiting?: number;
  maxWaitMs?: number;
  /** Failed verifications (each a scrypt) one client may cause: a burst, then this many per second. */
  clientFailureBurst?: number;
  clientFailuresPerS?: number;
  now?: () => number;
  /** The scrypt comparison (tests count its calls). */
  matches?: (token: string, hash: ApiKeyHash) => Promise<boolean>;
}

/**
 * Thrown when a token cannot be hashed soon enough, or its client has failed too often: the caller
 * answers 429 with Retry-After, nothing is verified.
 */
export class VerifierBusyError extends Error {
  constructor(
    message = 'too many API key verifications in progress',
    readonly retryAfterS = 1,
  ) {
    super(message);
    this.name = 'VerifierBusyError';
  }
}

/** Longer bearer tokens are not keys this service issued: refused without hashing. */
const MAX_TOKEN_LENGTH = 512;

/** A token waiting for a scrypt slot. */
interface Waiter {
  admit(): void;
}

/**
 * Finds the configured key a bearer token belongs to.
 *
 * Hot path: a token verified once is remembered under the SHA-256 of the token (an LRU of
 * `cacheSize`), so later requests cost one SHA-256 and a map lookup instead of scrypt. The map holds
 * digests, never tokens; the lookup is not constant-time, but its timing can only reveal digest
 * prefixes of tokens that were already proven, which does not help anyone find a token. Keys do not
 * change while the process runs (rotation is a config change and a restart), so nothing goes stale.
 *
 * Cold path: a token is hashed only against the keys it could be: those whose `prefix` (a public
 * identifier, the key's first characters) it starts with, and those configured without one. A token
 * that starts with no key's prefix, when every key has one, is refused at once without any scrypt:
 * that is what keeps a flood of made-up tokens from costing anything. Otherwise scrypt decides; the
 * stored hash is never weakened. Only the same wrong token seen again within `negativeTtlMs` is
 * answered from memory (a misconfigured client retrying a revoked key). scrypt runs on libuv's small
 * thread pool, so at most `concurrency` tokens (by default half the cores) are hashed at once and the others wait in a queue
 * bounded both in length (`maxWaiting`) and in time (`maxWaitMs`): a token that cannot start soon
 * is turned away (429) instead of hanging behind a flood. A client (address) whose tokens failed
 * `clientFailureBurst` times gets no more scrypt time than `clientFailuresPerS` (429 with the wait):
 * one client's guessing cannot keep a core busy.
 */
export class ApiKeyVerifier {
  private readonly verified = new Map<string, ApiKeyEntry>();
  private readonly rejected = new Map<string, number>();
  /** Tokens being hashed now, by digest: the same token arriving meanwhile waits for that answer. */
  private readonly hashing = new Map<string, Promise<ApiKeyEntry | null>>();
  /** First in, first admitted (a Set keeps insertion order and lets a timed-out waiter leave). */
  private readonly waiting = new Set<Waiter>();
  private running = 0;
  private readonly clientFailures: TokenBuckets;
  private readonly clientFailureBurst: number;
  private readonly clientFailuresPerS: number;
  private readonly cacheSize: number;
  private readonly negativeTtlMs: number;
  private readonly negativeCacheSize: number;
  private readonly concurrency: number;
  private readonly maxWaiting: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly matches: (token: string, hash: ApiKeyHash) => Promise<boolean>;

  constructor(
    private readonly keys: readonly ApiKeyEntry[],
    options: ApiKeyVerifierOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 1024;
    this.negativeTtlMs = options.negativeTtlMs ?? 60_000;
    this.negativeCacheSize = options.negativeCacheSize ?? 1024;
    // Half the cores at most: hashing made-up tokens must leave CPU to the event loop.
    this.concurrency = options.concurrency ?? Math.max(1, Math.floor(availableParallelism() / 2));
    this.maxWaiting = options.maxWaiting ?? 64;
    this.maxWaitMs = options.maxWaitMs ?? 100;
    this.clientFailureBurst = options.clientFailureBurst ?? 10;
    this.clientFailuresPerS = options.clientFailuresPerS ?? 1;
    this.now = options.now ?? Date.now;
    this.clientFailures = new TokenBuckets(this.now);
    this.matches = options.matches ?? apiKeyMatches;
  }

  get configured(): boolean {
    return this.keys.length > 0;
  }

  /**
   * The key `token` belongs to, or null. Throws VerifierBusyError when it cannot be hashed soon
   * enough, or when `client` (its address) has used up its failed verifications.
   */
  async verify(token: string, client?: string): Promise<ApiKeyEntry | null> {
    if (this.keys.length === 0 || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const digest = createHash('sha256').update(token, 'utf8').digest('base64');
    const known = this.verified.get(digest);
    if (known) {
      this.verified.delete(digest);
      this.verified.set(digest, known);
      return known;
    }
    const candidates = this.keys.filter((key) => key.prefix === undefined || token.startsWith(key.prefix));
    if (candidates.length === 0) return null;
    const rejectedUntil = this.rejected.get(digest);
    if (rejectedUntil !== undefined && rejectedUntil > this.now()) return null;
    // A burst of requests with one key not yet verified (a client's first seconds, after a restart)
    // hashes it once: the others neither queue for a slot nor spend their client's budget.
    const pending = this.hashing.get(digest);
    if (pending) return pending;
    const answer = this.hash(token, digest, candidates, client);
    this.hashing.set(digest, answer);
    try {
      return await answer;
    } finally {
      this.hashing.delete(digest);
    }
  }

  private async hash(
    token: string,
    digest: string,
    candidates: readonly ApiKeyEntry[],
    client: string | undefined,
  ): Promise<ApiKeyEntry | null> {
    this.chargeClient(client);
    let found: ApiKeyEntry | null;
    try {
      found = await this.slot(() => this.scryptAll(token, candidates));
    } catch (error) {
      this.refundClient(client);
      throw error;
    }
    if (found) {
      this.refundClient(client);
      this.remember(this.verified, digest, found, this.cacheSize);
    } else {
      this.remember(this.rejected, digest, this.now() + this.negativeTtlMs, this.negativeCacheSize);
    }
    return found;
  }

  /**
   * Takes one of `client`'s failures before hashing (given back when its token proves right, or is
   * not hashed after all), so that its guesses in flight at once cannot overdraw the budget. A
   * client whose guesses keep failing gets no more scrypt time until the budget refills.
   */
  private chargeClient(client: string | undefined): void {
    if (client === undefined) return;
    const retryAfterS = this.clientFailures.take(client, this.clientFailuresPerS, this.clientFailureBurst);
    if (retryAfterS > 0) {
      throw new VerifierBusyError('too many failed API key attempts from this client', retryAfterS);
    }
  }

  private refundClient(client: string | undefined): void {
    if (client !== undefined) this.clientFailures.refund(client, this.clientFailureBurst);
  }

  private async scryptAll(token: string, candidates: readonly ApiKeyEntry[]): Promise<ApiKeyEntry | null> {
    for (const key of candidates) if (await this.matches(token, key.hash)) return key;
    return null;
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) this.running += 1;
    else await this.turn();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Waits for a running token to hand over its slot; refuses when the queue is full or the wait too long. */
  private turn(): Promise<void> {
    if (this.waiting.size >= this.maxWaiting) return Promise.reject(new VerifierBusyError());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiting.delete(waiter);
        reject(new VerifierBusyError());
      }, this.maxWaitMs);
      this.waiting.add(waiter);
    });
  }

  /** Hands the slot to the longest waiter, or frees it. */
  private release(): void {
    const next = this.waiting.values().next();
    if (next.done) {
      this.running -= 1;
      return;
    }
    this.waiting.delete(next.value);
    next.value.admit();
  }

  private remember<V>(map: Map<string, V>, digest: string, value: V, size: number): void {
    map.delete(digest);
    map.set(digest, value);
    while (map.size > size) map.delete(map.keys().next().value as string);
  }
}
