import { apiKeyMatches, hashApiKey, parseApiKeyHash, type ApiKeyHash } from './api-key-hash';
import { ApiKeyVerifier, VerifierBusyError } from './api-key.verifier';
import type { ApiKeyEntry } from './api-keys.config';

const entry = (name: string, key: string, prefix?: string): ApiKeyEntry => ({
  name,
  hash: parseApiKeyHash(hashApiKey(key, { N: 1024 })),
  scopes: ['alerts:write'],
  ...(prefix === undefined ? {} : { prefix }),
});

describe('ApiKeyVerifier', () => {
  const old = entry('prometheus-2025', 'old-key-0123456789');
  const current = entry('prometheus-2026', 'new-key-0123456789');
  let scrypts: jest.Mock<Promise<boolean>, [string, ApiKeyHash]>;
  let options: { matches: typeof apiKeyMatches };

  beforeEach(() => {
    scrypts = jest.fn(apiKeyMatches);
    options = { matches: scrypts };
  });

  it('accepts every configured key (rotation: old and new at once) and nothing else', async () => {
    const verifier = new ApiKeyVerifier([old, current], options);
    expect((await verifier.verify('old-key-0123456789'))?.name).toBe('prometheus-2025');
    expect((await verifier.verify('new-key-0123456789'))?.name).toBe('prometheus-2026');
    expect(await verifier.verify('made-up-key')).toBeNull();
    expect(await verifier.verify('')).toBeNull();
    expect(await verifier.verify('x'.repeat(513))).toBeNull();
    expect(await new ApiKeyVerifier([]).verify('old-key-0123456789')).toBeNull();
  });

  it('pays scrypt once per verified token, then answers from the cache', async () => {
    const verifier = new ApiKeyVerifier([old, current], options);
    await verifier.verify('new-key-0123456789');
    const first = scrypts.mock.calls.length;
    expect(first).toBe(2);
    for (let i = 0; i < 5; i++)
      expect((await verifier.verify('new-key-0123456789'))?.name).toBe('prometheus-2026');
    expect(scrypts.mock.calls.length).toBe(first);
  });

  it('pays scrypt for every unknown token, and remembers a wrong one only for the negative TTL', async () => {
    let now = 1_000_000;
    const verifier = new ApiKeyVerifier([old, current], {
      ...options,
      negativeTtlMs: 60_000,
      now: () => now,
    });
    await verifier.verify('wrong-1');
    await verifier.verify('wrong-2');
    expect(scrypts.mock.calls.length).toBe(4);
    await verifier.verify('wrong-1');
    expect(scrypts.mock.calls.length).toBe(4);
    now += 60_001;
    await verifier.verify('wrong-1');
    expect(scrypts.mock.calls.length).toBe(6);
  });

  it('evicts the least recently used token past the cache size', async () => {
    const verifier = new ApiKeyVerifier([old, current], { ...options, cacheSize: 1 });
    await verifier.verify('old-key-0123456789');
    await verifier.verify('new-key-0123456789');
    const before = scrypts.mock.calls.length;
    await verifier.verify('new-key-0123456789');
    expect(scrypts.mock.calls.length).toBe(before);
    await verifier.verify('old-key-0123456789');
    expect(scrypts.mock.calls.length).toBe(before + 1);
  });

  it('runs a bounded number of scrypts at once and turns away the overflow', async () => {
    const verifier = new ApiKeyVerifier([old], { ...options, concurrency: 1, maxWaiting: 2 });
    const attempts = Array.from({ length: 5 }, (_, i) => verifier.verify(`guess-${i}`));
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === null)).toHaveLength(3);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(2);
    expect(refused[0].reason).toBeInstanceOf(VerifierBusyError);
    // The slots were all handed back.
    expect(await verifier.verify('old-key-0123456789')).toMatchObject({ name: 'prometheus-2025' });
  });

  it("refuses a token that starts with no key's prefix without hashing it, and hashes a prefixed key only against its own entry", async () => {
    const writer = entry('writer', 'vgl_AAAAAAAAwriter-secret', 'vgl_AAAAAAAA');
    const reader = entry('reader', 'vgl_BBBBBBBBreader-secret', 'vgl_BBBBBBBB');
    const verifier = new ApiKeyVerifier([writer, reader], options);
    for (let i = 0; i < 100; i++) expect(await verifier.verify(`vgl_made-up-${i}`)).toBeNull();
    expect(scrypts).not.toHaveBeenCalled();
    expect((await verifier.verify('vgl_BBBBBBBBreader-secret'))?.name).toBe('reader');
    expect(scrypts.mock.calls.map(([, hash]) => hash)).toEqual([reader.hash]);
    // A token claiming a prefix still has to match that key's hash.
    expect(await verifier.verify('vgl_AAAAAAAAguess')).toBeNull();
    expect(scrypts.mock.calls.map(([, hash]) => hash)).toEqual([reader.hash, writer.hash]);
  });

  it('still hashes every token against keys configured without a prefix (older API_KEYS entries)', async () => {
    const prefixed = entry('writer', 'vgl_AAAAAAAAwriter-secret', 'vgl_AAAAAAAA');
    const verifier = new ApiKeyVerifier([prefixed, old], options);
    expect((await verifier.verify('old-key-0123456789'))?.name).toBe('prometheus-2025');
    expect(await verifier.verify('made-up-key')).toBeNull();
    expect(scrypts.mock.calls.map(([, hash]) => hash)).toEqual([old.hash, old.hash]);
  });

  it('hashes a key once for a burst of requests carrying it, however long the hash takes', async () => {
    let release = () => undefined as void;
    const slow = jest.fn(
      (token: string, hash: ApiKeyHash) =>
        new Promise<boolean>((resolve) => (release = () => resolve(apiKeyMatches(token, hash)))),
    );
    const verifier = new ApiKeyVerifier([old], {
      matches: slow,
      concurrency: 1,
      maxWaitMs: 20,
      clientFailureBurst: 1,
    });
    const burst = Array.from({ length: 8 }, () => verifier.verify('old-key-0123456789', '10.0.0.1'));
    // Well past maxWaitMs: before, the seven others waited for a slot and were turned away (429).
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    expect((await Promise.all(burst)).map((key) => key?.name)).toEqual(Array(8).fill('prometheus-2025'));
    expect(slow).toHaveBeenCalledTimes(1);
  });

  it('turns away a token that cannot start hashing within maxWaitMs instead of letting it wait', async () => {
    let release = () => undefined as void;
    const held = new Promise<boolean>((resolve) => (release = () => resolve(false)));
    const verifier = new ApiKeyVerifier([old], { matches: () => held, concurrency: 1, maxWaitMs: 20 });
    const first = verifier.verify('guess-1');
    const second = verifier.verify('guess-2').then(
      () => 'verified',
      (error: unknown) => error,
    );
    // The first keeps its slot well past the second's wait.
    const releasing = new Promise<void>((resolve) =>
      setTimeout(() => {
        release();
        resolve();
      }, 500),
    );
    expect(await second).toBeInstanceOf(VerifierBusyError);
    await releasing;
    expect(await first).toBeNull();
  });

  it('stops hashing for a client whose tokens keep failing, until its budget refills', async () => {
    let now = 1_000_000;
    const verifier = new ApiKeyVerifier([old], {
      ...options,
      clientFailureBurst: 3,
      clientFailuresPerS: 0.5,
      now: () => now,
    });
    for (let i = 0; i < 3; i++) expect(await verifier.verify(`guess-${i}`, '192.0.2.1')).toBeNull();
    expect(scrypts).toHaveBeenCalledTimes(3);
    await expect(verifier.verify('guess-3', '192.0.2.1')).rejects.toMatchObject({
      name: 'VerifierBusyError',
      retryAfterS: 2,
    });
    // Even its right key waits: which of its tokens is right is exactly what scrypt would tell.
    await expect(verifier.verify('old-key-0123456789', '192.0.2.1')).rejects.toBeInstanceOf(
      VerifierBusyError,
    );
    expect(scrypts).toHaveBeenCalledTimes(3);
    // Other clients are hashed as before.
    expect((await verifier.verify('old-key-0123456789', '192.0.2.2'))?.name).toBe('prometheus-2025');
    now += 2000;
    expect(await verifier.verify('guess-4', '192.0.2.1')).toBeNull();
    expect(scrypts).toHaveBeenCalledTimes(5);
  });
});
