import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  freePort,
  runService,
  startNatsServer,
  startWebhookSink,
  testDatabaseUrl,
  waitFor,
  type NatsServerHandle,
  type WebhookSink,
  tempDir,
} from '@vigil/testing';

import { api, TEST_API_KEYS } from './alerting-harness';

const config = (sink: string, receivers: string[]) => `
route:
  receiver: ${receivers[0]}
receivers:
${receivers.map((name) => `  - name: ${name}\n    webhook_configs:\n      - url: ${sink}/${name}\n`).join('')}`;

/** The built service as a process (apps/alerting/dist/main.js): boot validation and SIGHUP reload. */
describe('alerting process with ALERTING_CONFIG_FILE', () => {
  let nats: NatsServerHandle;
  let sink: WebhookSink;
  let dir: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    sink = await startWebhookSink();
    dir = tempDir('vigil-alerting-process-');
  });

  afterAll(async () => {
    await sink?.stop();
    await nats?.stop();
  });

  /** A process's env on a free port, with `yaml` written to `dir/<name>` as ALERTING_CONFIG_FILE. */
  const processEnv = async (name: string, yaml: string, extra: Record<string, string> = {}) => {
    const file = join(dir, name);
    writeFileSync(file, yaml);
    const port = await freePort();
    const env = {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: await testDatabaseUrl(),
      ALERTING_CONFIG_FILE: file,
      API_KEYS: TEST_API_KEYS,
      LOG_LEVEL: 'warn',
      ...extra,
    };
    return { file, port, env };
  };

  it('refuses to boot on an invalid file with one line naming the variable, the file and the path inside it', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `route:\n  receiver: chat\n  routes:\n    - receiver: pager\n      matchers: ['severity=~"("']\nreceivers:\n  - name: chat\n`,
    );
    const service = await runService({
      app: 'alerting',
      env: {
        PORT: String(await freePort()),
        NATS_URL: nats.url,
        DATABASE_URL: await testDatabaseUrl(),
        ALERTING_CONFIG_FILE: file,
      },
    });
    const exit = await service.waitForExit();
    expect(exit.code).toBe(1);
    expect(service.output()).toMatch(
      /invalid configuration: ALERTING_CONFIG_FILE: .*bad\.yaml: route\.routes\[0\]\.matchers\[0\]: invalid regular expression/,
    );
  });

  it('reloads the file on SIGHUP', async () => {
    const { file, port, env } = await processEnv('good.yaml', config(sink.url, ['chat']));
    const service = await runService({ app: 'alerting', env });
    try {
      await service.waitForReady(port);
      const names = async () =>
        ((await (await api(`http://127.0.0.1:${port}/api/v2/receivers`)).json()) as { name: string }[])
          .map((r) => r.name)
          .sort()
          .join();
      expect(await names()).toBe('chat');
      writeFileSync(file, config(sink.url, ['chat', 'pager']));
      service.kill('SIGHUP');
      await waitFor(async () => (await names()) === 'chat,pager', { description: 'receivers after SIGHUP' });
    } finally {
      expect((await service.stop()).code).toBe(0);
    }
  });

  it('keeps queued notifications and pending groups across a SIGKILL and a receiver outage, sending each once', async () => {
    const { port, env } = await processEnv(
      'outage.yaml',
      `route:\n  receiver: team\n  group_by: [alertname]\n  group_wait: 0s\n  group_interval: 1s\nreceivers:\n  - name: team\n    webhook_configs:\n      - url: ${sink.url}/outage\n`,
      {
        DELIVERY_POLL_MS: '100',
        DELIVERY_RETRY_BASE_MS: '200',
        DELIVERY_MAX_ATTEMPTS: '50',
        // A notification claimed when the process dies is retried after the lease; keep it short here.
        WEBHOOK_TIMEOUT_MS: '500',
        DELIVERY_LEASE_MARGIN_MS: '500',
      },
    );
    const ofOutage = (r: { path: string; rawBody: string }) =>
      r.path === '/outage' && r.rawBody.includes('Outage');
    sink.respondWith(503);
    const first = await runService({ app: 'alerting', env });
    await first.waitForReady(port);
    const post = await api(`http://127.0.0.1:${port}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'Outage', severity: 'critical' } }]),
    });
    expect(post.status).toBe(200);
    // The receiver is down: the notification is attempted and waits for a retry when the process dies.
    await waitFor(() => sink.requests.filter(ofOutage).length >= 1, { description: 'a failed attempt' });
    first.kill('SIGKILL');
    expect((await first.waitForExit()).signal).toBe('SIGKILL');

    sink.respondWith(200);
    const second = await runService({ app: 'alerting', env });
    try {
      await second.waitForReady(port);
      await waitFor(() => sink.requests.some((r) => ofOutage(r) && r.status === 200), {
        timeoutMs: 20_000,
        description: 'delivery after restart',
      });
      // A later alert of another group, delivered after it, shows the queue has moved on: nothing twice.
      await api(`http://127.0.0.1:${port}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ labels: { alertname: 'AfterRestart' } }]),
      });
      await waitFor(() => sink.requests.some((r) => r.rawBody.includes('AfterRestart')));
      expect(sink.requests.filter((r) => ofOutage(r) && r.status === 200)).toHaveLength(1);
    } finally {
      sink.respondWith(200);
      expect((await second.stop()).code).toBe(0);
    }
  });

  it('keeps every alert it answered 200 for across a SIGKILL right after the answers', async () => {
    const { port, env } = await processEnv('journal.yaml', config(sink.url, ['journal']));
    const first = await runService({ app: 'alerting', env });
    await first.waitForReady(port);
    // Requests arriving together are journalled (one applies directly, the others wait in the journal).
    const batches = Array.from({ length: 20 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => ({
        labels: { alertname: 'Journalled', instance: `i-${b}-${i}` },
      })),
    );
    const answers = await Promise.all(
      batches.map((batch) =>
        api(`http://127.0.0.1:${port}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        }),
      ),
    );
    first.kill('SIGKILL');
    expect(answers.map((answer) => answer.status)).toEqual(batches.map(() => 200));
    expect((await first.waitForExit()).signal).toBe('SIGKILL');

    const second = await runService({ app: 'alerting', env });
    try {
      await second.waitForReady(port);
      const listed = (await (
        await api(
          `http://127.0.0.1:${port}/api/v2/alerts?filter=${encodeURIComponent('alertname="Journalled"')}`,
        )
      ).json()) as { labels: { instance: string } }[];
      expect(new Set(listed.map((alert) => alert.labels.instance)).size).toBe(1000);
    } finally {
      expect((await second.stop()).code).toBe(0);
    }
  });
});
