import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConfigError } from '@vigil/platform';

import { loadProjects, parseProjects } from './projects-config';

const KEY = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);

function problemOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('projects config', () => {
  it('reads YAML with defaults for quota, retention and rules', () => {
    const [project] = parseProjects(`projects:\n  - { id: "1", slug: vigil, keys: ["${KEY}"] }\n`, 'X', '');
    expect(project).toEqual({
      id: '1',
      slug: 'vigil',
      keys: [KEY],
      quota: { events_per_minute: 600, transactions_per_minute: 6000 },
      retention_days: 90,
      alert_rules: [],
    });
  });

  it('reads inline JSON from ERRORS_PROJECTS', () => {
    const projects = loadProjects({
      ERRORS_PROJECTS: JSON.stringify({
        projects: [
          {
            id: '2',
            slug: 'django-profile',
            keys: [KEY],
            alert_rules: [{ match: { exception_type: '*.DoesNotExist' }, severity: 'critical' }],
            spike: { events: 100, minutes: 5 },
          },
        ],
      }),
    });
    expect(projects[0]).toMatchObject({ id: '2', spike: { events: 100, minutes: 5, severity: 'high' } });
  });

  it('names the variable, the project and the key of the first problem in one line', () => {
    const yaml = `projects:\n  - { id: "1", slug: a, keys: ["${KEY}"] }\n  - { id: "2", slug: shop, keys: ["nope"] }\n`;
    expect(problemOf(() => parseProjects(yaml, 'ERRORS_PROJECTS_FILE', '/etc/p.yaml: '))).toBe(
      'invalid configuration: ERRORS_PROJECTS_FILE: /etc/p.yaml: projects[1] (slug "shop"): keys.0: must be 32 lowercase hex characters (a DSN public key)',
    );
  });

  it('refuses a key shared by two projects and a duplicated id', () => {
    const shared = `projects:\n  - { id: "1", slug: a, keys: ["${KEY}"] }\n  - { id: "2", slug: b, keys: ["${OTHER}", "${KEY}"] }\n`;
    expect(problemOf(() => parseProjects(shared, 'X', ''))).toMatch(
      /projects\[1\] \(slug "b"\): keys: a key of projects\[0\]/,
    );
    const twice = `projects:\n  - { id: "1", slug: a, keys: ["${KEY}"] }\n  - { id: "1", slug: b, keys: ["${OTHER}"] }\n`;
    expect(problemOf(() => parseProjects(twice, 'X', ''))).toMatch(/id: duplicates projects\[0\]/);
  });

  it('refuses unknown keys, an empty list and invalid YAML', () => {
    expect(
      problemOf(() =>
        parseProjects(
          `projects:\n  - { id: "1", slug: a, keys: ["${KEY}"], quota: { events: 1 } }\n`,
          'X',
          '',
        ),
      ),
    ).toMatch(/projects\[0\] \(slug "a"\): quota: Unrecognized key/);
    expect(problemOf(() => parseProjects('projects: []', 'X', ''))).toMatch(/projects: must list a project/);
    expect(problemOf(() => parseProjects('projects: [', 'X', ''))).toMatch(/not valid YAML or JSON/);
  });

  it('requires one of the two variables and names an unreadable file', () => {
    expect(problemOf(() => loadProjects({}))).toMatch(/ERRORS_PROJECTS_FILE: is required/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'errors-projects-'));
    try {
      const missing = path.join(dir, 'missing.yaml');
      expect(problemOf(() => loadProjects({ ERRORS_PROJECTS_FILE: missing }))).toBe(
        `invalid configuration: ERRORS_PROJECTS_FILE: ${missing}: cannot be read (ENOENT)`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the shipped projects files', () => {
  const root = path.resolve(__dirname, '../../../..');
  const files = ['k8s/base/errors-projects.yaml', 'docker/errors-projects.yaml'];

  it.each(files)('%s passes the projects schema', (file) => {
    const projects = loadProjects({ ERRORS_PROJECTS_FILE: path.join(root, file) });
    expect(projects.map((p) => [p.id, p.slug])).toEqual([
      ['1', 'vigil'],
      ['2', 'django-profile'],
    ]);
  });

  it('ships the same file to compose and Kubernetes', () => {
    const [k8s, docker] = files.map((file) => fs.readFileSync(path.join(root, file), 'utf8'));
    expect(docker).toBe(k8s);
  });
});
