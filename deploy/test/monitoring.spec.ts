// Checks the monitoring and configuration files k8s/ and docker/ ship: the alert rules pass `promtool check
// rules` and the unit tests, compose's Prometheus runs the same rules, the dashboards query only metrics
// the services really export, the NATS configs parse with the real nats-server, and the ConfigMap copies
// of service config files stay equal to their sources.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { parse as parseYaml } from 'yaml';

import { REPO_ROOT, runTool } from './support';

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
const PROMTOOL_HINT = 'install promtool (`apt-get install -y prometheus`; the test bootstrap does this)';

/** Every .ts source of the services and libs, to find where a metric name is defined. */
function sourceText(): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
        texts.push(fs.readFileSync(full, 'utf8'));
    }
  };
  for (const root of ['apps', 'libs'])
    for (const project of fs.readdirSync(path.join(REPO_ROOT, root))) {
      const src = path.join(REPO_ROOT, root, project, 'src');
      if (fs.existsSync(src)) walk(src);
    }
  return texts.join('\n');
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
]);

/** Metric names a PromQL expression reads: identifiers that are not functions, keywords or label names. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1])
    .filter((name) => !PROMQL_WORDS.has(name));
}

describe('metricNames', () => {
  it('finds the metrics of an expression and nothing else', () => {
    expect(
      metricNames(
        'sum by (job, le) (rate(http_request_duration_seconds_bucket{job=~"a|b",le="1"}[5m])) / max(foo_total) > 0.5 and on (job) up',
      ),
    ).toEqual(['http_request_duration_seconds_bucket', 'foo_total', 'up']);
  });
});

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleGroup {
  name: string;
  rules: AlertRule[];
}
interface RuleTestFile {
  rule_files: string[];
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const RULES_DIR = 'k8s/base/prometheus-rules';
const RULE_TESTS_DIR = 'deploy/test/prometheus';
/** Kubernetes metrics the fleet's CPU and memory rules read: the kubelet's cAdvisor and kube-state-metrics. */
const KUBERNETES_METRICS = new Set([
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'kube_pod_container_resource_limits',
]);

describe('alert rules (k8s/base/prometheus-rules)', () => {
  const ruleFiles = fs
    .readdirSync(path.join(REPO_ROOT, RULES_DIR))
    .filter((f) => f.endsWith('.rules.yaml'))
    .sort()
    .map((f) => `${RULES_DIR}/${f}`);
  const testFiles = fs
    .readdirSync(path.join(REPO_ROOT, RULE_TESTS_DIR))
    .filter((f) => f.endsWith('.test.yaml'))
    .sort()
    .map((f) => `${RULE_TESTS_DIR}/${f}`);
  const groups = ruleFiles.flatMap((f) => (parseYaml(read(f)) as { groups: RuleGroup[] }).groups);
  const alerts = groups.flatMap((g) => g.rules).filter((r) => r.alert);

  it("includes the seeds' fleet rules and Vigil's own", () => {
    const names = new Set(alerts.map((a) => a.alert));
    for (const name of [
      'HighErrorRate',
      'APILatency',
      'ServiceDown',
      'DatabaseConnectionPool',
      'SlowQueries',
      'JobQueueGrowing',
      'HighCPUUsage',
      'HighMemoryUsage',
      'PrivacyEnforcementFailures',
      'AdminEconomyEdits',
      'VigilServiceDown',
      'VigilAuditIngestLag',
    ])
      expect({ name, defined: names.has(name) }).toEqual({ name, defined: true });
    // APILatency is checked at p95 and p99.
    expect(alerts.filter((a) => a.alert === 'APILatency').map((a) => a.labels?.quantile)).toEqual([
      '0.95',
      '0.99',
    ]);
  });

  it('passes `promtool check rules`', () => {
    const result = runTool('promtool', ['check', 'rules', ...ruleFiles], PROMTOOL_HINT);
    expect(result.status === 0 ? 'ok' : result.stdout + result.stderr).toBe('ok');
  });

  it('passes its `promtool test rules` unit tests', () => {
    const result = runTool('promtool', ['test', 'rules', ...testFiles], PROMTOOL_HINT);
    expect(result.status === 0 ? 'ok' : result.stdout + result.stderr).toBe('ok');
  });

  it('tests every rule file, and every alert both firing and quiet', () => {
    const tested = new Set<string>();
    const firing = new Set<string>();
    const quiet = new Set<string>();
    for (const file of testFiles) {
      const spec = parseYaml(read(file)) as RuleTestFile;
      for (const ruleFile of spec.rule_files)
        tested.add(path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(file), ruleFile)));
      for (const test of spec.tests)
        for (const { alertname, exp_alerts } of test.alert_rule_test ?? [])
          (exp_alerts.length > 0 ? firing : quiet).add(alertname);
    }
    expect(ruleFiles.filter((f) => !tested.has(f))).toEqual([]);
    const names = [...new Set(alerts.map((a) => a.alert!))];
    expect(names.filter((n) => !firing.has(n))).toEqual([]);
    expect(names.filter((n) => !quiet.has(n))).toEqual([]);
  });

  it('is what the Kubernetes PrometheusRule holds (generated, not stale)', () => {
    const result = runTool(process.execPath, ['deploy/scripts/prometheus-rule.mjs', '--check'], 'node');
    expect(result.status === 0 ? 'fresh' : result.stderr).toBe('fresh');
    const rule = parseYaml(read('k8s/base/prometheus-rule.yaml')) as {
      kind: string;
      spec: { groups: unknown };
    };
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.spec.groups).toEqual(groups);
  });

  it('is what docker/compose.yaml Prometheus loads', () => {
    const prometheus = parseYaml(read('docker/prometheus/prometheus.yml')) as { rule_files: string[] };
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/rules/*.rules.yaml']);
    expect(read('docker/compose.yaml')).toContain(`../${RULES_DIR}:/etc/prometheus/rules:ro`);
    // promtool reads compose's prometheus.yml with the rules directory where compose mounts it from.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-prometheus-'));
    try {
      const config = path.join(dir, 'prometheus.yml');
      fs.writeFileSync(
        config,
        read('docker/prometheus/prometheus.yml').replace(
          '/etc/prometheus/rules/',
          `${path.join(REPO_ROOT, RULES_DIR)}/`,
        ),
      );
      const result = runTool('promtool', ['check', 'config', config], PROMTOOL_HINT);
      expect(result.status === 0 ? 'ok' : result.stdout + result.stderr).toBe('ok');
      expect(result.stdout).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('alerts only on metrics the services export (or Kubernetes does)', () => {
    const source = sourceText();
    const missing = alerts.flatMap(({ alert, expr }) =>
      metricNames(expr)
        .filter(
          (name) =>
            name !== 'up' &&
            !KUBERNETES_METRICS.has(name) &&
            !source.includes(`'${name.replace(/_(bucket|sum|count)$/, '')}'`),
        )
        .map((name) => `${alert}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('gives every alert a severity Vigil routes on, a summary, a description and a runbook', () => {
    const problems = alerts.flatMap((a) => [
      ...(['critical', 'high', 'medium', 'low'].includes(a.labels?.severity ?? '')
        ? []
        : [`${a.alert}: severity`]),
      ...['summary', 'description', 'runbook_url']
        .filter((key) => !a.annotations?.[key])
        .map((key) => `${a.alert}: ${key}`),
    ]);
    expect(problems).toEqual([]);
  });
});

describe('Grafana dashboards (k8s/base/dashboards)', () => {
  const files = fs
    .readdirSync(path.join(REPO_ROOT, 'k8s/base/dashboards'))
    .filter((f) => f.endsWith('.json'));
  const source = sourceText();
  /** Metrics Prometheus itself makes (rule states, scrape health), not the services. */
  const PROMETHEUS_OWN = new Set(['ALERTS', 'up']);

  it.each(files)('%s queries only metrics the services export', (file) => {
    const dashboard = JSON.parse(read(`k8s/base/dashboards/${file}`)) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const missing: string[] = [];
    for (const panel of dashboard.panels)
      for (const { expr } of panel.targets) {
        for (const name of metricNames(expr)) {
          if (PROMETHEUS_OWN.has(name)) continue;
          const base = name.replace(/_(bucket|sum|count)$/, '');
          if (!source.includes(`'${base}'`)) missing.push(`${panel.title}: ${name}`);
        }
      }
    expect(missing).toEqual([]);
    expect(dashboard.panels.flatMap((p) => p.targets).length).toBeGreaterThan(0);
  });

  it("covers the seeds' panels", () => {
    const titles = files
      .flatMap(
        (f) => (JSON.parse(read(`k8s/base/dashboards/${f}`)) as { panels: { title: string }[] }).panels,
      )
      .map((p) => p.title.toLowerCase())
      .join('\n');
    for (const topic of [
      'request volume',
      'error rate',
      'p50',
      'p95',
      'p99',
      'db query count',
      'privacy',
      'admin',
      'ingest lag',
      'alert states',
      'uptime',
    ])
      expect({ topic, found: titles.includes(topic) }).toEqual({ topic, found: true });
  });

  it('is provisioned into compose Grafana from the same directory', () => {
    const provider = parseYaml(read('docker/grafana/dashboards.yaml')) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    expect(read('docker/compose.yaml')).toContain('../k8s/base/dashboards:/var/lib/grafana/dashboards:ro');
  });
});

describe('NATS server configs', () => {
  const check = (file: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-nats-conf-'));
    try {
      fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, 'nats.conf'));
      fs.copyFileSync(path.join(REPO_ROOT, 'k8s/base/nats-auth.conf'), path.join(dir, 'nats-auth.conf'));
      const conf = fs.readFileSync(path.join(dir, 'nats.conf'), 'utf8');
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, POD_NAME: 'nats-0' };
      for (const m of read('k8s/base/nats-auth.conf').matchAll(/\$(NATS_\w+_PASSWORD)/g)) env[m[1]] = 'x';
      return {
        conf,
        result: runTool(
          'nats-server',
          ['-c', path.join(dir, 'nats.conf'), '-t'],
          'apt-get install nats-server',
          env,
        ),
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it.each(['docker/nats.conf', 'k8s/base/nats-server.conf'])(
    '%s includes nats-auth.conf and parses',
    (file) => {
      const { conf, result } = check(file);
      expect(conf).toMatch(/^include \.\/nats-auth\.conf$/m);
      expect(conf).toMatch(/^jetstream\s*\{/m);
      expect(result.status === 0 ? 'valid' : result.stderr + result.stdout).toBe('valid');
    },
  );
});

describe('configuration files mounted from ConfigMaps', () => {
  it('k8s/base/audit-detector-rules.yaml is apps/audit/detector-rules.yaml', () => {
    expect(parseYaml(read('k8s/base/audit-detector-rules.yaml'))).toEqual(
      parseYaml(read('apps/audit/detector-rules.yaml')),
    );
  });

  it('k8s/base/alerting-routes.yaml routes only to receivers it defines', () => {
    interface Route {
      receiver?: string;
      routes?: Route[];
    }
    const config = parseYaml(read('k8s/base/alerting-routes.yaml')) as {
      route: Route;
      receivers: { name: string }[];
    };
    const defined = config.receivers.map((r) => r.name);
    const used: string[] = [];
    const walk = (route: Route) => {
      if (route.receiver) used.push(route.receiver);
      route.routes?.forEach(walk);
    };
    walk(config.route);
    expect(used.filter((r) => !defined.includes(r))).toEqual([]);
    expect(config.route.receiver).toBeDefined();
  });
});
