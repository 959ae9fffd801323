import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConfigError } from '@vigil/platform';

import { parseTargets } from './targets-file';

const FILE = '/etc/vigil/targets.yaml';
const URL = 'postgres://checker:s3cret-pw@db.internal:5432/profiles';
const ENV = { PROFILE_DB_URL: URL };

function sqlEntry(extra: string): string {
  return [
    'targets:',
    '  - type: sql',
    '    name: private-profiles-with-social-links',
    '    query: SELECT count(*) FROM profiles_privacysettings',
    '    condition: "== 0"',
    ...extra
      .split('\n')
      .filter(Boolean)
      .map((line) => `    ${line}`),
  ].join('\n');
}

function problem(text: string, environment: Record<string, string> = ENV): string {
  try {
    parseTargets(text, FILE, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('type: sql targets', () => {
  it('reads the connection string from the environment and keeps it out of url', () => {
    const [target] = parseTargets(sqlEntry('connection_env: PROFILE_DB_URL\ntimeout_ms: 3000'), FILE, ENV);
    expect(target).toEqual({
      kind: 'sql',
      name: 'private-profiles-with-social-links',
      url: 'sql:private-profiles-with-social-links',
      connectionString: URL,
      query: 'SELECT count(*) FROM profiles_privacysettings',
      condition: { op: '==', value: 0 },
      cron: null,
      intervalMs: 300_000,
      timeoutMs: 3000,
      failureThreshold: 2,
      failureWindow: 2,
      recoveryThreshold: 1,
      severity: 'high',
      labels: {},
      dependsOn: [],
      maintenance: [],
    });
  });

  it('reads it from a mounted file and runs on a cron in a time zone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-sql-'));
    const file = path.join(dir, 'profile-db-url');
    fs.writeFileSync(file, `${URL}\n`);
    const [target] = parseTargets(
      sqlEntry(`connection_file: ${file}\ncron: "0 3 * * *"\ntimezone: Europe/Berlin`),
      FILE,
      {},
    );
    expect(target).toMatchObject({
      connectionString: URL,
      cron: { expression: '0 3 * * *', timeZone: 'Europe/Berlin' },
    });
    expect([86_400_000, 82_800_000, 90_000_000]).toContain(target.intervalMs);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses a connection string written in the YAML, naming connection_env', () => {
    for (const key of ['url', 'connection']) {
      const message = problem(sqlEntry(`${key}: ${URL}`));
      expect(message).toContain(`${key}: must not be in the targets file`);
      expect(message).toContain('connection_env');
      expect(message).not.toContain('s3cret-pw');
    }
  });

  it('names the target and field of a missing secret, never its value', () => {
    expect(problem(sqlEntry('connection_env: PROFILE_DB_URL'), {})).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: targets[0] (name "private-profiles-with-social-links"): connection_env: environment variable PROFILE_DB_URL is not set`,
    );
    expect(problem(sqlEntry('connection_file: /nonexistent/url'))).toContain(
      'connection_file: file /nonexistent/url cannot be read (ENOENT)',
    );
  });

  it('wants exactly one connection source and one schedule, a valid cron and condition', () => {
    expect(problem(sqlEntry(''))).toContain(
      'connection_env: exactly one of connection_env or connection_file',
    );
    expect(problem(sqlEntry('connection_env: A\nconnection_file: /x'))).toContain('exactly one of');
    expect(problem(sqlEntry('connection_env: PROFILE_DB_URL\ninterval_s: 60\ncron: "* * * * *"'))).toContain(
      'cron: give either interval_s or cron, not both',
    );
    expect(problem(sqlEntry('connection_env: PROFILE_DB_URL\ntimezone: UTC'))).toContain(
      'timezone: is only used with cron',
    );
    expect(problem(sqlEntry('connection_env: PROFILE_DB_URL\ncron: "61 * * * *"'))).toContain(
      'cron: is not a cron expression',
    );
    expect(
      problem(sqlEntry('connection_env: PROFILE_DB_URL\ncron: "0 * * * *"\ntimezone: Mars/Olympus')),
    ).toContain('is not an IANA time zone');
    expect(problem(sqlEntry('connection_env: PROFILE_DB_URL').replace('"== 0"', '"about zero"'))).toContain(
      "condition: must be '== N'",
    );
  });
});
