import { isDsnKey, keyFromDsn, keyFromRequest, parseSentryAuthHeader } from './sentry-auth';

const KEY = '0123456789abcdef0123456789abcdef';

describe('Sentry authentication', () => {
  it('parses the X-Sentry-Auth header the Python SDK sends', () => {
    const header = `Sentry sentry_key=${KEY}, sentry_version=7, sentry_client=sentry.python/1.9.10, sentry_timestamp=1700000000`;
    const pairs = parseSentryAuthHeader(header);
    expect(pairs.get('sentry_key')).toBe(KEY);
    expect(pairs.get('sentry_version')).toBe('7');
    expect(pairs.get('sentry_client')).toBe('sentry.python/1.9.10');
    expect(keyFromRequest(header, new URLSearchParams())).toBe(KEY);
  });

  it('accepts the header without its prefix, in any case, and ignores junk parts', () => {
    expect(
      keyFromRequest(`sentry_version=7,SENTRY_KEY=${KEY.toUpperCase()}, junk`, new URLSearchParams()),
    ).toBe(KEY);
  });

  it('reads the key from the query string when there is no header (JavaScript SDKs)', () => {
    expect(keyFromRequest(undefined, new URLSearchParams(`sentry_key=${KEY}&sentry_version=7`))).toBe(KEY);
    expect(keyFromRequest('Sentry sentry_version=7', new URLSearchParams(`sentry_key=${KEY}`))).toBe(KEY);
    expect(keyFromRequest(undefined, new URLSearchParams('sentry_version=7'))).toBeNull();
  });

  it('reads the key from an envelope dsn, ignoring an old secret', () => {
    expect(keyFromDsn(`https://${KEY}@o1.ingest.example/42`)).toBe(KEY);
    expect(keyFromDsn(`http://${KEY}:secret@127.0.0.1:3005/1`)).toBe(KEY);
    expect(keyFromDsn('http://127.0.0.1:3005/1')).toBeNull();
    expect(keyFromDsn('not a url')).toBeNull();
    expect(keyFromDsn(42)).toBeNull();
  });

  it('knows the shape of a DSN key', () => {
    expect(isDsnKey(KEY)).toBe(true);
    expect(isDsnKey('abc')).toBe(false);
    expect(isDsnKey(`${KEY}0`)).toBe(false);
  });
});
