import { ConfigError, loadConfig } from '@vigil/platform';

import { reportingConfigSchema } from './reporting-config';

const base = {
  DATABASE_URL: 'postgres://vigil@127.0.0.1:5432/vigil',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  REPORT_RECIPIENTS: 'ops@example.com, cto@example.com ,',
};

const load = (env: Record<string, string | undefined>) => loadConfig(reportingConfigSchema, env, 3004);

function problem(env: Record<string, string | undefined>): ConfigError {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('config was accepted');
}

describe('reporting config', () => {
  it('applies defaults and splits the recipient list', () => {
    const config = load(base);
    expect(config).toMatchObject({
      PORT: 3004,
      REPORT_FROM: 'vigil@localhost',
      REPORT_RECIPIENTS: ['ops@example.com', 'cto@example.com'],
      SUMMARY_TIMEOUT_MS: 3000,
      REPORT_TIME_ZONE: 'UTC',
    });
  });

  it('names REPORT_RECIPIENTS and the bad entry', () => {
    const error = problem({ ...base, REPORT_RECIPIENTS: 'ops@example.com,not-an-address' });
    expect(error.variable).toBe('REPORT_RECIPIENTS');
    expect(error.message).toContain('"not-an-address" is not an e-mail address');
    expect(problem({ ...base, REPORT_RECIPIENTS: ' , ' }).message).toContain('at least one e-mail address');
    expect(problem({ ...base, REPORT_RECIPIENTS: undefined }).message).toBe(
      'invalid configuration: REPORT_RECIPIENTS: is required',
    );
  });

  it('requires an smtp:// or smtps:// SMTP_URL', () => {
    expect(problem({ ...base, SMTP_URL: undefined }).variable).toBe('SMTP_URL');
    expect(problem({ ...base, SMTP_URL: 'http://mail:25' }).message).toContain(
      'must be an smtp:// or smtps:// URL',
    );
    expect(load({ ...base, SMTP_URL: 'smtps://user:pw@mail.example.com:465' }).SMTP_URL).toMatch(/^smtps:/);
  });

  it('validates REPORT_FROM and REPORT_TIME_ZONE', () => {
    expect(problem({ ...base, REPORT_FROM: 'vigil' }).variable).toBe('REPORT_FROM');
    expect(problem({ ...base, REPORT_TIME_ZONE: 'Mars/Olympus' }).variable).toBe('REPORT_TIME_ZONE');
    expect(load({ ...base, REPORT_TIME_ZONE: 'Europe/Berlin' }).REPORT_TIME_ZONE).toBe('Europe/Berlin');
  });

  it('validates the schedule and the Prometheus source', () => {
    expect(load(base)).toMatchObject({ REPORT_CRON: '0 8 * * 1', REPORT_SCHEDULE_ENABLED: true });
    expect(problem({ ...base, REPORT_CRON: '0 8 * *' }).message).toContain(
      'REPORT_CRON: must be a five-field cron',
    );
    expect(problem({ ...base, REPORT_CRON: '61 8 * * 1' }).message).toContain('not a valid cron expression');
    expect(problem({ ...base, PROMETHEUS_URL: 'prometheus:9090' }).variable).toBe('PROMETHEUS_URL');
    expect(load({ ...base, PROMETHEUS_URL: 'http://127.0.0.1:9090' }).PROMETHEUS_URL).toBe(
      'http://127.0.0.1:9090',
    );
    expect(load(base).REPORT_UPTIME_SLO).toBe(99.9);
    expect(load({ ...base, REPORT_UPTIME_SLO: '99.95' }).REPORT_UPTIME_SLO).toBe(99.95);
    for (const bad of ['100', '0', 'high']) {
      expect(problem({ ...base, REPORT_UPTIME_SLO: bad }).variable).toBe('REPORT_UPTIME_SLO');
    }
  });
});
