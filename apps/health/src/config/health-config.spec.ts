import { ConfigError, loadConfig } from '@vigil/platform';

import { healthConfigSchema, publicUrlOf } from './health-config';

const ENV = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/health', TARGETS_FILE: '/etc/vigil/targets.yaml' };

describe('HEALTH_PUBLIC_URL', () => {
  it('defaults the ping URLs to this replica, and drops a trailing slash of a configured one', () => {
    expect(publicUrlOf(loadConfig(healthConfigSchema, { ...ENV, PORT: '3101' }, 3001))).toBe(
      'http://127.0.0.1:3101',
    );
    const configured = loadConfig(
      healthConfigSchema,
      { ...ENV, HEALTH_PUBLIC_URL: 'https://health.example.com/' },
      3001,
    );
    expect(publicUrlOf(configured)).toBe('https://health.example.com');
  });

  it('stops boot naming the key when it is not an http(s) URL', () => {
    expect(() => loadConfig(healthConfigSchema, { ...ENV, HEALTH_PUBLIC_URL: 'ftp://health' }, 3001)).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(healthConfigSchema, { ...ENV, HEALTH_PUBLIC_URL: 'ftp://health' }, 3001)).toThrow(
      /HEALTH_PUBLIC_URL: must be an http\(s\) URL/,
    );
  });
});
