import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConfigError } from '@vigil/platform';

import { parseDurationMs } from './heartbeat-definition';
import { parseTargets } from './targets-file';

const FILE = '/etc/vigil/targets.yaml';

function heartbeat(fields: string, environment: Record<string, string> = {}) {
  return parseTargets(`targets:\n  - type: heartbeat\n    name: backup\n${fields}`, FILE, environment)[0];
}

function problem(fields: string, environment: Record<string, string> = {}): string {
  try {
    heartbeat(fields, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message.replace(`invalid configuration: TARGETS_FILE: ${FILE}: targets[0] (name "backup"): `, '');
  }
  throw new Error('expected a ConfigError');
}

describe('heartbeat targets', () => {
  it('reads a period heartbeat with its defaults', () => {
    expect(heartbeat('    period: 1d\n')).toEqual({
      kind: 'heartbeat',
      name: 'backup',
      url: 'heartbeat:backup',
      intervalMs: 10_000,
      timeoutMs: 5000,
      failureThreshold: 1,
      failureWindow: 1,
      recoveryThreshold: 1,
      severity: 'high',
      labels: {},
      dependsOn: [],
      maintenance: [],
      schedule: { kind: 'period', periodMs: 86_400_000 },
      graceMs: 0,
      minDurationMs: null,
      maxDurationMs: null,
      value: null,
      tokenSource: null,
      token: null,
    });
  });

  it('reads a cron heartbeat in a time zone with every optional field', () => {
    const target = heartbeat(
      `    cron: "0 2 * * *"\n    timezone: Europe/Berlin\n    grace: 1h\n    min_duration: 5m\n    max_duration: 2h\n    value: "> 0"\n    token_env: BACKUP_PING_TOKEN\n    failure_threshold: 2\n`,
      { BACKUP_PING_TOKEN: 'tok-123' },
    );
    expect(target).toMatchObject({
      schedule: { kind: 'cron', expression: '0 2 * * *', timeZone: 'Europe/Berlin' },
      graceMs: 3_600_000,
      minDurationMs: 300_000,
      maxDurationMs: 7_200_000,
      value: { op: '>', value: 0 },
      tokenSource: { env: 'BACKUP_PING_TOKEN' },
      token: 'tok-123',
      failureThreshold: 2,
    });
    // The token is a secret: it is never part of the target's shown url.
    expect(target.url).toBe('heartbeat:backup');
  });

  it('defaults the time zone of a cron schedule to UTC', () => {
    expect(heartbeat('    cron: "*/5 * * * *"\n')).toMatchObject({
      schedule: { kind: 'cron', expression: '*/5 * * * *', timeZone: 'UTC' },
    });
  });

  it('reads a token from a mounted file, without its trailing newline', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-hb-'));
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, 'from-file\n');
    try {
      expect(heartbeat(`    period: 60\n    token_file: ${file}\n`)).toMatchObject({
        token: 'from-file',
        tokenSource: { file },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses both period and cron, and neither', () => {
    expect(problem('    period: 1h\n    cron: "0 * * * *"\n')).toBe(
      'cron: must not be given with period (a heartbeat has one schedule)',
    );
    expect(problem('    grace: 1h\n')).toBe('needs a schedule: period or cron');
  });

  it('refuses bad durations with the field name', () => {
    expect(problem('    period: 1w\n')).toBe(
      'period: must be a duration like "90s", "5m", "1h", "1d" or a number of seconds',
    );
    expect(problem('    period: 1h\n    grace: -5\n')).toBe(
      'grace: must be a duration like "90s", "5m", "1h", "1d" or a number of seconds',
    );
    expect(problem('    period: 0s\n')).toBe('period: must be longer than 0');
    expect(problem('    period: 367d\n')).toBe('period: must be at most 366d');
    expect(problem('    period: [1]\n')).toBe(
      'period: must be a duration like "90s", "5m", "1h", "1d" or a number of seconds',
    );
  });

  it('refuses a bad cron expression and a bad time zone', () => {
    expect(problem('    cron: "61 * * * *"\n')).toMatch(/^cron: is not a cron expression/);
    expect(problem('    cron: "0 2 * * *"\n    timezone: Mars/Olympus\n')).toBe(
      'timezone: time zone "Mars/Olympus" is not an IANA time zone',
    );
    expect(problem('    period: 1h\n    timezone: UTC\n')).toBe(
      'timezone: needs cron (a period has no time zone)',
    );
  });

  it('refuses min_duration longer than max_duration, and accepts them equal', () => {
    expect(problem('    period: 1h\n    min_duration: 10m\n    max_duration: 9m\n')).toBe(
      'min_duration: must not be longer than max_duration',
    );
    expect(heartbeat('    period: 1h\n    min_duration: 10m\n    max_duration: 600\n')).toMatchObject({
      minDurationMs: 600_000,
      maxDurationMs: 600_000,
    });
  });

  it('refuses a bad value condition', () => {
    expect(problem('    period: 1h\n    value: "more than 3"\n')).toMatch(/^value: must be '== N'/);
  });

  it('names the field of a missing token secret, never reading process.env', () => {
    process.env.VIGIL_TEST_ONLY_IN_PROCESS_ENV = 'x';
    try {
      expect(problem('    period: 1h\n    token_env: VIGIL_TEST_ONLY_IN_PROCESS_ENV\n')).toBe(
        'token_env: environment variable VIGIL_TEST_ONLY_IN_PROCESS_ENV is not set',
      );
    } finally {
      delete process.env.VIGIL_TEST_ONLY_IN_PROCESS_ENV;
    }
    expect(problem('    period: 1h\n    token_file: /nonexistent/token\n')).toBe(
      'token_file: file /nonexistent/token cannot be read (ENOENT)',
    );
    expect(problem('    period: 1h\n    token_env: A\n    token_file: /x\n', { A: 'a' })).toBe(
      'token_file: must not be given with token_env (a heartbeat has one token)',
    );
  });
});

describe('parseDurationMs', () => {
  it('reads units and plain seconds', () => {
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('5m')).toBe(300_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('1d')).toBe(86_400_000);
    expect(parseDurationMs(1.5)).toBe(1500);
    expect(parseDurationMs('1.5h')).toBeNull();
    expect(parseDurationMs('')).toBeNull();
  });
});
