import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ConfigError, loadConfig } from '@vigil/platform';
import { tempDir } from '@vigil/testing';

import { reportingConfigSchema } from '../config/reporting-config';
import { loadReportDefinitions } from './report-definitions';

const dir = tempDir('vigil-report-defs-');
const config = (env: Record<string, string> = {}) =>
  loadConfig(
    reportingConfigSchema,
    {
      DATABASE_URL: 'postgres://vigil@127.0.0.1:5432/vigil',
      SMTP_URL: 'smtp://127.0.0.1:1025',
      REPORT_RECIPIENTS: 'ops@example.com',
      ...env,
    },
    3004,
  );
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('report definitions', () => {
  it('defaults to weekly ops on REPORT_CRON, a daily P3 digest and a monthly privacy audit', () => {
    const definitions = loadReportDefinitions(config({ REPORT_CRON: '30 7 * * 1' }));
    expect(definitions.map((d) => [d.id, d.cron, d.period, d.recipients])).toEqual([
      ['weekly', '30 7 * * 1', 'week', ['ops@example.com']],
      ['daily-p3-digest', '0 8 * * *', 'day', ['ops@example.com']],
      ['monthly-privacy-audit', '0 8 1 * *', 'month', ['ops@example.com']],
    ]);
    expect(definitions[2].sections).toEqual(['privacy', 'audit']);
    // The digest asks alerting for P3 (medium and low) only; the others count every severity.
    expect(definitions.map((d) => d.severities)).toEqual([undefined, ['medium', 'low'], undefined]);
    expect(definitions.every((d) => d.timeZone === 'UTC')).toBe(true);
    const berlin = loadReportDefinitions(config({ REPORT_TIME_ZONE: 'Europe/Berlin' }));
    expect(berlin.map((d) => d.timeZone)).toEqual(['Europe/Berlin', 'Europe/Berlin', 'Europe/Berlin']);
  });

  it('reads REPORTS_FILE, with its own recipients per report', () => {
    const path = file(
      'ok.yaml',
      [
        'reports:',
        '  - id: weekly',
        '    name: weekly ops',
        '    cron: "0 9 * * 1"',
        '    period: week',
        '    sections: [uptime, alerts]',
        '  - id: privacy',
        '    name: privacy',
        '    cron: "0 6 1 * *"',
        '    period: month',
        '    sections: [privacy]',
        '    recipients: [dpo@example.com]',
        '    time_zone: America/New_York',
        '    severities: [critical, high]',
      ].join('\n'),
    );
    const definitions = loadReportDefinitions(
      config({ REPORTS_FILE: path, REPORT_TIME_ZONE: 'Europe/Berlin' }),
    );
    expect(definitions.map((d) => [d.id, d.recipients, d.enabled, d.timeZone])).toEqual([
      ['weekly', ['ops@example.com'], true, 'Europe/Berlin'],
      ['privacy', ['dpo@example.com'], true, 'America/New_York'],
    ]);
    expect(definitions.map((d) => d.severities)).toEqual([undefined, ['critical', 'high']]);
  });

  it('stops boot on a bad file, naming REPORTS_FILE and the field', () => {
    const path = file(
      'bad.yaml',
      'reports:\n  - id: weekly\n    name: w\n    cron: "0 8 * *"\n    period: week\n    sections: [uptime]\n',
    );
    const load = () => loadReportDefinitions(config({ REPORTS_FILE: path }));
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      `invalid configuration: REPORTS_FILE: ${path}: reports.0.cron: must be a five-field cron`,
    );
    const zone = file(
      'zone.yaml',
      'reports:\n  - id: weekly\n    name: w\n    cron: "0 8 * * 1"\n    period: week\n    time_zone: Mars/Olympus\n    sections: [uptime]\n',
    );
    expect(() => loadReportDefinitions(config({ REPORTS_FILE: zone }))).toThrow(
      `invalid configuration: REPORTS_FILE: ${zone}: reports.0.time_zone: must be an IANA time zone`,
    );
    const severity = file(
      'severity.yaml',
      'reports:\n  - id: digest\n    name: d\n    cron: "0 8 * * *"\n    period: day\n    sections: [alerts]\n    severities: [P3]\n',
    );
    expect(() => loadReportDefinitions(config({ REPORTS_FILE: severity }))).toThrow(
      `invalid configuration: REPORTS_FILE: ${severity}: reports.0.severities.0:`,
    );
    const missing = join(dir, 'missing.yaml');
    expect(() => loadReportDefinitions(config({ REPORTS_FILE: missing }))).toThrow(
      `invalid configuration: REPORTS_FILE: ${missing}: ENOENT`,
    );
  });
});
