// The fleet metrics: the recording rules of k8s/base/prometheus-rules/fleet-recording.rules.yaml read only what
// the fleet's exporters write, under the exporters' own metric and label names (Debian's django-prometheus is
// run for its real exposition), the promtool tests feed each flavour series shaped as its exporter writes them,
// the fleet: series other parts code against exist, and the dashboards query only what is recorded or exported.
import path from 'node:path';

import {
  RULES_DIR,
  allRules,
  dashboard,
  dashboardFiles,
  dashboardQueries,
  exporterSeriesRead,
  metricNames,
  parseSeries,
  read,
  recordedSeries,
  ruleGroups,
  ruleTest,
  ruleTestFiles,
  topicsMissing,
  vigilMetricSource,
} from './promql';
import { REPO_ROOT, runTool } from './support';

/** Label names (beyond the scrape's job and instance) of one exported series; several shapes where configurable. */
type Shapes = Record<string, string[][]>;

/**
 * What the exporters without a Debian package write, from their source: prometheus-fastapi-instrumentator
 * (src/prometheus_fastapi_instrumentator/metrics.py default(), middleware.py) and prometheus-flask-exporter
 * (prometheus_flask_exporter/__init__.py export_defaults(), default prefix "flask", group_by path | url_rule |
 * endpoint), and Vigil's platform (libs/platform/src/metrics/http-metrics.ts, database/database-metrics.ts).
 */
const EXPORTERS: Record<string, Shapes> = {
  fastapi: {
    http_requests_total: [['handler', 'method', 'status']],
    http_request_duration_seconds_bucket: [['handler', 'method', 'le']],
    // inprogress_labels=False (the default) or True.
    http_requests_inprogress: [[], ['handler', 'method']],
  },
  flask: {
    flask_http_request_total: [['method', 'status']],
    flask_http_request_exceptions_total: [['method', 'status']],
    ...Object.fromEntries(
      ['bucket', 'count', 'sum'].map((part) => [
        `flask_http_request_duration_seconds_${part}`,
        ['path', 'url_rule', 'endpoint'].map((group) => [
          'method',
          group,
          'status',
          ...(part === 'bucket' ? ['le'] : []),
        ]),
      ]),
    ),
  },
  vigil: {
    http_requests_total: [['method', 'route', 'status_code']],
    http_request_duration_seconds_bucket: [['method', 'route', 'status_code', 'le']],
    http_requests_in_progress: [['method']],
    db_queries_total: [['operation', 'outcome']],
    db_query_duration_seconds_bucket: [['operation', 'le']],
    db_pool_connections_in_use: [[]],
    db_pool_connections_max: [[]],
  },
};

/** Metrics read from outside the web exporters: seed 001's app metrics, node_exporter, the kubelet, the audit service. */
const OTHER_SOURCES: Shapes = {
  db_connection_errors_total: [[]],
  db_deadlocks_total: [[]],
  node_filesystem_avail_bytes: [['device', 'fstype', 'mountpoint']],
  node_filesystem_size_bytes: [['device', 'fstype', 'mountpoint']],
  kubelet_volume_stats_used_bytes: [['namespace', 'persistentvolumeclaim']],
  kubelet_volume_stats_capacity_bytes: [['namespace', 'persistentvolumeclaim']],
  audit_privacy_events_total: [['source', 'outcome']],
  audit_admin_actions_total: [['source', 'action']],
};

/** Runs Debian's django-prometheus and reads its exposition: label names and `le` values per exposed series. */
function djangoExposition(): { shapes: Shapes; buckets: Record<string, string[]>; names: Set<string> } {
  const result = runTool(
    '/usr/bin/python3',
    [path.join(REPO_ROOT, 'deploy/test/django-exposition.py')],
    "install Debian's Django and its exporter: `apt-get install -y python3-django python3-django-prometheus`",
  );
  if (result.status !== 0) throw new Error(`django-exposition.py failed: ${result.stderr}`);
  const shapes: Shapes = {};
  const buckets: Record<string, string[]> = {};
  const names = new Set<string>();
  for (const line of result.stdout.split('\n')) {
    // `# TYPE name counter`: a labelled metric with no sample yet still names its exposed series.
    const type = /^# TYPE (\S+) (counter|histogram|gauge)$/.exec(line);
    if (type) {
      // prometheus_client 0.16 names a counter's family with its `_total`.
      const suffixes = { counter: [''], histogram: ['_bucket', '_count', '_sum'], gauge: [''] }[
        type[2] as 'counter' | 'histogram' | 'gauge'
      ];
      for (const suffix of suffixes) names.add(type[1] + suffix);
      continue;
    }
    if (!line || line.startsWith('#')) continue;
    const { name, labels } = parseSeries(line.replace(/\s+\S+$/, ''));
    const labelNames = Object.keys(labels).sort();
    shapes[name] = [labelNames];
    if (labels.le && !buckets[name]?.includes(labels.le)) (buckets[name] ??= []).push(labels.le);
  }
  return { shapes, buckets, names };
}

const django = djangoExposition();
const FLAVOURS: Record<string, Shapes> = { django: django.shapes, ...EXPORTERS };

const sameLabels = (a: string[], b: string[]) => [...a].sort().join(',') === [...b].sort().join(',');

describe('fleet recording rules', () => {
  it("read only what the fleet's exporters, the audit service, node_exporter and the kubelet write", () => {
    const known = new Set([
      ...django.names,
      ...Object.values(EXPORTERS).flatMap((shapes) => Object.keys(shapes)),
      ...Object.keys(OTHER_SOURCES),
    ]);
    expect([...exporterSeriesRead()].filter((name) => !known.has(name))).toEqual([]);
  });

  it('read every exporter flavour (django-prometheus, FastAPI, Flask, Vigil platform)', () => {
    const read = exporterSeriesRead();
    for (const [flavour, shapes] of Object.entries(FLAVOURS))
      expect({ flavour, reads: Object.keys(shapes).some((name) => read.has(name)) }).toEqual({
        flavour,
        reads: true,
      });
    for (const name of [
      'django_http_responses_total_by_status_view_method_total',
      'django_http_requests_latency_seconds_by_view_method_bucket',
      'django_http_requests_before_middlewares_total',
      'django_http_responses_before_middlewares_total',
      'django_db_execute_total',
      'django_db_errors_total',
      'django_db_query_duration_seconds_bucket',
      'django_db_new_connection_errors_total',
    ])
      expect({ name, exported: django.names.has(name), read: read.has(name) }).toEqual({
        name,
        exported: true,
        read: true,
      });
  });

  it('write the fleet: series of the contract (names other parts query)', () => {
    const recorded = recordedSeries();
    const contract = [
      'fleet:http_requests:rate5m',
      'fleet:http_request_duration_seconds_bucket:rate5m',
      'fleet:http_requests_5xx:ratio_rate5m',
      'fleet:http_requests_4xx:ratio_rate5m',
      'fleet:http_route_requests_5xx:ratio_rate5m',
      'fleet:http_request_duration_seconds:p50_5m',
      'fleet:http_request_duration_seconds:p95_5m',
      'fleet:http_request_duration_seconds:p99_5m',
      'fleet:http_route_request_duration_seconds:p95_5m',
      'fleet:http_route_request_duration_seconds:p99_5m',
      'fleet:http_requests_in_flight',
      'fleet:db_queries:rate5m',
      'fleet:db_query_errors:rate5m',
      'fleet:db_query_duration_seconds_bucket:rate5m',
    ];
    expect(contract.filter((name) => !recorded.has(name))).toEqual([]);
    expect([...recorded].filter((name) => !name.startsWith('fleet:'))).toEqual([]);
  });

  it('give every group a name unique over all rule files (the PrometheusRule holds them in one file)', () => {
    const names = ['fleet-recording', 'fleet', 'vigil'].flatMap((f) =>
      ruleGroups(`${RULES_DIR}/${f}.rules.yaml`).map((g) => g.name),
    );
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });
});

describe('promtool tests per exporter flavour (deploy/test/prometheus/fleet-<flavour>.rules.test.yaml)', () => {
  const flavourFile = (flavour: string) => `deploy/test/prometheus/fleet-${flavour}.rules.test.yaml`;

  it.each(Object.keys(FLAVOURS))('%s: input series are shaped as the exporter writes them', (flavour) => {
    const shapes = FLAVOURS[flavour];
    const problems: string[] = [];
    const inputs = ruleTest(flavourFile(flavour)).tests.flatMap((t) => t.input_series ?? []);
    for (const { series } of inputs) {
      const { name, labels } = parseSeries(series);
      const { job, instance, ...own } = labels;
      if (!job || !instance) problems.push(`${series}: no job or instance (Prometheus adds both)`);
      const allowed = shapes[name] ?? (flavour === 'django' && django.names.has(name) ? undefined : []);
      if (allowed && !allowed.some((shape) => sameLabels(shape, Object.keys(own))))
        problems.push(`${series}: ${name} is not written with labels {${Object.keys(own).join(',')}}`);
    }
    expect(problems).toEqual([]);
    expect(inputs.length).toBeGreaterThan(0);
  });

  it("django: histogram inputs carry the exporter's own buckets, written as it writes them", () => {
    const problems: string[] = [];
    const byHistogram = new Map<string, Set<string>>();
    for (const { series } of ruleTest(flavourFile('django')).tests.flatMap((t) => t.input_series ?? [])) {
      const { name, labels } = parseSeries(series);
      if (!labels.le) continue;
      const { le, ...rest } = labels;
      const key = `${name}${JSON.stringify(rest)}`;
      if (!byHistogram.has(key)) byHistogram.set(key, new Set());
      byHistogram.get(key)!.add(le);
      if (!django.buckets[name]?.includes(le))
        problems.push(`${series}: le="${le}" is not a bucket of ${name}`);
    }
    for (const [key, les] of byHistogram) {
      const name = key.slice(0, key.indexOf('{'));
      if (les.size !== django.buckets[name]?.length) problems.push(`${key}: ${les.size} buckets`);
    }
    expect(problems).toEqual([]);
    expect(byHistogram.size).toBeGreaterThan(0);
  });

  it('exist for every flavour and load the recording rules with the alert rules', () => {
    const files = ruleTestFiles();
    for (const flavour of Object.keys(FLAVOURS)) {
      const file = flavourFile(flavour);
      expect({ file, exists: files.includes(file) }).toEqual({ file, exists: true });
      expect(
        ruleTest(file).rule_files.map((f) =>
          path.relative(REPO_ROOT, path.resolve(REPO_ROOT, path.dirname(file), f)),
        ),
      ).toEqual([`${RULES_DIR}/fleet-recording.rules.yaml`, `${RULES_DIR}/fleet.rules.yaml`]);
    }
  });
});

describe('fleet alert rules', () => {
  const fleetAlerts = ruleGroups(`${RULES_DIR}/fleet.rules.yaml`).flatMap((g) => g.rules);

  it("leave Vigil's own services to vigil.rules.yaml (no alert twice)", () => {
    const vigilJobs = /job=~"([^"]+)"/.exec(
      ruleGroups(`${RULES_DIR}/vigil.rules.yaml`)[0].rules.find((r) => r.alert === 'VigilServiceDown')!.expr,
    )![1];
    const unfiltered = fleetAlerts
      .filter((r) => /fleet:(http|db)_|\bup\b/.test(r.expr))
      .filter((r) => !r.expr.includes(`service!~"${vigilJobs}"`) && !r.expr.includes(`job!~"${vigilJobs}"`))
      .map((r) => r.alert);
    expect(unfiltered).toEqual([]);
    const vigilNames = new Set(
      ruleGroups(`${RULES_DIR}/vigil.rules.yaml`).flatMap((g) => g.rules.map((r) => r.alert)),
    );
    expect(fleetAlerts.filter((r) => vigilNames.has(r.alert))).toEqual([]);
  });

  it("carry the seeds' priorities", () => {
    const severities = (name: string) =>
      fleetAlerts
        .filter((r) => r.alert === name)
        .map((r) => r.labels?.severity)
        .sort();
    expect(severities('HighErrorRate')).toEqual(['critical', 'high']);
    expect(severities('APILatency')).toEqual(['critical', 'high']);
    for (const name of ['PrivacyEnforcementFailures', 'AdminEconomyEdits', 'ServiceDown'])
      expect({ name, severities: severities(name) }).toEqual({ name, severities: ['critical'] });
    for (const name of ['SettingsSaveErrorRate', 'DatabaseConnectionPool', 'DiskSpace', 'LowSuccessRate'])
      expect({ name, severities: severities(name) }).toEqual({ name, severities: ['high'] });
    expect(severities('SlowQueries')).toEqual(['medium']);
  });

  it('include a Watchdog that always fires, labelled for alerting', () => {
    const watchdog = allRules().filter((r) => r.alert === 'Watchdog');
    expect(watchdog).toHaveLength(1);
    expect(watchdog[0].expr.trim()).toBe('vector(1)');
    expect(watchdog[0].for).toBeUndefined();
    expect(watchdog[0].labels).toEqual({ severity: 'low', watchdog: 'true', service: 'prometheus' });
  });
});

describe('Grafana dashboards over recorded and exported series', () => {
  /** Prometheus' own series and the kubelet/kube-state-metrics series the resource panels read. */
  const PROMETHEUS_OWN = new Set(['ALERTS', 'up']);
  const KUBERNETES = new Set([
    'container_cpu_usage_seconds_total',
    'container_memory_working_set_bytes',
    'kube_pod_container_resource_limits',
  ]);

  it('fleet-overview.json queries only fleet: series (and Prometheus and Kubernetes own), per service and endpoint', () => {
    const board = dashboard('fleet-overview.json');
    const recorded = recordedSeries();
    const problems = dashboardQueries(board).flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((name) => !recorded.has(name) && !PROMETHEUS_OWN.has(name) && !KUBERNETES.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(problems).toEqual([]);
    const variables = (board.templating?.list ?? []).map((v) => v.name);
    expect(variables).toEqual(expect.arrayContaining(['service', 'route']));
    const exprs = board.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    expect(exprs).toContain('service=~"$service"');
    expect(exprs).toContain('route=~"$route"');
  });

  it.each(dashboardFiles())(
    '%s names only series the rules record or the exporters and services export',
    (file) => {
      const allowed = new Set([
        ...recordedSeries(),
        ...exporterSeriesRead(),
        ...PROMETHEUS_OWN,
        ...KUBERNETES,
      ]);
      const vigilSource = vigilMetricSource();
      const problems = dashboardQueries(dashboard(file)).flatMap(({ where, expr }) =>
        metricNames(expr)
          .filter(
            (name) =>
              !allowed.has(name) && !vigilSource.includes(`'${name.replace(/_(bucket|sum|count)$/, '')}'`),
          )
          .map((name) => `${where}: ${name}`),
      );
      expect(problems).toEqual([]);
    },
  );

  it("fleet-overview.json has every panel of seed 000 §6.1 and seed 001's operational and API dashboards", () => {
    expect(
      topicsMissing(
        [dashboard('fleet-overview.json')],
        [
          'request volume',
          'profile, settings, api',
          '4xx and 5xx share',
          'error rate by endpoint',
          'p50 / p95 / p99',
          'latency p50 / p95 / p99 by endpoint',
          'slow endpoints',
          'db query count',
          'queries per request',
          'db query latency',
          'slow query count',
          'db connection pool',
          'privacy system health',
          'permission check failures',
          'privacy save errors',
          'admin activity',
          'wallet settings accesses',
          'bulk actions',
          'requests in flight',
          'uptime',
          'disk space',
          'memory and cpu',
        ],
      ),
    ).toEqual([]);
  });

  it('are all in the Kubernetes ConfigMap Grafana loads', () => {
    const kustomization = read('k8s/base/kustomization.yaml');
    for (const file of dashboardFiles())
      expect({ file, listed: kustomization.includes(`dashboards/${file}`) }).toEqual({ file, listed: true });
  });
});
