import { z } from 'zod';

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
});
