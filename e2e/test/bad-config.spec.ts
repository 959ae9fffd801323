import { runService } from '@vigil/testing';

import { SERVICES } from './system';

describe('a service started with a bad environment', () => {
  it.each(SERVICES)('%s exits non-zero with one line naming the variable', async (name) => {
    const service = await runService({
      app: name,
      env: { PORT: 'eighty', DATABASE_URL: 'postgres://vigil@127.0.0.1:1/none' },
    });
    const exit = await service.waitForExit(30_000);
    expect(exit.code).not.toBe(0);
    const lines = service.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).toMatch(new RegExp(`^vigil-${name}: invalid configuration: PORT: `));
  });

  it('names a missing required variable', async () => {
    const service = await runService({ app: 'audit', env: {} });
    const exit = await service.waitForExit(30_000);
    expect(exit.code).toBe(1);
    expect(service.output().trim()).toBe('vigil-audit: invalid configuration: DATABASE_URL: is required');
  });

  it('refuses to run in production without API keys, naming API_KEYS', async () => {
    const service = await runService({
      app: 'alerting',
      env: {
        DATABASE_URL: 'postgres://vigil@127.0.0.1:1/none',
        ALERT_WEBHOOK_URL: 'http://127.0.0.1:1/hook',
        ENVIRONMENT: 'production',
      },
    });
    const exit = await service.waitForExit(30_000);
    expect(exit.code).toBe(1);
    expect(service.output().trim()).toBe(
      'vigil-alerting: invalid configuration: API_KEYS: is required when ENVIRONMENT is "production" (only development and test may run without API keys or OIDC_JWKS_URL)',
    );
  });

  it.each([
    [
      '{"strategies":{"email":"shred"}}',
      /^vigil-audit: invalid configuration: REDACTION_POLICY: .*strategies\.email/,
    ],
    [
      '{"strategies":{"email":"hash"}}',
      /^vigil-audit: invalid configuration: REDACTION_HASH_KEY: is required/,
    ],
  ])('refuses the redaction policy %s with one line naming the variable', async (policy, line) => {
    const service = await runService({
      app: 'audit',
      env: { DATABASE_URL: 'postgres://vigil@127.0.0.1:1/none', REDACTION_POLICY: policy },
    });
    const exit = await service.waitForExit(30_000);
    expect(exit.code).toBe(1);
    const lines = service.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });
});
