import { z } from 'zod';

import { hashApiKey } from '../auth/api-key-hash';
import { ConfigError, loadConfig, platformConfigSchema } from './platform-config';

const valid = { DATABASE_URL: 'postgres://vigil:pw@127.0.0.1:5432/vigil_audit' };

describe('loadConfig', () => {
  it('applies defaults and the default port', () => {
    const config = loadConfig(platformConfigSchema, valid, 3002);
    expect(config).toMatchObject({
      PORT: 3002,
      NATS_URL: 'nats://127.0.0.1:4222',
      LOG_LEVEL: 'info',
      ENVIRONMENT: 'development',
    });
  });

  it('coerces numbers from strings', () => {
    expect(
      loadConfig(platformConfigSchema, { ...valid, PORT: '8080', HEALTH_CHECK_INTERVAL_MS: '250' }, 1),
    ).toMatchObject({
      PORT: 8080,
      HEALTH_CHECK_INTERVAL_MS: 250,
    });
  });

  it('budgets DATABASE_POOL_MAX connections per replica: 10 unless set, 2 at least', () => {
    expect(loadConfig(platformConfigSchema, valid, 1).DATABASE_POOL_MAX).toBe(10);
    expect(loadConfig(platformConfigSchema, { ...valid, DATABASE_POOL_MAX: '4' }, 1).DATABASE_POOL_MAX).toBe(
      4,
    );
    expect(() => loadConfig(platformConfigSchema, { ...valid, DATABASE_POOL_MAX: '1' }, 1)).toThrow(
      'DATABASE_POOL_MAX: must be a whole number from 2 to 200 (got "1")',
    );
  });

  it('takes SENTRY_DSN as a Sentry DSN, treats unset or empty as off, and names a bad one', () => {
    const dsn = 'http://0123456789abcdef0123456789abcdef@127.0.0.1:3005/1';
    expect(loadConfig(platformConfigSchema, { ...valid, SENTRY_DSN: dsn }, 1).SENTRY_DSN).toBe(dsn);
    expect(
      loadConfig(platformConfigSchema, { ...valid, SENTRY_DSN: 'https://k1@o1.ingest.example.io/sub/42' }, 1)
        .SENTRY_DSN,
    ).toBe('https://k1@o1.ingest.example.io/sub/42');
    expect(loadConfig(platformConfigSchema, valid, 1).SENTRY_DSN).toBeUndefined();
    expect(loadConfig(platformConfigSchema, { ...valid, SENTRY_DSN: '' }, 1).SENTRY_DSN).toBeUndefined();
    for (const bad of ['http://127.0.0.1:3005/1', 'http://key@127.0.0.1:3005/', 'nats://key@host/1']) {
      expect(() => loadConfig(platformConfigSchema, { ...valid, SENTRY_DSN: bad }, 1)).toThrow(
        'SENTRY_DSN: must be a Sentry DSN: http(s)://<public key>@<host>/<project id>',
      );
    }
  });

  it('names a missing variable', () => {
    expect(() => loadConfig(platformConfigSchema, {}, 1)).toThrow(
      'invalid configuration: DATABASE_URL: is required',
    );
  });

  it('names a bad variable and shows the value it got', () => {
    const attempt = () => loadConfig(platformConfigSchema, { ...valid, PORT: '70000' }, 1);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow('PORT: must be a port number from 1 to 65535 (got "70000")');
  });

  it('does not echo long values, which may be secrets', () => {
    const secret = 'postgres-password-that-is-very-long-and-secret';
    expect(() => loadConfig(platformConfigSchema, { DATABASE_URL: secret }, 1)).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ URL \(got "postgres…"\)/,
    );
  });

  it('validates service-specific keys of an extended schema', () => {
    const schema = platformConfigSchema.extend({ SMTP_URL: z.string().url() });
    expect(() => loadConfig(schema, valid, 1)).toThrow('SMTP_URL: is required');
  });

  it('parses API_KEYS into names, scrypt parameters and scopes', () => {
    const hash = hashApiKey('k', { N: 1024 });
    const config = loadConfig(
      platformConfigSchema,
      { ...valid, API_KEYS: JSON.stringify([{ name: 'prom', hash, scopes: ['alerts:write'] }]) },
      1,
    );
    expect(config.API_KEYS).toEqual([
      { name: 'prom', scopes: ['alerts:write'], hash: expect.objectContaining({ N: 1024, r: 8, p: 1 }) },
    ]);
  });

  it('binds a key of scope audit:publish to its sources', () => {
    const hash = hashApiKey('k', { N: 1024 });
    const entry = { name: 'shop', hash, scopes: ['audit:publish'], sources: ['shop', 'profile'] };
    const config = loadConfig(platformConfigSchema, { ...valid, API_KEYS: JSON.stringify([entry]) }, 1);
    expect(config.API_KEYS[0]).toMatchObject({ scopes: ['audit:publish'], sources: ['shop', 'profile'] });
  });

  it.each([
    ['not JSON', 'nope', /API_KEYS: must be a JSON array/],
    [
      'a SHA-256 hash',
      JSON.stringify([{ name: 'a', hash: 'f'.repeat(64), scopes: [] }]),
      /API_KEYS\.0\.hash: hash must be scrypt/,
    ],
    [
      'an unknown scope',
      JSON.stringify([{ name: 'a', hash: hashApiKey('k', { N: 1024 }), scopes: ['root'] }]),
      /API_KEYS\.0\.scopes\.0: scopes must be among/,
    ],
    [
      'a duplicate name',
      JSON.stringify([
        { name: 'a', hash: hashApiKey('k', { N: 1024 }), scopes: [] },
        { name: 'a', hash: hashApiKey('j', { N: 1024 }), scopes: [] },
      ]),
      /duplicate key name "a"/,
    ],
    [
      'scope audit:publish without sources',
      JSON.stringify([{ name: 'shop', hash: hashApiKey('k', { N: 1024 }), scopes: ['audit:publish'] }]),
      /API_KEYS\.0\.sources: key "shop" has scope audit:publish but no "sources"/,
    ],
    [
      'sources without scope audit:publish',
      JSON.stringify([{ name: 'a', hash: hashApiKey('k', { N: 1024 }), scopes: [], sources: ['shop'] }]),
      /API_KEYS\.0\.sources: key "a" has "sources" but not scope audit:publish/,
    ],
    [
      'a source that is not a subject token',
      JSON.stringify([
        { name: 'a', hash: hashApiKey('k', { N: 1024 }), scopes: ['audit:publish'], sources: ['Shop.eu'] },
      ]),
      /API_KEYS\.0\.sources\.0: .*source must be 1-64 characters/,
    ],
    [
      '"*" beside other sources',
      JSON.stringify([
        { name: 'a', hash: hashApiKey('k', { N: 1024 }), scopes: ['audit:publish'], sources: ['*', 'shop'] },
      ]),
      /"\*" in sources stands alone/,
    ],
  ])('refuses API_KEYS with %s, naming the variable', (_what, value, problem) => {
    expect(() => loadConfig(platformConfigSchema, { ...valid, API_KEYS: value }, 1)).toThrow(problem);
  });

  it('refuses to boot outside development and test without API_KEYS', () => {
    expect(() => loadConfig(platformConfigSchema, { ...valid, ENVIRONMENT: 'production' }, 1)).toThrow(
      'invalid configuration: API_KEYS: is required when ENVIRONMENT is "production" (only development and test may run without API keys or OIDC_JWKS_URL)',
    );
    expect(loadConfig(platformConfigSchema, { ...valid, ENVIRONMENT: 'test' }, 1).API_KEYS).toEqual([]);
  });

  it('refuses the retired HEALTH_API_KEY and AUDIT_API_KEYS rather than ignore them', () => {
    expect(() => loadConfig(platformConfigSchema, { ...valid, HEALTH_API_KEY: 'x'.repeat(20) }, 1)).toThrow(
      /HEALTH_API_KEY: is no longer read/,
    );
    expect(() => loadConfig(platformConfigSchema, { ...valid, AUDIT_API_KEYS: '[]' }, 1)).toThrow(
      /AUDIT_API_KEYS: is no longer read/,
    );
  });

  it('needs OIDC_ISSUER and OIDC_AUDIENCE with OIDC_JWKS_URL, which also satisfies production', () => {
    const oidc = { ...valid, OIDC_JWKS_URL: 'https://id.example.com/jwks' };
    expect(() => loadConfig(platformConfigSchema, oidc, 1)).toThrow(
      'OIDC_ISSUER: is required with OIDC_JWKS_URL',
    );
    expect(() =>
      loadConfig(platformConfigSchema, { ...oidc, OIDC_ISSUER: 'https://id.example.com' }, 1),
    ).toThrow('OIDC_AUDIENCE: is required with OIDC_JWKS_URL');
    const config = loadConfig(
      platformConfigSchema,
      { ...oidc, OIDC_ISSUER: 'https://id.example.com', OIDC_AUDIENCE: 'vigil', ENVIRONMENT: 'production' },
      1,
    );
    expect(config).toMatchObject({
      OIDC_SCOPES_CLAIM: 'scope',
      OIDC_ALGORITHMS: ['RS256', 'ES256', 'PS256', 'EdDSA'],
    });
    expect(() => loadConfig(platformConfigSchema, { ...valid, OIDC_ALGORITHMS: 'HS256' }, 1)).toThrow(
      /OIDC_ALGORITHMS\.0: must be a comma-separated list of asymmetric/,
    );
  });
});
