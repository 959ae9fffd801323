import { bearer, postAlerts, startAlerting, TEST_KEYS, type AlertingHarness } from './alerting-harness';

/** Every route of the Alertmanager API and Vigil's additions, with what it needs. */
const ROUTES: { method: string; path: string; scope: string | null }[] = [
  { method: 'GET', path: '/api/v2/alerts', scope: null },
  { method: 'GET', path: '/api/v2/alerts/groups', scope: null },
  { method: 'POST', path: '/api/v2/alerts', scope: 'alerts:write' },
  { method: 'GET', path: '/api/v2/silences', scope: null },
  { method: 'GET', path: '/api/v2/silence/00000000-0000-4000-8000-000000000000', scope: null },
  { method: 'POST', path: '/api/v2/silences', scope: 'silences:write' },
  { method: 'DELETE', path: '/api/v2/silence/00000000-0000-4000-8000-000000000000', scope: 'silences:write' },
  { method: 'GET', path: '/api/v2/status', scope: null },
  { method: 'GET', path: '/api/v2/receivers', scope: null },
  { method: 'POST', path: '/-/reload', scope: 'config:reload' },
  { method: 'POST', path: '/api/v2/alerts/abc/ack', scope: 'alerts:ack' },
  { method: 'POST', path: '/api/v2/alerts/abc/resolve', scope: 'alerts:ack' },
  { method: 'POST', path: '/api/v2/alerts/abc/false-positive', scope: 'alerts:ack' },
  { method: 'GET', path: '/alerts/history', scope: null },
  { method: 'GET', path: '/health/detailed', scope: 'health:detailed' },
];

describe('alerting API keys, scopes and input limits (real NATS + Postgres)', () => {
  let h: AlertingHarness;

  beforeAll(async () => {
    h = await startAlerting();
  });

  afterAll(async () => {
    await h?.stop();
  });

  const call = async (method: string, path: string, key?: string) => {
    const res = await fetch(`${h.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(key ? bearer(key) : {}) },
      ...(method === 'GET' ? {} : { body: '{}' }),
    });
    return {
      status: res.status,
      body: (await res.json().catch(() => null)) as Record<string, unknown> | null,
    };
  };

  it.each(ROUTES)('$method $path needs a key, and scope $scope', async ({ method, path, scope }) => {
    const anonymous = await call(method, path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: 'unauthorized' });
    const reader = await call(method, path, TEST_KEYS.reader);
    if (scope) {
      expect(reader.status).toBe(403);
      expect(reader.body).toMatchObject({ error: 'forbidden', details: { required_scope: scope } });
    } else {
      expect(reader.status).not.toBe(401);
      expect(reader.status).not.toBe(403);
    }
  });

  it("gives Prometheus' key alerts:write and nothing else", async () => {
    const posted = await postAlerts(h.base, []);
    expect(posted.status).toBe(200);
    const viaPrometheus = await fetch(`${h.base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(TEST_KEYS.prometheus) },
      body: JSON.stringify([{ labels: { alertname: 'AuthCheck' } }]),
    });
    expect(viaPrometheus.status).toBe(200);
    expect((await call('POST', '/api/v2/silences', TEST_KEYS.prometheus)).status).toBe(403);
  });

  it('refuses more than 1000 alerts in one POST with 413, and oversized labels with 400, both JSON', async () => {
    const tooMany = await postAlerts(
      h.base,
      Array.from({ length: 1001 }, (_, i) => ({ labels: { alertname: `Many${i}` } })),
    );
    expect(tooMany.status).toBe(413);
    expect(await tooMany.json()).toEqual({
      error: 'payload_too_large',
      message: 'invalid alerts: at most 1000 alerts per request (got 1001)',
      details: { max_alerts: 1000, alerts: 1001 },
    });
    const bigLabel = await postAlerts(h.base, [{ labels: { alertname: 'Big', note: 'x'.repeat(3000) } }]);
    expect(bigLabel.status).toBe(400);
    expect(await bigLabel.json()).toMatchObject({
      error: 'bad_request',
      details: [{ path: '[0].labels.note', message: 'label values must be at most 2048 bytes' }],
    });
    const huge = await postAlerts(
      h.base,
      JSON.stringify([{ labels: { alertname: 'Huge', x: 'y'.repeat(1_100_000) } }]),
    );
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({
      error: 'payload_too_large',
      details: { limit_bytes: 1048576 },
    });
  });
});
