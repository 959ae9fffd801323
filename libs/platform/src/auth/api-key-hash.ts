import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * API keys are stored as scrypt hashes, one string per key:
 *
 *     scrypt$<N>$<r>$<p>$<salt, base64url>$<hash, base64url>
 *
 * N (CPU/memory cost, a power of two), r (block size) and p (parallelism) are scrypt's parameters,
 * the salt is 16 random bytes per key and the hash is 32 bytes. `node tools/dev/hash-api-key.mjs`
 * (`pnpm vigil-keyhash`) prints one. The defaults (N=2^15, r=8, p=1: 32 MiB, ~100 ms) follow OWASP's
 * scrypt guidance; keys are random 32-byte tokens, so the cost only matters if a weak key is chosen.
 */
export interface ApiKeyHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

export const DEFAULT_SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const HASH_BYTES = 32;
const SALT_BYTES = 16;
const MIN_N = 2 ** 10;
const MAX_N = 2 ** 20;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** Parses `scrypt$N$r$p$salt$hash`; throws an Error saying what is wrong (never echoing the value). */
export function parseApiKeyHash(text: string): ApiKeyHash {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    throw new Error('must be scrypt$N$r$p$salt$hash (see SECURITY.md, "API keys")');
  }
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^[0-9]{1,8}$/.test(part) ? Number(part) : NaN));
  if (!Number.isInteger(N) || N < MIN_N || N > MAX_N || (N & (N - 1)) !== 0) {
    throw new Error(`scrypt N must be a power of two from ${MIN_N} to ${MAX_N}`);
  }
  if (!Number.isInteger(r) || r < 1 || r > 32) throw new Error('scrypt r must be from 1 to 32');
  if (!Number.isInteger(p) || p < 1 || p > 16) throw new Error('scrypt p must be from 1 to 16');
  const [saltText, hashText] = parts.slice(4);
  if (!B64URL.test(saltText) || !B64URL.test(hashText)) throw new Error('salt and hash must be base64url');
  const salt = Buffer.from(saltText, 'base64url');
  const hash = Buffer.from(hashText, 'base64url');
  if (salt.length < 8) throw new Error('salt must be at least 8 bytes');
  if (hash.length !== HASH_BYTES) throw new Error(`hash must be ${HASH_BYTES} bytes`);
  return { N, r, p, salt, hash };
}

/** The hash string of `key` with a fresh random salt. */
export function hashApiKey(key: string, params: { N?: number; r?: number; p?: number } = {}): string {
  const { N, r, p } = { ...DEFAULT_SCRYPT_PARAMS, ...params };
  const salt = randomBytes(SALT_BYTES);
  const hash = scryptSync(key, salt, HASH_BYTES, { N, r, p, maxmem: maxmem(N, r, p) });
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Whether `key` hashes to `stored` (scrypt on the thread pool; compared in constant time). */
export function apiKeyMatches(key: string, stored: ApiKeyHash): Promise<boolean> {
  const { N, r, p, salt, hash } = stored;
  return new Promise((resolve, reject) => {
    scrypt(key, salt, hash.length, { N, r, p, maxmem: maxmem(N, r, p) }, (error, derived) => {
      if (error) reject(error);
      else resolve(timingSafeEqual(derived, hash));
    });
  });
}

/** scrypt needs 128·N·r bytes (+ 128·r·p); Node's default cap (32 MiB) is exactly N=2^15, r=8. */
function maxmem(N: number, r: number, p: number): number {
  return 128 * N * r + 128 * r * p + 1024 * 1024;
}
