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
      intervalMs: 30_000,
      timeoutMs: 5000,
      expectStatus: 200,
      keyword: null,
      failureThreshold: 2,
      recoveryThreshold: 1,
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
