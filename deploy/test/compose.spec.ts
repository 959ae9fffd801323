// Checks docker/: `docker-compose config` accepts compose.yaml, each service is built from the Dockerfile
// for its app, listens and is health-checked where the service really serves (@vigil/platform), gets an
// environment that passes the platform config schema, and the image's healthcheck script works.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { PROBE_PATHS, SERVICE_PORTS, platformConfigSchema, type ServiceName } from '@vigil/platform';
import { parse as parseYaml } from 'yaml';

import {
  APP_ENV,
  APPS,
  REPO_ROOT,
  environmentReferences,
  fileReferences,
  requestsOf,
  runTool,
  targetFieldProblems,
} from './support';

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; args?: Record<string, string> };
  command?: string[] | string;
  environment?: Record<string, string | null>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  ports?: (string | { target: number; published?: number | string })[];
  volumes?: (string | { type?: string; source?: string; target: string })[];
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  tmpfs?: string[] | string;
  secrets?: (string | { source: string; target?: string })[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
}

const COMPOSE_FILE = 'docker/compose.yaml';
const INSTALL_HINT =
  'install docker-compose (`apt-get install -y docker-compose`; the test bootstrap does this)';
/** Variables compose.yaml interpolates: unset here so the rendered file is the same on every machine. */
const COMPOSE_VARIABLES = [
  'VIGIL_VERSION',
  'GIT_SHA',
  'POSTGRES_PASSWORD',
  'ALERT_WEBHOOK_URL',
  'PAGERDUTY_ROUTING_KEY_FILE',
  'SLACK_API_URL_FILE',
  'GRAFANA_ADMIN_PASSWORD',
  ...[
    ...fs
      .readFileSync(path.join(REPO_ROOT, 'k8s/base/nats-auth.conf'), 'utf8')
      .matchAll(/\$(NATS_\w+_PASSWORD)/g),
  ].map((m) => m[1]),
];
const HEALTHCHECK_SCRIPT = path.join(REPO_ROOT, 'docker/healthcheck.cjs');
const HEALTHCHECK_IN_IMAGE = '/usr/local/lib/vigil/healthcheck.cjs';
const PROBE_PATH_VALUES: string[] = Object.values(PROBE_PATHS);

function composeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of COMPOSE_VARIABLES) delete env[name];
  return env;
}

const dependsOn = (svc: ComposeService): Record<string, string | undefined> =>
  Array.isArray(svc.depends_on)
    ? Object.fromEntries(svc.depends_on.map((name) => [name, 'service_started']))
    : Object.fromEntries(Object.entries(svc.depends_on ?? {}).map(([name, dep]) => [name, dep.condition]));

const containerPorts = (svc: ComposeService): number[] =>
  (svc.ports ?? []).map((p) =>
    typeof p === 'string' ? Number(p.split('/')[0].split(':').pop()) : Number(p.target),
  );

/** Host path and container path of each bind mount / volume, in either compose syntax. */
const mounts = (svc: ComposeService): { source: string; target: string }[] =>
  (svc.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source ?? '', target: v.target };
    const [source, target] = v.split(':');
    return { source, target: target ?? source };
  });

const healthcheckTest = (svc: ComposeService): string[] => {
  const test = svc.healthcheck?.test;
  return Array.isArray(test) ? test : test ? ['CMD-SHELL', test] : [];
};

/** Stages of a Dockerfile with their instructions, continuation lines joined. */
function dockerfileStages(text: string): { from: string; instructions: string[] }[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: { from: string; instructions: string[] }[] = [];
  for (const line of logical) {
    if (/^FROM\s/i.test(line)) stages.push({ from: line, instructions: [] });
    else stages.at(-1)?.instructions.push(line.replace(/\s+/g, ' '));
  }
  return stages;
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('docker/compose.yaml', () => {
  let compose: ComposeFile;
  const service = (name: string): ComposeService => {
    const svc = compose.services[name];
    if (!svc) throw new Error(`compose.yaml has no service "${name}"`);
    return svc;
  };

  beforeAll(() => {
    const result = runTool('docker-compose', ['-f', COMPOSE_FILE, 'config'], INSTALL_HINT, composeEnv());
    if (result.status !== 0)
      throw new Error(`docker-compose config exited ${result.status}:\n${result.stderr}`);
    compose = parseYaml(result.stdout) as ComposeFile;
  });

  it('passes `docker-compose -f docker/compose.yaml config -q`', () => {
    const result = runTool(
      'docker-compose',
      ['-f', COMPOSE_FILE, 'config', '-q'],
      INSTALL_HINT,
      composeEnv(),
    );
    expect(result.status === 0 ? 'exit 0' : `exit ${result.status}: ${result.stderr}`).toBe('exit 0');
  });

  it('runs NATS with JetStream, Postgres with one database per service, and a mail inbox', () => {
    const nats = service('nats');
    expect(nats.image).toMatch(/^nats:2\.(1\d|[2-9]\d)/);
    expect(nats.command).toEqual(expect.arrayContaining(['-js']));
    expect(fs.readFileSync(path.join(REPO_ROOT, 'docker/nats.conf'), 'utf8')).toMatch(/^jetstream\s*\{/m);

    const postgres = service('postgres');
    expect(postgres.image).toMatch(/^postgres:1[5-9]/);
    const init = mounts(postgres).find((m) => m.target.startsWith('/docker-entrypoint-initdb.d/'));
    expect(init).toBeDefined();
    const sql = fs.readFileSync(init!.source, 'utf8');
    for (const app of APPS) expect(sql).toMatch(new RegExp(`^CREATE DATABASE vigil_${app};`, 'm'));

    expect(service('mail').image).toMatch(/maildev|mailpit/);
  });

  it('runs NATS with the users of k8s/base/nats-auth.conf, a password for each, and each service as its own user', () => {
    const nats = service('nats');
    const auth = mounts(nats).find((m) => m.target === '/etc/nats/nats-auth.conf');
    expect(auth && path.resolve(REPO_ROOT, 'docker', auth.source)).toBe(
      path.join(REPO_ROOT, 'k8s/base/nats-auth.conf'),
    );
    const variables = COMPOSE_VARIABLES.filter((v) => v.startsWith('NATS_'));
    expect(variables.length).toBeGreaterThanOrEqual(APPS.length);
    for (const variable of variables)
      expect({ variable, set: !!nats.environment?.[variable] }).toEqual({ variable, set: true });
    for (const app of APPS) {
      const url = new URL(String(service(app).environment?.NATS_URL));
      expect([app, url.username, url.password]).toEqual([
        app,
        app,
        nats.environment?.[`NATS_${app.toUpperCase()}_PASSWORD`],
      ]);
    }
  });

  it('runs Prometheus with the alert rules and Grafana provisioned with the dashboards', () => {
    const prometheus = mounts(service('prometheus'));
    expect(prometheus.map((m) => m.target)).toEqual(
      expect.arrayContaining(['/etc/prometheus/prometheus.yml', '/etc/prometheus/rules']),
    );
    // The rule files themselves, not a copy: the ones `promtool test rules` checks and the PrometheusRule is made of.
    const rules = prometheus.find((m) => m.target === '/etc/prometheus/rules')!;
    expect(path.resolve(REPO_ROOT, 'docker', rules.source)).toBe(
      path.join(REPO_ROOT, 'k8s/base/prometheus-rules'),
    );
    const grafana = mounts(service('grafana'));
    expect(grafana.map((m) => m.target)).toEqual(
      expect.arrayContaining([
        '/etc/grafana/provisioning/datasources/vigil.yaml',
        '/etc/grafana/provisioning/dashboards/vigil.yaml',
        '/var/lib/grafana/dashboards',
      ]),
    );
    const dashboards = grafana.find((m) => m.target === '/var/lib/grafana/dashboards')!;
    expect(path.resolve(REPO_ROOT, 'docker', dashboards.source)).toBe(
      path.join(REPO_ROOT, 'k8s/base/dashboards'),
    );
  });

  it('health-checks every service another one waits on to be healthy', () => {
    const problems: string[] = [];
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const [dep, condition] of Object.entries(dependsOn(svc))) {
        if (!compose.services[dep]) problems.push(`${name} depends on unknown service ${dep}`);
        else if (condition === 'service_healthy' && healthcheckTest(compose.services[dep]).length === 0)
          problems.push(`${name} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
      }
    }
    expect(problems).toEqual([]);
  });

  describe.each(APPS)('%s', (app: ServiceName) => {
    const port = SERVICE_PORTS[app];
    const env = () => service(app).environment ?? {};

    it('is built from docker/Dockerfile with APP set to the service', () => {
      const svc = service(app);
      expect(svc.build?.dockerfile).toBe('docker/Dockerfile');
      expect(path.resolve(svc.build?.context ?? '')).toBe(REPO_ROOT);
      expect(svc.build?.args?.APP).toBe(app);
      expect(svc.image).toMatch(new RegExp(`^vigil/${app}:`));
    });

    it(`listens on PORT ${port} and publishes that port`, () => {
      expect(env().PORT).toBe(String(port));
      expect(containerPorts(service(app))).toContain(port);
    });

    it(`health-checks a probe path on port ${port} with the image's healthcheck script`, () => {
      const test = healthcheckTest(service(app));
      expect(test.slice(0, 3)).toEqual(['CMD', 'node', HEALTHCHECK_IN_IMAGE]);
      const url = new URL(test[3]);
      expect(['127.0.0.1', 'localhost']).toContain(url.hostname);
      expect(Number(url.port)).toBe(port);
      expect(PROBE_PATH_VALUES).toContain(url.pathname);
    });

    it('gets an environment that passes the platform config schema and names real services', () => {
      // `docker-compose config` keeps compose's `$$` escape; the container sees a single `$`.
      const values = Object.fromEntries(
        Object.entries(env())
          .filter((e): e is [string, string] => e[1] !== null)
          .map(([key, value]) => [key, value.replaceAll('$$', '$')]),
      );
      const parsed = platformConfigSchema.safeParse(values);
      expect(
        parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      ).toEqual([]);
      for (const key of APP_ENV[app]) expect({ [key]: values[key] }).toEqual({ [key]: expect.any(String) });
      expect(new URL(values.DATABASE_URL).pathname).toBe(`/vigil_${app}`);
      const unknownHosts = Object.entries(values)
        // CONSOLE_PUBLIC_URL is where browsers reach the console (the published port), not a service it calls.
        .filter(([key]) => key.endsWith('_URL') && key !== 'CONSOLE_PUBLIC_URL')
        .map(([key, value]) => [key, new URL(value).hostname])
        .filter(([, host]) => !compose.services[host]);
      expect(unknownHosts).toEqual([]);
    });

    it('starts after NATS and Postgres are healthy', () => {
      expect(dependsOn(service(app))).toMatchObject({ nats: 'service_healthy', postgres: 'service_healthy' });
    });

    it('runs as uid 10001 on a read-only root filesystem without capabilities', () => {
      const svc = service(app);
      expect(svc.user?.split(':')[0]).toBe('10001');
      expect(svc.read_only).toBe(true);
      expect(svc.cap_drop).toContain('ALL');
      expect([svc.tmpfs ?? []].flat()).toContain('/tmp');
    });
  });

  it('mounts a TARGETS_FILE for health whose targets probe the other services where they serve', () => {
    const health = service('health');
    const file = health.environment?.TARGETS_FILE ?? '';
    const mount = mounts(health).find((m) => m.target === file);
    expect(mount).toBeDefined();
    const { targets } = parseYaml(fs.readFileSync(mount!.source, 'utf8')) as {
      targets: Record<string, unknown>[];
    };
    expect(targets.length).toBeGreaterThan(0);
    const problems: string[] = [];
    // `${file:/path}` references must land on a compose secret mounted into health.
    const secretTargets = new Map(
      (health.secrets ?? []).map((s) =>
        typeof s === 'string' ? [`/run/secrets/${s}`, s] : [s.target ?? `/run/secrets/${s.source}`, s.source],
      ),
    );
    for (const target of targets) {
      problems.push(...targetFieldProblems(target));
      for (const step of requestsOf(target)) {
        const url = new URL(String(step.url));
        if (!compose.services[url.hostname])
          problems.push(`target ${url.href}: no compose service ${url.hostname}`);
        const app = url.hostname as ServiceName;
        if (!APPS.includes(app)) continue;
        if (Number(url.port) !== SERVICE_PORTS[app])
          problems.push(`target ${url.href}: ${app} listens on ${SERVICE_PORTS[app]}`);
        // A signed-in synthetic flow may use the service's API; plain targets probe a probe path.
        if (target.type !== 'synthetic' && !PROBE_PATH_VALUES.includes(url.pathname))
          problems.push(`target ${url.href}: not a probe path`);
      }
      for (const file of fileReferences(target)) {
        const source = secretTargets.get(file);
        const secretFile = source ? compose.secrets?.[source]?.file : undefined;
        // `docker-compose config` resolves the file to an absolute path; the raw file has ${VAR:-./default}.
        const local = secretFile?.replace(/^\$\{[A-Z_]+:-(.*)\}$/, '$1');
        if (!local || !fs.existsSync(path.resolve(REPO_ROOT, 'docker', local)))
          problems.push(`target ${String(target.name)}: \${file:${file}} is not a compose secret of health`);
      }
      for (const name of environmentReferences(target))
        if (health.environment?.[name] === undefined)
          problems.push(`target ${String(target.name)}: \${${name}} is not in health's environment`);
    }
    expect(problems).toEqual([]);
    expect(targets.some((t) => fileReferences(t).length > 0)).toBe(true);
  });
});

describe('docker/Dockerfile', () => {
  const stages = dockerfileStages(fs.readFileSync(path.join(REPO_ROOT, 'docker/Dockerfile'), 'utf8'));
  const final = stages.at(-1)!;
  const has = (pattern: RegExp) => final.instructions.some((i) => pattern.test(i));

  it('is multi-stage and builds the app named by ARG APP', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.flatMap((s) => s.instructions)).toContain('ARG APP');
    expect(final.from).toMatch(/^FROM \S*node:20-slim|^FROM \$\{NODE_IMAGE\}/);
  });

  it('ships only the production deploy, runs as uid 10001 and starts dist/main.js', () => {
    expect(has(/^COPY --from=build \/out /)).toBe(true);
    expect(has(/^ENV .*NODE_ENV=production/)).toBe(true);
    expect(final.instructions.filter((i) => /^USER /.test(i))).toEqual(['USER 10001:10001']);
    expect(final.instructions.at(-1)).toBe('CMD ["node", "dist/main.js"]');
    expect(has(/org\.opencontainers\.image\.version="\$\{VERSION\}"/)).toBe(true);
    expect(has(/org\.opencontainers\.image\.revision="\$\{GIT_SHA\}"/)).toBe(true);
  });

  it('copies the healthcheck script to where HEALTHCHECK and compose call it', () => {
    expect(has(new RegExp(`^COPY docker/healthcheck\\.cjs ${HEALTHCHECK_IN_IMAGE}$`))).toBe(true);
    expect(has(new RegExp(`^HEALTHCHECK .*CMD \\["node", "${HEALTHCHECK_IN_IMAGE}"\\]$`))).toBe(true);
  });
});

describe('docker/healthcheck.cjs', () => {
  let server: http.Server;
  let status = 200;
  const seen: string[] = [];
  let port = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    seen.length = 0;
  });

  it('knows the same default ports and liveness path as the services', async () => {
    const { stdout } = await runNode(
      ['-p', `JSON.stringify(require(${JSON.stringify(HEALTHCHECK_SCRIPT)}))`],
      {},
    );
    expect(JSON.parse(stdout)).toEqual({ DEFAULT_PORTS: SERVICE_PORTS, LIVENESS_PATH: PROBE_PATHS.liveness });
  });

  it('GETs the liveness path on PORT and exits 0 on 200', async () => {
    status = 200;
    const { code } = await runNode([HEALTHCHECK_SCRIPT], { PORT: String(port) });
    expect(code).toBe(0);
    expect(seen).toEqual([PROBE_PATHS.liveness]);
  });

  it('exits 1 on 503 and when nothing listens', async () => {
    status = 503;
    expect(
      (await runNode([HEALTHCHECK_SCRIPT, `http://127.0.0.1:${port}${PROBE_PATHS.readiness}`], {})).code,
    ).toBe(1);
    expect(seen).toEqual([PROBE_PATHS.readiness]);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect((await runNode([HEALTHCHECK_SCRIPT], { PORT: String(freePort) })).code).toBe(1);
  });

  it('exits 2 when it cannot tell which port to check', async () => {
    expect((await runNode([HEALTHCHECK_SCRIPT], {})).code).toBe(2);
  });
});
