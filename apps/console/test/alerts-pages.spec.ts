import { hashApiKey } from '@vigil/platform';
import {
  freePort,
  runService,
  startNatsServer,
  startWebhookSink,
  testDatabaseUrl,
  type NatsServerHandle,
  type ServiceProcess,
  type WebhookSink,
} from '@vigil/testing';

import {
  CookieClient,
  OPERATOR,
  READER,
  startConsole,
  type ConsoleUnderTest,
  type TestKey,
} from './console-harness';

/** A key alerting accepts with no scope: it may read alerts, not act on them. */
const WATCHER: TestKey = { name: 'watcher', key: 'console-test-watcher-key-0123456789', scopes: [] };
const HOSTILE = '<script>alert(1)</script>';

interface RealAlerting {
  base: string;
  stop(): Promise<void>;
}

/** The built alerting service as a process, with its own NATS, database and webhook sink. */
async function startAlerting(keys: readonly TestKey[]): Promise<RealAlerting> {
  const [nats, databaseUrl, sink, port]: [NatsServerHandle, string, WebhookSink, number] = await Promise.all([
    startNatsServer(),
    testDatabaseUrl(),
    startWebhookSink(),
    freePort(),
  ]);
  const service: ServiceProcess = await runService({
    app: 'alerting',
    env: {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      ENVIRONMENT: 'test',
      ALERT_WEBHOOK_URL: `${sink.url}/hooks/alerts`,
      API_KEYS: JSON.stringify(
        keys.map((k) => ({ name: k.name, hash: hashApiKey(k.key, { N: 1024 }), scopes: k.scopes })),
      ),
    },
  });
  await service.waitForReady(port, 60_000);
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      await service.stop();
      await sink.stop();
      await nats.stop();
    },
  };
}

describe('alerts and silences pages (console against the real alerting service)', () => {
  let alerting: RealAlerting;
  let consoleUnderTest: ConsoleUnderTest;

  beforeAll(async () => {
    alerting = await startAlerting([OPERATOR, WATCHER]);
    consoleUnderTest = await startConsole({
      keys: [READER, OPERATOR, WATCHER],
      env: { ALERTING_URL: alerting.base },
    });
  }, 120_000);

  afterAll(async () => {
    await consoleUnderTest?.stop();
    await alerting?.stop();
  });

  async function fire(
    labels: Record<string, string>,
    annotations: Record<string, string> = {},
  ): Promise<string> {
    const answer = await fetch(`${alerting.base}/api/v2/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR.key}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ labels, annotations }]),
    });
    expect(answer.status).toBe(200);
    const listed = await fetch(`${alerting.base}/api/v2/alerts?filter=alertname="${labels['alertname']}"`, {
      headers: { authorization: `Bearer ${OPERATOR.key}` },
    });
    const [alert] = (await listed.json()) as { fingerprint: string }[];
    if (alert === undefined) throw new Error(`alert ${labels['alertname']} not listed`);
    return alert.fingerprint;
  }

  async function signedIn(key: TestKey): Promise<CookieClient> {
    const browser = new CookieClient(consoleUnderTest.base);
    expect((await browser.login(key.key)).status).toBe(303);
    return browser;
  }

  it('lists firing alerts P1 first, hostile labels and annotations escaped', async () => {
    await fire({ alertname: 'QueueSlow', severity: 'low', service: 'jobs' });
    await fire(
      { alertname: 'WalletDown', severity: 'critical', service: 'wallet', evil: HOSTILE },
      { summary: HOSTILE },
    );
    const browser = await signedIn(OPERATOR);
    const page = await (await browser.get('/alerts')).text();
    expect(page.indexOf('WalletDown')).toBeGreaterThan(-1);
    expect(page.indexOf('WalletDown')).toBeLessThan(page.indexOf('QueueSlow'));
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain(HOSTILE);
    const filtered = await (await browser.get('/alerts?severity=low&service=jobs')).text();
    expect(filtered).toContain('QueueSlow');
    expect(filtered).not.toContain('WalletDown');
  });

  it('pages by priority, reading only the severities the page needs', async () => {
    const lows = Array.from({ length: 55 }, (_, i) => ({
      labels: { alertname: `Backlog${i}`, severity: 'low', service: 'paging' },
      annotations: {},
    }));
    const posted = await fetch(`${alerting.base}/api/v2/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(lows),
    });
    expect(posted.status).toBe(200);
    await fire({ alertname: 'PagingDown', severity: 'critical', service: 'paging' });
    await fire({ alertname: 'PagingOdd', severity: 'weird', service: 'paging' });
    const browser = await signedIn(OPERATOR);
    const first = await (await browser.get('/alerts?service=paging')).text();
    // Page 1 is full before the alerts of no known severity were read: it says so and offers the next page.
    expect(first).toMatch(/at least 56 alerts · page 1/);
    expect(first.indexOf('PagingDown')).toBeLessThan(first.indexOf('Backlog'));
    expect(first).not.toContain('PagingOdd');
    expect(first).toContain('rel="next"');
    const second = await (await browser.get('/alerts?service=paging&page=2')).text();
    expect(second).toMatch(/57 alerts · page 2 of 2/);
    expect(second).toContain('PagingOdd');
    expect(second).not.toContain('rel="next"');
  });

  it('streams a new alert to an open page as a server-sent event', async () => {
    const browser = await signedIn(OPERATOR);
    const answer = await browser.get('/alerts/stream', { accept: 'text/event-stream' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/event-stream');
    const reader = answer.body?.getReader();
    if (reader === undefined) throw new Error('no stream body');
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`stream ended before ${needle}`);
        received += decoder.decode(chunk.value as Uint8Array);
      }
    };
    await readUntil(': connected');
    await fire({ alertname: 'PaymentsDown', severity: 'critical', service: 'payments' });
    await readUntil('"alertname":"PaymentsDown"');
    expect(received).toMatch(
      /event: change\nid: \S+\ndata: \{[^\n]*"event":"fired"[^\n]*"alertname":"PaymentsDown"/,
    );
    await reader.cancel();
  }, 30_000);

  it('acknowledges an alert with a comment as the signed-in person', async () => {
    const fingerprint = await fire({ alertname: 'DiskFull', severity: 'high', service: 'db' });
    const browser = await signedIn(OPERATOR);
    const detail = await (await browser.get(`/alerts/${fingerprint}`)).text();
    expect(detail).toContain(`action="/alerts/${fingerprint}/ack"`);
    const token = await browser.csrf(`/alerts/${fingerprint}`);
    const acked = await browser.postForm(`/alerts/${fingerprint}/ack`, { _csrf: token, comment: 'on it' });
    expect(acked.status).toBe(303);
    expect(acked.headers.get('location')).toBe(`/alerts/${fingerprint}?notice=Alert%20acknowledged`);
    const after = await (await browser.get(`/alerts/${fingerprint}`)).text();
    expect(after).toContain('acknowledged by <strong>operator</strong>');
    expect(after).toContain('on it');
    const list = await (await browser.get('/alerts?state=acknowledged')).text();
    expect(list).toContain('DiskFull');
    expect(list).not.toContain('QueueSlow');
  });

  it('silences an alert from its page with a preview, then expires the silence', async () => {
    const fingerprint = await fire({ alertname: 'CacheMiss', severity: 'medium', service: 'cache' });
    const browser = await signedIn(OPERATOR);
    const form = await (await browser.get(`/silences/new?from=${fingerprint}`)).text();
    expect(form).toContain('alertname=&quot;CacheMiss&quot;');
    expect(form).toMatch(/Preview: 1 firing alert would be silenced/);
    const token = await browser.csrf('/silences');
    const created = await browser.postForm('/silences', {
      _csrf: token,
      matchers: 'alertname="CacheMiss"\nservice="cache"',
      duration: '1h',
      createdBy: 'operator',
      comment: 'cache warming',
    });
    expect(created.status).toBe(303);
    const list = await (await browser.get('/silences')).text();
    const id = /action="\/silences\/([^/"]+)\/expire"/.exec(list)?.[1];
    expect(id).toBeDefined();
    expect(list).toContain('cache warming');
    const silencedList = await (await browser.get('/alerts?state=silenced')).text();
    expect(silencedList).toContain('CacheMiss');
    const expired = await browser.postForm(`/silences/${id}/expire`, { _csrf: token });
    expect(expired.status).toBe(303);
    const afterList = await (await browser.get('/silences')).text();
    expect(afterList).not.toContain(`action="/silences/${id}/expire"`);
    expect(afterList).toMatch(/<td>expired<\/td>/);
  });

  it('keeps a bad silence form with its input and the reason', async () => {
    const browser = await signedIn(OPERATOR);
    const token = await browser.csrf('/silences');
    const answer = await browser.postForm('/silences', {
      _csrf: token,
      matchers: 'alertname="X"\nthis is wrong',
      duration: '1h',
      createdBy: 'operator',
      comment: 'typo',
    });
    expect(answer.status).toBe(400);
    const page = await answer.text();
    expect(page).toContain('matcher 2');
    expect(page).toContain('this is wrong');
  });

  it('shows a read-only key no write buttons, and alerting refuses its forged post', async () => {
    const fingerprint = await fire({ alertname: 'ReadOnlyProbe', severity: 'critical', service: 'probe' });
    const browser = await signedIn(WATCHER);
    const detail = await (await browser.get(`/alerts/${fingerprint}`)).text();
    expect(detail).toContain('ReadOnlyProbe');
    expect(detail).not.toContain(`action="/alerts/${fingerprint}/ack"`);
    expect(detail).not.toContain('/silences/new');
    expect(await (await browser.get('/silences')).text()).not.toContain('New silence');
    const token = await browser.csrf(`/alerts/${fingerprint}`);
    const forged = await browser.postForm(`/alerts/${fingerprint}/ack`, { _csrf: token, comment: 'sneaky' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('alerting:');
    const history = await fetch(`${alerting.base}/alerts/history?fingerprint=${fingerprint}`, {
      headers: { authorization: `Bearer ${OPERATOR.key}` },
    });
    const { events } = (await history.json()) as { events: { event: string }[] };
    expect(events.map((e) => e.event)).toEqual(['fired']);
  });

  it('answers 404 for an alert nobody has seen', async () => {
    const browser = await signedIn(OPERATOR);
    expect((await browser.get('/alerts/0123456789abcdef')).status).toBe(404);
    expect((await browser.get('/alerts/not-a-fingerprint')).status).toBe(404);
  });
});
