import { ConfigError } from '@vigil/platform';

import { parseTargets, parseTargetsConfig } from './targets-file';

const FILE = '/etc/vigil/targets.yaml';

const http = (name: string, extra = '') =>
  `  - name: ${name}\n    url: https://${name}.example.test/healthz\n${extra}`;

function problem(text: string): string {
  try {
    parseTargets(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('rule fields of every target', () => {
  it('reads severity, labels, depends_on, failures_to_alert and failure_window', () => {
    const [db, api] = parseTargets(
      `targets:
${http('db')}${http(
        'api',
        `    severity: low
    labels: {team: payments, tier: "3"}
    depends_on: [db]
    failures_to_alert: 3
    failure_window: 5
`,
      )}`,
      FILE,
    );
    expect(db).toMatchObject({
      severity: 'critical',
      labels: {},
      dependsOn: [],
      failureThreshold: 2,
      failureWindow: 2,
    });
    expect(api).toMatchObject({
      severity: 'low',
      labels: { team: 'payments', tier: '3' },
      dependsOn: ['db'],
      failureThreshold: 3,
      failureWindow: 5,
    });
  });

  it('applies the same rule fields to every kind', () => {
    const [tcp] = parseTargets(
      `targets:\n  - type: tcp\n    name: cache\n    host: cache\n    port: 6379\n    severity: medium\n    failure_threshold: 4\n`,
      FILE,
    );
    expect(tcp).toMatchObject({ kind: 'tcp', severity: 'medium', failureThreshold: 4, failureWindow: 4 });
  });

  it('refuses a bad severity and reserved or malformed label names, naming the field', () => {
    expect(problem(`targets:\n${http('web', '    severity: urgent\n')}`)).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: targets[0] (name "web"): severity: must be one of critical, high, medium, low`,
    );
    expect(problem(`targets:\n${http('web', '    labels: {severity: low}\n')}`)).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: targets[0] (name "web"): labels.severity: is set by the alert itself; choose another name`,
    );
    for (const reserved of ['alertname', 'service', 'target', 'kind'])
      expect(problem(`targets:\n${http('web', `    labels: {${reserved}: x}\n`)}`)).toContain(
        `labels.${reserved}: is set by the alert itself`,
      );
    expect(problem(`targets:\n${http('web', '    labels: {"team-name": x}\n')}`)).toContain(
      'labels.team-name: label names are letters, digits and _',
    );
    expect(problem(`targets:\n${http('web', '    labels: {team: 3}\n')}`)).toContain(
      'labels.team: must be a string',
    );
  });

  it('refuses failure_threshold and failures_to_alert together, and a window smaller than N', () => {
    expect(problem(`targets:\n${http('web', '    failure_threshold: 2\n    failures_to_alert: 3\n')}`)).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: targets[0] (name "web"): failures_to_alert: is another name of failure_threshold; give only one`,
    );
    expect(
      problem(`targets:\n${http('web', '    failures_to_alert: 3\n    failure_window: 2\n')}`),
    ).toContain('targets[0] (name "web"): failure_window: must be at least failure_threshold (3)');
    // The window may equal N (N consecutive failures).
    expect(
      parseTargets(`targets:\n${http('web', '    failures_to_alert: 3\n    failure_window: 3\n')}`, FILE)[0],
    ).toMatchObject({
      failureThreshold: 3,
      failureWindow: 3,
    });
  });

  it('refuses a dependency on an unknown target, on itself, and cycles, in one line naming the target', () => {
    expect(problem(`targets:\n${http('db')}${http('api', '    depends_on: [dbb]\n')}`)).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: targets[1] (name "api"): depends_on: no target is named "dbb"`,
    );
    expect(problem(`targets:\n${http('api', '    depends_on: [api]\n')}`)).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: targets[0] (name "api"): depends_on: a target cannot depend on itself`,
    );
    expect(
      problem(
        `targets:\n${http('a', '    depends_on: [b]\n')}${http('b', '    depends_on: [c]\n')}${http('c', '    depends_on: [a]\n')}`,
      ),
    ).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: targets[0] (name "a"): depends_on: forms a cycle (a -> b -> c -> a)`,
    );
    // A dependency may be declared after the target that names it; a diamond is no cycle.
    const targets = parseTargets(
      `targets:\n${http('app', '    depends_on: [api, web]\n')}${http('api', '    depends_on: [db]\n')}${http('web', '    depends_on: [db]\n')}${http('db')}`,
      FILE,
    );
    expect(targets.map((t) => t.dependsOn)).toEqual([['api', 'web'], ['db'], ['db'], []]);
  });

  it('reads per-target and global maintenance windows', () => {
    const { targets, maintenance } = parseTargetsConfig(
      `maintenance:
  - cron: "0 2 * * 0"
    duration: 2h
    timezone: Europe/Berlin
targets:
${http(
  'web',
  `    maintenance:
      - start: 2026-12-24T22:00:00+01:00
        end: 2026-12-25T02:00:00+01:00
      - cron: "*/15 * * * *"
        duration: 90s
`,
)}`,
      FILE,
    );
    expect(maintenance).toEqual([
      {
        kind: 'recurring',
        schedule: { expression: '0 2 * * 0', timeZone: 'Europe/Berlin' },
        durationMs: 7_200_000,
      },
    ]);
    expect(targets[0].maintenance).toEqual([
      { kind: 'once', start: '2026-12-24T21:00:00.000Z', end: '2026-12-25T01:00:00.000Z' },
      { kind: 'recurring', schedule: { expression: '*/15 * * * *', timeZone: 'UTC' }, durationMs: 90_000 },
    ]);
  });

  it('refuses bad maintenance windows, naming the window and field', () => {
    const window = (yaml: string) =>
      problem(`targets:\n${http('web', `    maintenance:\n      - ${yaml}\n`)}`);
    const cases: [string, string][] = [
      ['{cron: "61 * * * *", duration: 1h}', 'maintenance[0].cron: is not a cron expression'],
      ['{cron: "0 2 * * *", duration: soon}', 'maintenance[0].duration: must be a duration such as "90s"'],
      [
        '{cron: "0 2 * * *", duration: 1h, timezone: Mars/Olympus}',
        'maintenance[0].cron: time zone "Mars/Olympus" is not an IANA time zone',
      ],
      [
        '{start: "2026-12-25T02:00:00Z", end: "2026-12-25T02:00:00Z"}',
        'maintenance[0].end: must be after start',
      ],
      ['{start: "tomorrow", end: "2026-12-25T02:00:00Z"}', 'maintenance[0].start: must be an ISO-8601 time'],
      ['{cron: "0 2 * * *", duration: 1h, every: day}', 'maintenance[0].every: unknown field'],
    ];
    for (const [yaml, message] of cases)
      expect(window(yaml)).toContain(`targets[0] (name "web"): ${message}`);
    expect(problem(`maintenance:\n  - {cron: "0 2 * * *"}\ntargets: []\n`)).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: maintenance[0].duration: is required`,
    );
    expect(problem(`maintenance: nightly\ntargets: []\n`)).toContain(
      `${FILE}: maintenance: must be a list of windows`,
    );
  });
});
