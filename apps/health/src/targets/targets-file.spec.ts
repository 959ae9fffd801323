import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConfigError } from '@vigil/platform';

import { loadTargetsFile, parseTargets } from './targets-file';

const FILE = '/etc/vigil/targets.yaml';

function problem(text: string): string {
  try {
    parseTargets(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('TARGETS_FILE');
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseTargets', () => {
  it('applies the defaults', () => {
    const [target] = parseTargets('targets:\n  - name: web\n    url: https://example.test/healthz\n', FILE);
    expect(target).toEqual({
      kind: 'http',
      name: 'web',
      url: 'https://example.test/healthz',
      method: 'GET',
      headers: {},
      body: null,
      intervalMs: 30_000,
      timeoutMs: 5000,
      expectStatus: 200,
      keyword: null,
      jsonPath: null,
      maxResponseTimeMs: null,
      expectHtml: false,
      failureThreshold: 2,
      failureWindow: 2,
      recoveryThreshold: 1,
      severity: 'critical',
      labels: {},
      dependsOn: [],
      maintenance: [],
      certExpiry: { warnDays: 21, criticalDays: 7 },
    });
  });

  it('reads every field', () => {
    const [target] = parseTargets(
      `targets:
  - name: api
    url: http://api.internal:8080/ready
    method: HEAD
    interval_s: 5
    timeout_ms: 750
    expect_status: 204
    keyword: ready
    failure_threshold: 3
    recovery_threshold: 2
`,
      FILE,
    );
    expect(target).toMatchObject({
      method: 'HEAD',
      intervalMs: 5000,
      timeoutMs: 750,
      expectStatus: 204,
      keyword: 'ready',
      failureThreshold: 3,
      recoveryThreshold: 2,
    });
  });

  it('names the file, the target and the field of a bad URL, in one line', () => {
    const message = problem(`targets:
  - name: web
    url: https://example.test/
  - name: api
    url: ftp://api.internal/
`);
    expect(message).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: targets[1] (name "api"): url: must be an http(s) URL`,
    );
    expect(message).not.toContain('\n');
  });

  it('says a missing field is required', () => {
    expect(problem('targets:\n  - name: web\n')).toContain(': targets[0] (name "web"): url: is required');
  });

  it('names the target by index when it has no usable name', () => {
    expect(problem('targets:\n  - url: https://example.test/\n')).toContain(
      ': targets[0]: name: is required',
    );
    expect(problem('targets:\n  - name: "bad name"\n    url: https://example.test/\n')).toContain(
      'targets[0] (name "bad name"): name: must be 1-63 letters',
    );
  });

  it('rejects wrong types and out-of-range numbers with the field name', () => {
    const base = 'targets:\n  - name: web\n    url: https://example.test/\n';
    expect(problem(`${base}    interval_s: soon\n`)).toContain(
      'targets[0] (name "web"): interval_s: must be a number',
    );
    expect(problem(`${base}    interval_s: 0\n`)).toContain('interval_s: must be at least 1');
    expect(problem(`${base}    timeout_ms: 1.5\n`)).toContain('timeout_ms: must be a whole number');
    expect(problem(`${base}    expect_status: 700\n`)).toContain('expect_status: must be at most 599');
    expect(problem(`${base}    method: FETCH\n`)).toContain('method: must be one of GET, HEAD');
    expect(problem(`${base}    failure_threshold: 0\n`)).toContain('failure_threshold: must be at least 1');
  });

  it('rejects unknown fields, so a typo does not silently fall back to a default', () => {
    expect(
      problem('targets:\n  - name: web\n    url: https://example.test/\n    intervall_s: 5\n'),
    ).toContain('targets[0] (name "web"): intervall_s: unknown field');
  });

  it('rejects text Postgres cannot store (NUL, lone surrogates) with the field name', () => {
    expect(problem('targets:\n  - name: "web\\0"\n    url: https://example.test/\n')).toContain(
      'targets[0].name: must not contain U+0000',
    );
    expect(problem('targets:\n  - name: "\\uDC00"\n    url: https://example.test/\n')).toContain(
      'targets[0].name: must be well-formed Unicode',
    );
  });

  it('rejects duplicate target names', () => {
    const message = problem(`targets:
  - name: web
    url: https://example.test/
  - name: api
    url: https://api.example.test/
  - name: web
    url: https://other.example.test/
`);
    expect(message).toContain(`${FILE}: targets[2] (name "web"): name: duplicates targets[0]`);
  });

  it('rejects a file without a targets list, and YAML that does not parse', () => {
    expect(problem('')).toContain(`${FILE}: targets: is required`);
    expect(problem('targets: web\n')).toContain(`${FILE}: targets: must be a list of targets`);
    expect(problem('- web\n')).toContain(`${FILE}: must be a mapping with a \`targets:\` list`);
    const yamlError = problem('targets:\n  - name: web\n   url: [\n');
    expect(yamlError).toContain(`${FILE}: not valid YAML: `);
    expect(yamlError).not.toContain('\n');
  });

  it('reads tcp, postgres and nats targets', () => {
    const targets = parseTargets(
      `targets:
  - name: cache
    type: tcp
    host: 10.0.0.5
    port: 6379
  - name: db
    type: postgres
    url: postgres://probe:pw@db.internal:5432/app
    interval_s: 60
  - name: bus
    type: nats
    url: nats://nats.internal:4222
    failure_threshold: 3
`,
      FILE,
    );
    expect(targets).toEqual([
      expect.objectContaining({
        kind: 'tcp',
        name: 'cache',
        host: '10.0.0.5',
        port: 6379,
        url: 'tcp://10.0.0.5:6379',
      }),
      expect.objectContaining({ kind: 'postgres', name: 'db', intervalMs: 60_000, failureThreshold: 2 }),
      expect.objectContaining({ kind: 'nats', name: 'bus', failureThreshold: 3, recoveryThreshold: 1 }),
    ]);
  });

  it('reads the HTTP request and conditions', () => {
    const [target] = parseTargets(
      `targets:
  - name: api
    url: https://api.test/login
    method: POST
    headers: { content-type: application/json }
    body: '{"user":"probe"}'
    json_path: { path: '$.data.items[0].state', equals: ready }
    max_response_ms: 800
`,
      FILE,
    );
    expect(target).toMatchObject({
      headers: { 'content-type': 'application/json' },
      body: '{"user":"probe"}',
      jsonPath: { path: '$.data.items[0].state', equals: 'ready' },
      maxResponseTimeMs: 800,
    });
  });

  it('names the target and field of a bad typed target', () => {
    expect(problem('targets:\n  - name: cache\n    type: tcp\n    host: h\n    port: 70000\n')).toContain(
      'targets[0] (name "cache"): port: must be at most 65535',
    );
    expect(problem('targets:\n  - name: db\n    type: postgres\n    url: http://x/\n')).toContain(
      'targets[0] (name "db"): url: must be a postgres:// URL',
    );
    expect(problem('targets:\n  - name: q\n    type: redis\n')).toContain(
      'targets[0] (name "q"): type: must be one of http, tcp, postgres, nats',
    );
    expect(
      problem('targets:\n  - name: x\n    type: tcp\n    host: h\n    port: 1\n    url: http://x/\n'),
    ).toContain('targets[0] (name "x"): url: unknown field');
    expect(
      problem("targets:\n  - name: api\n    url: http://x/\n    json_path: { path: 'data.items' }\n"),
    ).toContain('targets[0] (name "api"): json_path.path: must look like $.field.sub[0]');
  });

  it('names the step and field of a bad synthetic target', () => {
    expect(problem('targets:\n  - name: flow\n    type: synthetic\n    steps: []\n')).toContain(
      'targets[0] (name "flow"): steps: must have at least one step',
    );
    expect(
      problem(
        'targets:\n  - name: flow\n    type: synthetic\n    steps:\n      - name: one\n        url: nope\n',
      ),
    ).toContain('targets[0] (name "flow"): steps[0].url: must be an http(s) URL');
  });

  /** A synthetic target capturing `id` with `regex`, a YAML scalar. */
  const withCapture = (regex: string) => `targets:
  - name: flow
    type: synthetic
    steps:
      - name: one
        url: http://x.test/
        capture:
          id: { regex: ${regex} }
`;

  // Capture patterns are RE2 (linear time): what only a backtracking engine offers is a config error.
  it.each([
    ['a backreference', '(a)\\\\1', /must be a valid RE2 regular expression: .*invalid escape sequence/],
    ['a lookahead', '(?=id)(\\\\d+)', /must be a valid RE2 regular expression: .*Perl syntax/],
    ['no group', 'id=\\\\d+', /must have exactly one capturing group, not 0/],
    ['two groups', '(id)=(\\\\d+)', /must have exactly one capturing group, not 2/],
  ])('names the capture key of a capture regex with %s', (_, regex, message) => {
    const error = problem(withCapture(`"${regex}"`));
    expect(error).toContain('targets[0] (name "flow"): steps[0].capture.id.regex: ');
    expect(error).toMatch(message);
  });

  it('accepts RE2 capture syntax: a named group (?P<id>...) is the one group', () => {
    const [target] = parseTargets(withCapture(`'id=(?P<id>\\d+)'`), FILE);
    expect(target).toMatchObject({ steps: [{ capture: { id: { regex: 'id=(?P<id>\\d+)' } } }] });
  });

  it('accepts an empty list', () => {
    expect(parseTargets('targets: []\n', FILE)).toEqual([]);
  });
});

describe('loadTargetsFile', () => {
  it('names a file that cannot be read', () => {
    const missing = path.join(os.tmpdir(), 'vigil-no-such-dir', 'targets.yaml');
    expect(() => loadTargetsFile(missing)).toThrow(`TARGETS_FILE: ${missing}: cannot be read (ENOENT)`);
  });

  it('reads and validates a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-targets-'));
    try {
      const file = path.join(dir, 'targets.yaml');
      fs.writeFileSync(file, 'targets:\n  - name: web\n    url: http://127.0.0.1:1/\n');
      expect(loadTargetsFile(file).map((t) => t.name)).toEqual(['web']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
