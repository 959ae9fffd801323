import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { parse as parseYaml, parseAllDocuments } from 'yaml';

import { startWebhookSink, tempDir, type WebhookSink } from '@vigil/testing';

import type { LabelSet } from '../src/model/alert';
import { groupKeyOf, groupLabelsOf, inhibitedBy, matchRoutes } from '../src/routing/routing-config';
import { parseRoutingConfig } from '../src/routing/routing-config.loader';
import { postAlerts, sleep, startAlerting, type AlertingHarness } from './alerting-harness';

const run = promisify(execFile);
const REPO = join(__dirname, '../../..');
const K8S_ROUTES = join(REPO, 'k8s/base/alerting-routes.yaml');
const COMPOSE_ROUTES = join(REPO, 'docker/alerting-routes.yaml');
/** Where k8s/base/alerting.yaml and docker/compose.yaml mount the receiver credentials. */
const SECRETS_DIR = '/etc/vigil-secrets';

/** Labels exactly as each sender sets them (apps/health target-state, apps/audit detectors, fleet.rules.yaml). */
const SENT = {
  detectorEconomyEdit: {
    alertname: 'AdminEconomyFieldChanged',
    severity: 'critical',
    service: 'audit',
    source: 'shop',
    actor_id: 'admin-7',
  },
  prometheusEconomyEdits: {
    alertname: 'AdminEconomyEdits',
    severity: 'critical',
    service: 'shop',
    source: 'shop',
  },
  healthServiceDown: { alertname: 'ServiceDown', severity: 'critical', service: 'shop', target: 'shop' },
  prometheusServiceDown: {
    alertname: 'ServiceDown',
    severity: 'critical',
    service: 'shop',
    job: 'shop',
    instance: 'shop:8000',
  },
} satisfies Record<string, LabelSet>;

/** The shipped file with its credential files replaced by test ones in `dir` (same names as the Secret's keys). */
function withSecretsIn(file: string, dir: string, slackUrl: string): string {
  writeFileSync(join(dir, 'pagerduty-routing-key'), 'test-routing-key\n');
  writeFileSync(join(dir, 'slack-api-url'), `${slackUrl}\n`);
  return readFileSync(file, 'utf8').replaceAll(`${SECRETS_DIR}/`, `${dir}/`);
}

describe('the shipped routing (k8s/base/alerting-routes.yaml, docker/alerting-routes.yaml)', () => {
  const dir = tempDir('vigil-shipped-routes-');
  const config = parseRoutingConfig(
    withSecretsIn(K8S_ROUTES, dir, 'https://hooks.slack.example/T/B/X'),
    K8S_ROUTES,
    300_000,
  );
  const receiversOf = (labels: LabelSet) => matchRoutes(config.route, labels).map((route) => route.receiver);
  const kindsOf = (receiver: string) => config.receivers.get(receiver)?.integrations.map((i) => i.kind);
  const firing = (labels: LabelSet) => ({ fingerprint: JSON.stringify(labels), labels });

  it('pages P1 (critical) on PagerDuty and Slack, posts P2 (high) to Slack, keeps P3 for the daily digest', () => {
    expect(receiversOf({ alertname: 'HighErrorRate', severity: 'critical', service: 'shop' })).toEqual([
      'p1-page',
    ]);
    expect(kindsOf('p1-page')).toEqual(['slack', 'pagerduty']);
    expect(receiversOf({ alertname: 'APILatency', severity: 'high', service: 'shop' })).toEqual(['p2-chat']);
    expect(kindsOf('p2-chat')).toEqual(['slack']);
    for (const severity of ['medium', 'low']) {
      expect(receiversOf({ alertname: 'SlowQueries', severity, service: 'shop' })).toEqual([
        'p3-daily-digest',
      ]);
    }
    expect(kindsOf('p3-daily-digest')).toEqual([]);
  });

  it('takes every credential from the mounted Secret files', () => {
    const [slack, pagerduty] = config.receivers.get('p1-page')?.integrations ?? [];
    expect(slack).toMatchObject({ kind: 'slack', apiUrl: 'https://hooks.slack.example/T/B/X' });
    expect(pagerduty).toMatchObject({
      kind: 'pagerduty',
      routingKey: 'test-routing-key',
      url: 'https://events.pagerduty.com/v2/enqueue',
    });
    const text = readFileSync(K8S_ROUTES, 'utf8');
    expect(text).toContain(`routing_key_file: ${SECRETS_DIR}/pagerduty-routing-key`);
    expect(text).not.toMatch(/routing_key:|api_url:|auth_password:/);
  });

  it.each([
    [
      'an admin economy edit (audit detector + Prometheus)',
      SENT.detectorEconomyEdit,
      SENT.prometheusEconomyEdits,
    ],
    ['a service down (health + Prometheus)', SENT.healthServiceDown, SENT.prometheusServiceDown],
  ])('groups %s into one page and inhibits the second sender', (_, first, second) => {
    const [a] = matchRoutes(config.route, first);
    const [b] = matchRoutes(config.route, second);
    expect(a.receiver).toBe('p1-page');
    expect(groupKeyOf(a, groupLabelsOf(a, first))).toBe(groupKeyOf(b, groupLabelsOf(b, second)));
    expect(inhibitedBy(config.inhibitRules, firing(second), [firing(first)])).toEqual([
      firing(first).fingerprint,
    ]);
    expect(inhibitedBy(config.inhibitRules, firing(first), [firing(second)])).toEqual([]);
    // Another app's edit or outage is its own page.
    const elsewhere = { ...second, service: 'profile', source: 'profile', job: 'profile' };
    expect(inhibitedBy(config.inhibitRules, firing(elsewhere), [firing(first)])).toEqual([]);
  });

  it('names only credential files that the k8s Secret and the compose secrets put there', () => {
    const credentialFiles = (value: unknown): string[] =>
      value && typeof value === 'object'
        ? Object.entries(value).flatMap(([key, v]) =>
            key.endsWith('_file') && typeof v === 'string' ? [v] : credentialFiles(v),
          )
        : [];
    const named = credentialFiles(parseYaml(readFileSync(K8S_ROUTES, 'utf8'))).sort();
    expect(named.length).toBeGreaterThan(0);

    interface Pod {
      containers: { name: string; volumeMounts: { name: string; mountPath: string }[] }[];
      volumes: { name: string; secret?: { secretName: string } }[];
    }
    const deployment = parseAllDocuments(readFileSync(join(REPO, 'k8s/base/alerting.yaml'), 'utf8'))
      .map((doc) => doc.toJS() as { kind: string; spec: { template: { spec: Pod } } })
      .find((doc) => doc.kind === 'Deployment');
    const pod = deployment?.spec.template.spec;
    const mount = pod?.containers[0].volumeMounts.find((m) => m.mountPath === SECRETS_DIR);
    const secretName = pod?.volumes.find((v) => v.name === mount?.name)?.secret?.secretName;
    const example = parseYaml(
      readFileSync(join(REPO, 'k8s/base/alerting-receivers.secret.example.yaml'), 'utf8'),
    ) as { metadata: { name: string }; stringData: Record<string, string> };
    expect(secretName).toBe(example.metadata.name);
    const inSecret = Object.keys(example.stringData).map((key) => `${SECRETS_DIR}/${key}`);
    expect(inSecret.sort()).toEqual([...new Set(named)]);

    const compose = parseYaml(readFileSync(join(REPO, 'docker/compose.yaml'), 'utf8')) as {
      services: { alerting: { secrets: { target: string }[] } };
    };
    expect(compose.services.alerting.secrets.map((s) => s.target).sort()).toEqual(inSecret);
  });

  it('is the same tree in compose, but for PagerDuty-shaped calls going to the alert-sink stand-in', () => {
    const k8s = parseYaml(readFileSync(K8S_ROUTES, 'utf8')) as { global: Record<string, unknown> };
    const compose = parseYaml(readFileSync(COMPOSE_ROUTES, 'utf8')) as { global: Record<string, unknown> };
    expect(compose.global.pagerduty_url).toBe('http://alert-sink:8080/pagerduty');
    delete compose.global.pagerduty_url;
    expect(compose).toEqual(k8s);
  });

  it('routes the same with amtool (Alertmanager 0.25 accepts the file as it is)', async () => {
    const routes = (...labels: string[]) =>
      run('/usr/bin/amtool', ['config', 'routes', 'test', `--config.file=${K8S_ROUTES}`, ...labels]).then(
        ({ stdout }) => stdout.trim(),
      );
    await expect(routes('alertname=X', 'severity=critical')).resolves.toBe('p1-page');
    await expect(routes('alertname=X', 'severity=high')).resolves.toBe('p2-chat');
    await expect(routes('alertname=X', 'severity=low')).resolves.toBe('p3-daily-digest');
    await expect(routes('alertname=AdminEconomyEdits', 'severity=critical', 'source=shop')).resolves.toBe(
      'p1-page',
    );
  });
});

/** The shipped k8s file in the running service (timings shortened): one incident reaches each integration once. */
describe('the shipped routing delivering (real Postgres, NATS, HTTP receivers)', () => {
  let h: AlertingHarness;
  /** PagerDuty and Slack stand-in: /pagerduty and /slack. */
  let sink: WebhookSink;
  const pagesAndPosts = () =>
    sink.requests.map((r) => r.path).filter((path) => path === '/pagerduty' || path === '/slack');

  beforeAll(async () => {
    const dir = tempDir('vigil-shipped-routes-');
    sink = await startWebhookSink();
    const yaml = withSecretsIn(K8S_ROUTES, dir, `${sink.url}/slack`)
      .replace('global:\n', `global:\n  pagerduty_url: ${sink.url}/pagerduty\n`)
      .replaceAll(/group_wait: \d+s/g, 'group_wait: 300ms')
      .replace('group_interval: 5m', 'group_interval: 1s');
    const file = join(dir, 'alerting.yaml');
    writeFileSync(file, yaml);
    h = await startAlerting({ ALERTING_CONFIG_FILE: file, ALERT_WEBHOOK_URL: undefined });
  });

  afterAll(async () => {
    await h?.stop();
    await sink?.stop();
  });

  /** Posts `first`, then `second` a little later (as the slower sender), waits past group_interval. */
  async function incident(first: LabelSet, second: LabelSet): Promise<string[]> {
    const before = sink.requests.length;
    expect((await postAlerts(h.base, [{ labels: first }])).status).toBe(200);
    await sink.waitForRequest((r) => sink.requests.indexOf(r) >= before && r.path === '/pagerduty');
    expect((await postAlerts(h.base, [{ labels: second }])).status).toBe(200);
    await sleep(3000);
    return sink.requests.slice(before).map((r) => r.path);
  }

  it.each([
    ['an admin economy edit', SENT.detectorEconomyEdit, SENT.prometheusEconomyEdits, 'profile'],
    ['a service down', SENT.healthServiceDown, SENT.prometheusServiceDown, 'billing'],
  ])('tells PagerDuty and Slack once about %s seen by two senders', async (_, first, second, other) => {
    expect((await incident(first, second)).sort()).toEqual(['/pagerduty', '/slack']);
    // The same second alert of another app alone does page in that time: the quiet above is inhibition.
    const alone = { ...second, service: other, source: other, job: other };
    const before = pagesAndPosts().length;
    expect((await postAlerts(h.base, [{ labels: alone }])).status).toBe(200);
    await sleep(3000);
    expect(pagesAndPosts().slice(before).sort()).toEqual(['/pagerduty', '/slack']);
  });

  it('tells nobody at once about a P3 alert', async () => {
    const before = sink.requests.length;
    expect(
      (await postAlerts(h.base, [{ labels: { alertname: 'Noise', severity: 'low', service: 'x' } }])).status,
    ).toBe(200);
    await postAlerts(h.base, [{ labels: { alertname: 'Chat', severity: 'high', service: 'x' } }]);
    await sink.waitForRequest((r) => sink.requests.indexOf(r) >= before && r.path === '/slack');
    await sleep(1500);
    expect(sink.requests.slice(before).map((r) => r.path)).toEqual(['/slack']);
  });
});
