import {
  about,
  api,
  bodyOf,
  postAlerts,
  sleep,
  startAlerting,
  type AlertingHarness,
} from './alerting-harness';

/** Alertmanager API over HTTP → Postgres → outbox → a real HTTP webhook receiver. */
describe('alerting delivery (HTTP API, real Postgres, real webhook receiver)', () => {
  let h: AlertingHarness;

  beforeAll(async () => {
    h = await startAlerting({ DELIVERY_MAX_ATTEMPTS: '3' });
  });

  afterAll(async () => {
    await h?.stop();
  });

  const alert = (alertname: string, overrides: Record<string, unknown> = {}) => ({
    labels: { alertname, severity: 'critical', service: 'shop', instance: 'shop-1:8080' },
    annotations: { summary: 'error rate above 5%', description: 'call the on-call, jane.doe@example.com' },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    generatorURL: 'http://prometheus:9090/graph?g0.expr=rate(errors[5m])',
    ...overrides,
  });

  it('delivers a posted alert as a redacted Alertmanager version 4 payload, answering 200 with an empty body', async () => {
    const res = await postAlerts(h.base, [alert('CheckoutErrors')]);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');

    const request = await h.sink.waitForRequest(about('CheckoutErrors'));
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks/alerts');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.rawBody).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/);
    const body = bodyOf(request);
    expect(body).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'default',
      groupKey:
        '{}:{alertname="CheckoutErrors", instance="shop-1:8080", service="shop", severity="critical"}',
      commonLabels: {
        alertname: 'CheckoutErrors',
        severity: 'critical',
        service: 'shop',
        instance: 'shop-1:8080',
      },
      commonAnnotations: {
        summary: 'error rate above 5%',
        description: 'call the on-call, [REDACTED:email]',
      },
      externalURL: expect.stringMatching(/^http:\/\//),
    });
    expect(body.alerts).toHaveLength(1);
    expect(body.alerts[0]).toMatchObject({
      status: 'firing',
      labels: { alertname: 'CheckoutErrors' },
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=rate(errors[5m])',
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('does not notify again when the same firing alert is re-sent (labels in another order), but lists it once', async () => {
    const first = alert('DiskFull');
    expect((await postAlerts(h.base, [first])).status).toBe(200);
    await h.sink.waitForRequest(about('DiskFull'));

    // Prometheus re-sends firing alerts on every evaluation; the label order is irrelevant.
    const reordered = {
      ...first,
      labels: { instance: 'shop-1:8080', service: 'shop', severity: 'critical', alertname: 'DiskFull' },
    };
    expect((await postAlerts(h.base, [reordered])).status).toBe(200);
    expect((await postAlerts(h.base, [{ ...first, startsAt: undefined }])).status).toBe(200);
    await sleep(1500);
    expect(h.sink.requests.filter(about('DiskFull'))).toHaveLength(1);

    const listed = (await (await api(`${h.base}/api/v2/alerts`)).json()) as Record<string, unknown>[];
    const disk = listed.filter((a) => (a.labels as Record<string, string>).alertname === 'DiskFull');
    expect(disk).toHaveLength(1);
    expect(disk[0]).toMatchObject({
      fingerprint: bodyOf(h.sink.requests.find(about('DiskFull'))!).alerts[0].fingerprint,
      startsAt: first.startsAt,
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
      receivers: [{ name: 'default' }],
      annotations: { description: 'call the on-call, [REDACTED:email]' },
    });
    expect(Date.parse(disk[0].endsAt as string)).toBeGreaterThan(Date.now() + 200_000);
    expect(Date.parse(disk[0].updatedAt as string)).not.toBeNaN();
  });

  it('notifies the resolution once when the alert is re-sent with an endsAt in the past', async () => {
    const firing = alert('QueueBacklog');
    await postAlerts(h.base, [firing]);
    await h.sink.waitForRequest(about('QueueBacklog', 'firing'));

    const resolved = { ...firing, endsAt: new Date().toISOString() };
    await postAlerts(h.base, [resolved]);
    await postAlerts(h.base, [resolved]);
    const request = await h.sink.waitForRequest(about('QueueBacklog', 'resolved'));
    expect(bodyOf(request).alerts[0]).toMatchObject({
      status: 'resolved',
      endsAt: resolved.endsAt,
      startsAt: firing.startsAt,
    });
    await sleep(1000);
    expect(h.sink.requests.filter(about('QueueBacklog'))).toHaveLength(2);
    const listed = (await (await api(`${h.base}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
    }[];
    expect(listed.some((a) => a.labels.alertname === 'QueueBacklog')).toBe(false);
  });

  it('retries a delivery the receiver answered with 500, and delivers it once the receiver recovers', async () => {
    h.sink.respondWith(500);
    await postAlerts(h.base, [alert('PaymentsDown')]);
    const failed = await h.sink.waitForRequest((r) => about('PaymentsDown')(r) && r.status === 500);
    h.sink.respondWith(200);
    const delivered = await h.sink.waitForRequest((r) => about('PaymentsDown')(r) && r.status === 200);
    expect(delivered.receivedAt.getTime() - failed.receivedAt.getTime()).toBeGreaterThanOrEqual(150);
    expect(delivered.rawBody).toBe(failed.rawBody);
    await sleep(800);
    expect(h.sink.requests.filter(about('PaymentsDown'))).toHaveLength(2);
  });

  it('gives up after DELIVERY_MAX_ATTEMPTS attempts, and at once when the receiver rejects the request', async () => {
    h.sink.respondWith(503);
    await postAlerts(h.base, [alert('CacheCold')]);
    await h.sink.waitForRequest(
      (r) => about('CacheCold')(r) && h.sink.requests.filter(about('CacheCold')).length >= 3,
      10_000,
    );
    h.sink.respondWith(422);
    await postAlerts(h.base, [alert('CacheWarm')]);
    await h.sink.waitForRequest(about('CacheWarm'));
    await sleep(1500);
    h.sink.respondWith(200);
    expect(h.sink.requests.filter(about('CacheCold'))).toHaveLength(3);
    expect(h.sink.requests.filter(about('CacheWarm'))).toHaveLength(1);
  });

  it('rejects a bad body with 400 JSON naming the index and field, and stores nothing from it', async () => {
    const res = await postAlerts(h.base, [alert('Fine'), { labels: { severity: 'low' }, annotations: {} }]);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as {
      error: string;
      message: string;
      details: { path: string; message: string }[];
    };
    expect(body).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('[1].labels.alertname'),
    });
    expect(body.details).toEqual([expect.objectContaining({ path: '[1].labels.alertname' })]);

    const notArray = await postAlerts(h.base, { labels: { alertname: 'X' } });
    expect(notArray.status).toBe(400);
    expect(await notArray.json()).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('(body)'),
    });

    const notJson = await postAlerts(h.base, '[{"labels": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'bad_request' });

    await sleep(500);
    expect(h.sink.requests.filter(about('Fine'))).toHaveLength(0);
  });

  it('serves a minimal Alertmanager status', async () => {
    const res = await api(`${h.base}/api/v2/status`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      cluster: { status: 'ready', peers: [] },
      versionInfo: { version: expect.any(String) },
      config: { original: '' },
      uptime: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('exports its own counters on /metrics', async () => {
    const text = await (await fetch(`${h.base}/metrics`)).text();
    expect(text).toMatch(/^alerting_alerts_received_total\{source="api"\} \d+/m);
    expect(text).toMatch(/^alerting_notification_attempts_total\{result="delivered"\} \d+/m);
    expect(text).toMatch(/^alerting_notification_attempts_total\{result="failed"\} \d+/m);
  });
});
