import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { inspect } from 'node:util';

import { ConfigError } from '@vigil/platform';

import { fillReferences, scrubSecrets, TargetSecrets } from './secret-references';
import type { HttpTarget, SyntheticTarget } from './target-definition';
import { parseTargets } from './targets-file';

const FILE = '/etc/vigil/targets.yaml';
const PASSWORD = 'pa$$ w0rd&more';

describe('secrets, tls.ca_file and certificate thresholds in the targets file', () => {
  let dir: string;
  let passwordFile: string;
  let caFile: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-refs-'));
    passwordFile = path.join(dir, 'login-password');
    fs.writeFileSync(passwordFile, `${PASSWORD}\n`);
    caFile = path.join(dir, 'ca.pem');
    // Any certificate will do as a CA file: take Node's first bundled root.
    fs.writeFileSync(caFile, rootCertificates[0]);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const problem = (text: string, environment: Record<string, string> = {}): string => {
    try {
      parseTargets(text, FILE, environment);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  const login = () => `targets:
  - name: login
    type: synthetic
    steps:
      - name: sign in
        url: https://app.test/login?tenant=\${TENANT}
        method: POST
        headers: { x-api-key: '\${file:${passwordFile}}' }
        body: '{"user":"probe","password":"\${LOGIN_PASSWORD}"}'
        capture: { token: { json_path: $.token } }
      - name: profile
        url: https://app.test/me
        headers: { authorization: 'Bearer \${token}' }
`;

  it('reads ${NAME} from the given environment and ${file:/path} from the file, keeping the references', () => {
    const [target] = parseTargets(login(), FILE, { LOGIN_PASSWORD: PASSWORD, TENANT: 'a b' }) as [
      SyntheticTarget,
    ];
    const [signIn, profile] = target.steps;
    // The definition (and so the status page's url) keeps the references, never the values.
    expect(signIn.request.body).toBe('{"user":"probe","password":"${LOGIN_PASSWORD}"}');
    expect(target.url).toBe('synthetic:https://app.test/login?tenant=${TENANT} -> https://app.test/me');
    expect(signIn.request.secrets?.get('LOGIN_PASSWORD')).toBe(PASSWORD);
    expect(signIn.request.secrets?.get(`file:${passwordFile}`)).toBe(PASSWORD);
    expect(signIn.request.secrets?.get('TENANT')).toBe('a b');
    // A lowercase name is a capture, filled at run time: no secret is read for it.
    expect(profile.request.secrets).toBeUndefined();
    expect(JSON.stringify(target)).not.toContain(PASSWORD);
    expect(inspect(target, { depth: 10 })).not.toContain(PASSWORD);
  });

  it('stops boot on a missing secret naming the target and field, never a value', () => {
    expect(problem(login(), { TENANT: 't' })).toBe(
      `invalid configuration: TARGETS_FILE: ${FILE}: targets[0] (name "login"): steps[0].body: environment variable LOGIN_PASSWORD is not set`,
    );
    const gone = path.join(dir, 'nope');
    const message = problem(
      `targets:\n  - name: api\n    url: https://api.test/\n    headers: { authorization: 'Bearer \${file:${gone}}' }\n`,
    );
    expect(message).toContain(
      `targets[0] (name "api"): headers.authorization: file ${gone} cannot be read (ENOENT)`,
    );
    expect(
      problem('targets:\n  - name: api\n    url: https://${API_HOST}/\n', { API_HOST: 'a b/c' }),
    ).toContain('targets[0] (name "api"): url: must be an http(s) URL once its secrets are filled in');
  });

  it('refuses an all-uppercase capture name (it would read the environment)', () => {
    expect(
      problem(
        'targets:\n  - name: flow\n    type: synthetic\n    steps:\n      - name: one\n        url: http://x.test/\n        capture: { TOKEN: { header: x-token } }\n',
      ),
    ).toContain('steps[0].capture.TOKEN: all-uppercase names are environment variables');
  });

  it('reads tls.ca_file at load and refuses one that is missing or holds no certificate', () => {
    const [target] = parseTargets(
      `targets:\n  - name: internal\n    url: https://internal.test/\n    tls: { ca_file: ${caFile} }\n`,
      FILE,
    ) as [HttpTarget];
    expect(target.tls).toEqual({ caFile, ca: fs.readFileSync(caFile, 'utf8') });
    expect(
      problem(
        `targets:\n  - name: internal\n    url: https://internal.test/\n    tls: { ca_file: ${passwordFile} }\n`,
      ),
    ).toContain(`targets[0] (name "internal"): tls.ca_file: file ${passwordFile} holds no PEM certificate`);
  });

  it('takes certificate thresholds per target, critical inside warning', () => {
    const [target] = parseTargets(
      'targets:\n  - name: web\n    url: https://web.test/\n    cert_expiry_warn_days: 30\n    cert_expiry_critical_days: 3\n',
      FILE,
    );
    expect(target).toMatchObject({ certExpiry: { warnDays: 30, criticalDays: 3 } });
    expect(
      problem('targets:\n  - name: web\n    url: https://web.test/\n    cert_expiry_critical_days: 30\n'),
    ).toContain(
      'targets[0] (name "web"): cert_expiry_critical_days: must not be more than cert_expiry_warn_days',
    );
  });
});

describe('the shipped targets files (k8s ConfigMap, docker compose)', () => {
  const repo = path.resolve(__dirname, '../../../..');

  it('load with their secrets, and name the missing one', () => {
    const k8s = path.join(repo, 'k8s/base/health-targets.yaml');
    const text = fs.readFileSync(k8s, 'utf8');
    const targets = parseTargets(text, k8s, { ALERTING_PROBE_KEY: 'probe-key' });
    const flow = targets.find((t) => t.name === 'alerting-api') as SyntheticTarget;
    expect(flow.steps[0].request.secrets?.get('ALERTING_PROBE_KEY')).toBe('probe-key');
    expect(() => parseTargets(text, k8s, {})).toThrow(
      'steps[0].headers.authorization: environment variable ALERTING_PROBE_KEY is not set',
    );

    const compose = path.join(repo, 'docker/health-targets.yaml');
    const mounted = fs
      .readFileSync(compose, 'utf8')
      .replaceAll(
        '/run/secrets/alerting-probe-key',
        path.join(repo, 'docker/health-secrets/alerting-probe-key'),
      );
    const [composeFlow] = parseTargets(mounted, compose).filter((t) => t.kind === 'synthetic') as [
      SyntheticTarget,
    ];
    expect(composeFlow.steps[0].request.secrets?.values()).toEqual(['vigil-dev-key']);
  });
});

describe('fillReferences and scrubSecrets', () => {
  const secrets = new TargetSecrets(new Map([['PASSWORD', PASSWORD]]));

  it('fills secrets and captures in one pass: a captured ${PASSWORD} stays text', () => {
    const filled = fillReferences('${PASSWORD}|${token}', secrets, { token: '${PASSWORD}' }, false);
    expect(filled).toBe(`${PASSWORD}|\${PASSWORD}`);
    expect(fillReferences('?p=${PASSWORD}', secrets, null, true)).toBe(`?p=${encodeURIComponent(PASSWORD)}`);
    // Without captures (an http target) a lowercase reference is left as written.
    expect(fillReferences('${token}', secrets, null, false)).toBe('${token}');
  });

  it('scrubs a secret and its URL-encoded form from an error', () => {
    const error = `refused https://h/?p=${encodeURIComponent(PASSWORD)} (${PASSWORD})`;
    expect(scrubSecrets(error, [secrets])).toBe('refused https://h/?p=[REDACTED] ([REDACTED])');
  });
});
