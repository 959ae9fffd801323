// Checks the monitoring and configuration files k8s/ and docker/ ship: the alert rules pass `promtool check
// rules` and the unit tests, compose's Prometheus runs the same rules, the dashboards cover the seeds' panels
// (fleet-metrics.spec.ts checks what they query), the NATS configs parse with the real nats-server, and the
// ConfigMap copies of service config files stay equal to their sources.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { parse as parseYaml } from 'yaml';

import {
  type RuleGroup,
  type RuleTestFile,
  RULES_DIR,
  metricNames,
  read,
  recordedSeries,
  ruleFiles as listRuleFiles,
  ruleTestFiles,
  dashboard,
  dashboardFiles,
  topicsMissing,
  vigilMetricSource,
} from './promql';
import { REPO_ROOT, runTool } from './support';

const PROMTOOL_HINT = 'install promtool (`apt-get install -y prometheus`; the test bootstrap does this)';

describe('metricNames', () => {
  it('finds the metrics of an expression and nothing else', () => {
    expect(
      metricNames(
        'sum by (job, le) (rate(http_request_duration_seconds_bucket{job=~"a|b",le="1"}[5m])) / max(foo_total) > 0.5 and on (job) up',
      ),
    ).toEqual(['http_request_duration_seconds_bucket', 'foo_total', 'up']);
  });

  it('reads recorded series and skips label_replace arguments, grouping modifiers, offsets and durations', () => {
    expect(
      metricNames(
        'sum by (service) (label_replace(rate(a_total{x="1"}[5m]), "service", "$1", "job", "(.*)")) > on (route_group) group_left () fleet:b:rate5m{q="0.95"} or (c unless c offset 5m) * 3600 or vector(1)',
      ),
    ).toEqual(['a_total', 'fleet:b:rate5m', 'c', 'c']);
  });
});

/** Kubernetes metrics the fleet's CPU and memory rules read: the kubelet's cAdvisor and kube-state-metrics. */
const KUBERNETES_METRICS = new Set([
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'kube_pod_container_resource_limits',
]);

describe('alert rules (k8s/base/prometheus-rules)', () => {
  const ruleFiles = listRuleFiles();
  const testFiles = ruleTestFiles();
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
      'SettingsSaveErrorRate',
      'DatabaseDeadlocks',
      'DatabaseConnectionErrors',
      'RequestsInFlight',
      'DiskSpace',
      'LowSuccessRate',
      'Watchdog',
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

  it('tests every rule file, and every alert both firing and quiet (the Watchdog only firing)', () => {
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
    const alwaysFiring = new Set(alerts.filter((a) => a.labels?.watchdog === 'true').map((a) => a.alert));
    expect(names.filter((n) => !quiet.has(n) && !alwaysFiring.has(n))).toEqual([]);
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

  it('alerts only on recorded fleet: series and metrics the services export (or Kubernetes does)', () => {
    const source = vigilMetricSource();
    const recorded = recordedSeries();
    const missing = alerts.flatMap(({ alert, expr }) =>
      metricNames(expr)
        .filter(
          (name) =>
            name !== 'up' &&
            !recorded.has(name) &&
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
  // Which series each panel may query: fleet-metrics.spec.ts.
  it("covers the seeds' panels", () => {
    expect(
      topicsMissing(
        dashboardFiles().map((f) => dashboard(f)),
        [
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
        ],
      ),
    ).toEqual([]);
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
