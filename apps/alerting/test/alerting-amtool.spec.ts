import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { startWebhookSink, type WebhookSink, tempDir } from '@vigil/testing';

import {
  about,
  api,
  bodyOf,
  postAlerts,
  startAlerting,
  TEST_KEYS,
  type AlertingHarness,
} from './alerting-harness';

const run = promisify(execFile);
const AMTOOL = '/usr/bin/amtool';

interface ListedAlert {
  labels: Record<string, string>;
  fingerprint: string;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
  receivers: { name: string }[];
}

function configYaml(sink: string, extraReceiver = ''): string {
  return `
global:
  resolve_timeout: 5m
route:
  receiver: chat
  group_by: [alertname, service]
  group_wait: 0s
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      continue: true
    - matchers: ['severity=~"critical|high"']
      receiver: chat
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="high"']
    equal: [service]
receivers:
  - name: pager
    webhook_configs:
      - url: ${sink}/pager
  - name: chat
    webhook_configs:
      - url: ${sink}/chat
${extraReceiver}`;
}

/** The real amtool (Debian prometheus-alertmanager 0.25) against the service, with a YAML route tree. */
describe('alerting with amtool and an Alertmanager config file (real amtool, Postgres, NATS, HTTP receivers)', () => {
  let h: AlertingHarness;
  let receivers: WebhookSink;
  let configFile: string;

  let httpConfig: { admin: string; reader: string };
  /** amtool with `--http.config.file` holding `authorization: {credentials: <key>}` (the admin key by default). */
  const amtoolAs = async (config: string | null, ...args: string[]): Promise<string> => {
    const auth = config ? [`--http.config.file=${config}`] : [];
    const { stdout } = await run(AMTOOL, [`--alertmanager.url=${h.base}`, ...auth, ...args], {
      timeout: 20_000,
    });
    return stdout;
  };
  const amtool = (...args: string[]) => amtoolAs(httpConfig.admin, ...args);
  const query = async (...args: string[]): Promise<ListedAlert[]> =>
    JSON.parse(await amtool('alert', 'query', '-o', 'json', ...args)) as ListedAlert[];

  beforeAll(async () => {
    receivers = await startWebhookSink();
    configFile = join(tempDir('vigil-alerting-'), 'alerting.yaml');
    writeFileSync(configFile, configYaml(receivers.url));
    const dir = tempDir('vigil-amtool-');
    httpConfig = { admin: join(dir, 'admin.yml'), reader: join(dir, 'reader.yml') };
    writeFileSync(httpConfig.admin, `authorization:\n  credentials: ${TEST_KEYS.admin}\n`);
    writeFileSync(httpConfig.reader, `authorization:\n  credentials: ${TEST_KEYS.reader}\n`);
    h = await startAlerting({ ALERTING_CONFIG_FILE: configFile, ALERT_WEBHOOK_URL: undefined });
  });

  afterAll(async () => {
    await h?.stop();
    await receivers?.stop();
  });

  it('accepts `amtool alert add`, lists it with `amtool alert query` and filters by matcher', async () => {
    await amtool(
      'alert',
      'add',
      'alertname=AmtoolDiskFull',
      'severity=low',
      'service=shop',
      '--annotation=summary=disk 95%',
    );
    await amtool('alert', 'add', 'alertname=AmtoolOther', 'severity=low', 'service=shop');

    const listed = await query('alertname=AmtoolDiskFull');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      labels: { alertname: 'AmtoolDiskFull', severity: 'low', service: 'shop' },
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
      receivers: [{ name: 'chat' }],
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const regex = await query('alertname=~"Amtool.*"', 'service="shop"');
    expect(regex.map((a) => a.labels.alertname).sort()).toEqual(['AmtoolDiskFull', 'AmtoolOther']);
    expect(await query('alertname!~"Amtool.*"', 'service="shop"')).toEqual([]);
    expect(await amtool('alert', 'query', 'alertname=AmtoolDiskFull')).toContain('AmtoolDiskFull');
  });

  it('routes by the tree: critical goes to pager and (continue) chat; low goes to the root receiver', async () => {
    expect(
      (
        await postAlerts(h.base, [
          { labels: { alertname: 'RoutedOutage', severity: 'critical', service: 'pay' } },
        ])
      ).status,
    ).toBe(200);
    const pager = await receivers.waitForRequest((r) => r.path === '/pager' && about('RoutedOutage')(r));
    const chat = await receivers.waitForRequest((r) => r.path === '/chat' && about('RoutedOutage')(r));
    expect(bodyOf(pager)).toMatchObject({
      receiver: 'pager',
      groupLabels: { alertname: 'RoutedOutage', service: 'pay' },
      groupKey: '{}/{severity="critical"}:{alertname="RoutedOutage", service="pay"}',
    });
    expect(bodyOf(chat).receiver).toBe('chat');

    const [listed] = await query('alertname=RoutedOutage');
    expect(listed.receivers.map((r) => r.name).sort()).toEqual(['chat', 'pager']);
    expect(await query('-r', 'pager', 'alertname=RoutedOutage')).toHaveLength(1);
    expect(await query('-r', 'nobody', 'alertname=RoutedOutage')).toHaveLength(0);
  });

  it('silences with `amtool silence add|query|expire`: a silenced alert is hidden, suppressed and not notified', async () => {
    const id = (
      await amtool('silence', 'add', 'alertname=SilencedNoise', '-c', 'maintenance window', '-d', '1h')
    ).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await amtool('silence', 'query', '-q')).split('\n')).toContain(id);
    expect((await amtool('silence', 'query', '-q', 'alertname=SilencedNoise')).trim()).toBe(id);
    expect((await amtool('silence', 'query', '-q', 'alertname=Other')).trim()).toBe('');

    await postAlerts(h.base, [{ labels: { alertname: 'SilencedNoise', severity: 'high', service: 'web' } }]);
    await postAlerts(h.base, [{ labels: { alertname: 'AfterSilence', severity: 'high', service: 'web' } }]);
    await receivers.waitForRequest(about('AfterSilence'));
    expect(receivers.requests.filter(about('SilencedNoise'))).toHaveLength(0);

    expect(await query('alertname=SilencedNoise')).toHaveLength(0);
    const [silenced] = await query('--silenced', 'alertname=SilencedNoise');
    expect(silenced.status).toEqual({ state: 'suppressed', silencedBy: [id], inhibitedBy: [] });

    const one = (await (await api(`${h.base}/api/v2/silence/${id}`)).json()) as Record<string, unknown>;
    expect(one).toMatchObject({
      id,
      status: { state: 'active' },
      createdBy: expect.any(String),
      comment: 'maintenance window',
      matchers: [{ name: 'alertname', value: 'SilencedNoise', isRegex: false, isEqual: true }],
    });

    await amtool('silence', 'expire', id);
    const expired = (await (await api(`${h.base}/api/v2/silence/${id}`)).json()) as {
      status: { state: string };
    };
    expect(expired.status.state).toBe('expired');
    expect((await amtool('silence', 'query', '-q')).split('\n')).not.toContain(id);
    expect((await amtool('silence', 'query', '-q', '--expired')).split('\n')).toContain(id);
    expect((await query('alertname=SilencedNoise'))[0].status.state).toBe('active');
  });

  it('answers Alertmanager status codes for bad or unknown silences', async () => {
    expect((await api(`${h.base}/api/v2/silence/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await api(`${h.base}/api/v2/silence/not-a-uuid`, { method: 'DELETE' })).status).toBe(404);
    const bad = await api(`${h.base}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: '.*', isRegex: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 60_000).toISOString(),
        createdBy: 'me',
        comment: 'matches everything',
      }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: 'bad_request',
      message: expect.stringMatching(/empty string/),
    });
  });

  it('inhibits a high alert while a critical one of the same service fires, and does not notify it', async () => {
    await postAlerts(h.base, [
      { labels: { alertname: 'DbDown', severity: 'critical', service: 'ledger' } },
      { labels: { alertname: 'SlowQueriesInhibited', severity: 'high', service: 'ledger' } },
      { labels: { alertname: 'SlowQueriesOther', severity: 'high', service: 'search' } },
    ]);
    await receivers.waitForRequest(about('SlowQueriesOther'));
    await receivers.waitForRequest(about('DbDown'));
    expect(receivers.requests.filter(about('SlowQueriesInhibited'))).toHaveLength(0);

    expect(await query('alertname=SlowQueriesInhibited')).toHaveLength(0);
    const [inhibited] = await query('--inhibited', 'alertname=SlowQueriesInhibited');
    const [source] = await query('alertname=DbDown');
    expect(inhibited.status).toEqual({
      state: 'suppressed',
      silencedBy: [],
      inhibitedBy: [source.fingerprint],
    });
  });

  it('lists groups by route and group_by, receivers, and the config in force with secrets masked', async () => {
    const groups = (await (
      await api(`${h.base}/api/v2/alerts/groups?filter=alertname%3DRoutedOutage`)
    ).json()) as {
      labels: Record<string, string>;
      receiver: { name: string };
      alerts: ListedAlert[];
    }[];
    expect(groups.map((g) => g.receiver.name).sort()).toEqual(['chat', 'pager']);
    for (const group of groups) {
      expect(group.labels).toEqual({ alertname: 'RoutedOutage', service: 'pay' });
      expect(group.alerts).toHaveLength(1);
    }
    const names = ((await (await api(`${h.base}/api/v2/receivers`)).json()) as { name: string }[]).map(
      (r) => r.name,
    );
    expect(names.sort()).toEqual(['chat', 'pager']);
    const status = (await (await api(`${h.base}/api/v2/status`)).json()) as {
      config: { original: string };
    };
    expect(status.config.original).toContain('receiver: pager');
    expect(status.config.original).not.toContain(receivers.url);
    expect(await amtool('config', 'show')).toContain('receiver: pager');
  });

  it('reloads the file on POST /-/reload, and keeps the old config when the new one is bad', async () => {
    const names = async () =>
      ((await (await api(`${h.base}/api/v2/receivers`)).json()) as { name: string }[])
        .map((r) => r.name)
        .sort();
    writeFileSync(
      configFile,
      configYaml(
        receivers.url,
        `  - name: digest\n    webhook_configs:\n      - url: ${receivers.url}/digest\n`,
      ),
    );
    expect((await api(`${h.base}/-/reload`, { method: 'POST' })).status).toBe(200);
    expect(await names()).toEqual(['chat', 'digest', 'pager']);

    writeFileSync(configFile, 'route:\n  receiver: missing\nreceivers:\n  - name: chat\n');
    const bad = await api(`${h.base}/-/reload`, { method: 'POST' });
    expect(bad.status).toBe(500);
    expect(((await bad.json()) as { message: string }).message).toMatch(
      /route\.receiver: unknown receiver "missing"/,
    );
    expect(await names()).toEqual(['chat', 'digest', 'pager']);

    writeFileSync(configFile, configYaml(receivers.url));
    const dir = tempDir('vigil-amtool-');
    httpConfig = { admin: join(dir, 'admin.yml'), reader: join(dir, 'reader.yml') };
    writeFileSync(httpConfig.admin, `authorization:\n  credentials: ${TEST_KEYS.admin}\n`);
    writeFileSync(httpConfig.reader, `authorization:\n  credentials: ${TEST_KEYS.reader}\n`);
    expect((await api(`${h.base}/-/reload`, { method: 'POST' })).status).toBe(200);
    expect(await names()).toEqual(['chat', 'pager']);
  });

  it('needs a key: amtool without one gets 401, with a read-only key may query but not silence', async () => {
    await expect(amtoolAs(null, 'alert', 'query')).rejects.toThrow(/401|[Uu]nauthorized/);
    await expect(amtoolAs(httpConfig.reader, 'alert', 'query')).resolves.toEqual(expect.any(String));
    await expect(
      amtoolAs(httpConfig.reader, 'silence', 'add', 'alertname=Nope', '-c', 'x', '-d', '1h'),
    ).rejects.toThrow(/403|[Ff]orbidden/);
  });
});
