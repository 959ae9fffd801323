import { ConfigError, startService } from '@vigil/platform';

import { alertingService } from '../src/service';

/** Config is validated before anything connects, so no NATS or Postgres is needed here. */
describe('alerting configuration', () => {
  const base = { DATABASE_URL: 'postgres://vigil@127.0.0.1:1/vigil', LOG_LEVEL: 'silent' };

  it.each([
    [{}, /ALERT_WEBHOOK_URL: is required/],
    [{ ALERT_WEBHOOK_URL: 'not a url' }, /ALERT_WEBHOOK_URL: must be an http\(s\) URL/],
    [{ ALERT_WEBHOOK_URL: 'ftp://hooks.example/alerts' }, /ALERT_WEBHOOK_URL: must be an http\(s\) URL/],
    [{ ALERT_WEBHOOK_URL: 'http://hooks.example/a', DELIVERY_MAX_ATTEMPTS: '0' }, /DELIVERY_MAX_ATTEMPTS/],
    [
      { ALERT_WEBHOOK_URL: 'http://hooks.example/a', ALERT_RESOLVE_TIMEOUT_S: 'soon' },
      /ALERT_RESOLVE_TIMEOUT_S/,
    ],
  ])('refuses to boot with %j, naming the variable', async (env, message) => {
    const boot = startService(alertingService, { ...base, ...env }, { logger: false });
    await expect(boot).rejects.toBeInstanceOf(ConfigError);
    await expect(boot).rejects.toThrow(message);
  });
});
