import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, startWebhookSink, waitFor, type WebhookSink } from '@vigil/testing';

import {
  about,
  api,
  bodyOf,
  sleep,
  startAlerting,
  TEST_KEYS,
  type AlertingHarness,
} from './alerting-harness';

const PROMETHEUS = '/usr/bin/prometheus';
/** VigilWatchdogMissing after this long without Prometheus' Watchdog (WATCHDOG_TIMEOUT_S). */
const WATCHDOG_TIMEOUT_MS = 3000;

/** A real Prometheus (Debian 2.42) whose rules always fire (one is its Watchdog), with the service as its Alertmanager. */
describe('alerting as the Alertmanager of a real Prometheus', () => {
  let h: AlertingHarness;
  let sink: WebhookSink;
  let prometheus: ChildProcess;
  let dir: string;

  beforeAll(async () => {
    sink = await startWebhookSink();
    dir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
    const config = join(dir, 'alerting.yaml');
    writeFileSync(
      config,
      `route:\n  receiver: chat\n  group_by: [alertname]\n  group_wait: 0s\nreceivers:\n  - name: chat\n    webhook_configs:\n      - url: ${sink.url}/chat\n`,
    );
    h = await startAlerting({
      ALERT_WEBHOOK_URL: undefined,
      ALERTING_CONFIG_FILE: config,
      WATCHDOG_TIMEOUT_S: String(WATCHDOG_TIMEOUT_MS / 1000),
      WATCHDOG_CHECK_INTERVAL_MS: '200',
    });
    writeFileSync(
      join(dir, 'rules.yml'),
      `groups:
  - name: vigil-test
    interval: 1s
    rules:
      - alert: PrometheusAlwaysFiring
        expr: vector(1)
        labels: { severity: high, service: prometheus-test }
        annotations: { summary: "fires on every evaluation" }
      - alert: Watchdog
        expr: vector(1)
        labels: { severity: low, watchdog: "true" }
`,
    );
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:
  evaluation_interval: 1s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - api_version: v2
      authorization:
        credentials: ${TEST_KEYS.prometheus}
      static_configs:
        - targets: ['${new URL(h.base).host}']
`,
    );
    const port = await freePort();
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
        // The first send can come before the Alertmanager is discovered (it is then dropped); re-send soon.
        '--rules.alert.resend-delay=1s',
      ],
      { stdio: 'ignore' },
    );
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null && prometheus.signalCode === null) {
      const exited = new Promise((resolve) => prometheus.once('exit', resolve));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await h?.stop();
    await sink?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('receives the firing alert over /api/v2/alerts, notifies once, and lists it', async () => {
    const request = await sink.waitForRequest(about('PrometheusAlwaysFiring'), 30_000);
    expect(bodyOf(request)).toMatchObject({
      receiver: 'chat',
      status: 'firing',
      commonLabels: { alertname: 'PrometheusAlwaysFiring', severity: 'high', service: 'prometheus-test' },
      commonAnnotations: { summary: 'fires on every evaluation' },
    });
    expect(bodyOf(request).alerts[0].generatorURL).toMatch(/^http:\/\/.*\/graph\?g0\.expr=vector/);

    // Prometheus re-sends it on every evaluation; the service updates it, never duplicates it.
    const listed = await waitFor(
      async () => {
        const alerts = (await (
          await api(`${h.base}/api/v2/alerts?filter=alertname%3DPrometheusAlwaysFiring`)
        ).json()) as {
          updatedAt: string;
        }[];
        return alerts.length === 1 && alerts[0].updatedAt > request.receivedAt.toISOString() ? alerts : null;
      },
      { timeoutMs: 20_000, description: 'a re-sent alert updating the stored one' },
    );
    expect(listed).toHaveLength(1);
    expect(sink.requests.filter(about('PrometheusAlwaysFiring'))).toHaveLength(1);
  });

  it("tells nobody about Prometheus' Watchdog, and raises VigilWatchdogMissing once Prometheus stops", async () => {
    const mentionsWatchdog = (alertname: string) =>
      sink.requests.filter((r) => bodyOf(r).alerts.some((alert) => alert.labels.alertname === alertname));
    // The rule beside it is told at once (group_wait 0s): so would the Watchdog be, were it routed.
    await sink.waitForRequest(about('PrometheusAlwaysFiring'), 30_000);
    await sleep(WATCHDOG_TIMEOUT_MS + 1000);
    expect(mentionsWatchdog('Watchdog')).toEqual([]);
    expect(mentionsWatchdog('VigilWatchdogMissing')).toEqual([]);

    const exited = new Promise((resolve) => prometheus.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
    const stoppedAt = Date.now();
    const fired = await sink.waitForRequest(about('VigilWatchdogMissing', 'firing'), 20_000);
    // Prometheus re-sent the Watchdog every second (resend-delay 1s) until it stopped.
    expect(fired.receivedAt.getTime() - stoppedAt).toBeGreaterThanOrEqual(WATCHDOG_TIMEOUT_MS - 1500);
    expect(bodyOf(fired).commonLabels).toMatchObject({ severity: 'critical', service: 'alerting' });
  });
});
