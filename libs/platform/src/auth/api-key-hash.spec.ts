import { apiKeyMatches, hashApiKey, parseApiKeyHash } from './api-key-hash';

const FAST = { N: 1024 };

describe('API key hashes (scrypt)', () => {
  it('formats scrypt$N$r$p$salt$hash with a fresh salt per hash', () => {
    const a = hashApiKey('key-one', FAST);
    const b = hashApiKey('key-one', FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashApiKey('k')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('matches the key it was made from and nothing else', async () => {
    const stored = parseApiKeyHash(hashApiKey('the-right-key', FAST));
    expect(await apiKeyMatches('the-right-key', stored)).toBe(true);
    expect(await apiKeyMatches('the-right-kez', stored)).toBe(false);
    expect(await apiKeyMatches('', stored)).toBe(false);
  });

  it.each([
    ['sha256 hex of old AUDIT_API_KEYS', 'a'.repeat(64), /scrypt\$N\$r\$p\$salt\$hash/],
    ['N not a power of two', 'scrypt$1000$8$1$c2FsdHNhbHQ$aGFzaA', /N must be a power of two/],
    ['N too small', 'scrypt$512$8$1$c2FsdHNhbHQ$aGFzaA', /N must be a power of two/],
    ['r out of range', 'scrypt$1024$0$1$c2FsdHNhbHQ$aGFzaA', /r must be/],
    ['a short hash', 'scrypt$1024$8$1$c2FsdHNhbHQ$aGFzaA', /hash must be 32 bytes/],
    ['not base64url', 'scrypt$1024$8$1$c2Fsd+Nh$aGFzaA', /base64url/],
  ])('rejects %s', (_what, text, problem) => {
    expect(() => parseApiKeyHash(text)).toThrow(problem);
  });
});
