import { PostAlertsRoute } from '../src/api/post-alerts.route';
import {
  about,
  bearer,
  postAlerts,
  startAlerting,
  TEST_KEYS,
  type AlertingHarness,
} from './alerting-harness';

describe('POST /api/v2/alerts ahead of Nest (PostAlertsRoute; real NATS + Postgres)', () => {
  let h: AlertingHarness;
  let handled: jest.SpyInstance;

  beforeAll(async () => {
    h = await startAlerting();
    handled = jest.spyOn(h.app.get(PostAlertsRoute), 'handle');
  });

  afterAll(async () => {
    handled?.mockRestore();
    await h?.stop();
  });

  it('accepts alerts itself, echoes the request id and notifies', async () => {
    const calls = handled.mock.calls.length;
    const res = await fetch(`${h.base}/api/v2/alerts`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...bearer(TEST_KEYS.prometheus),
        'x-request-id': 'am-post-1',
      },
      body: JSON.stringify([{ labels: { alertname: 'FastRouteAlert', severity: 'high' } }]),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(res.headers.get('x-request-id')).toBe('am-post-1');
    expect(handled.mock.calls.length).toBe(calls + 1);
    await h.sink.waitForRequest(about('FastRouteAlert', 'firing'), 15_000);
  });

  it('keeps ALERT_LIMITS and the validation errors', async () => {
    const calls = handled.mock.calls.length;
    const tooMany = await postAlerts(
      h.base,
      Array.from({ length: 1001 }, (_, i) => ({ labels: { alertname: `Many${i}` } })),
    );
    expect(tooMany.status).toBe(413);
    expect(await tooMany.json()).toMatchObject({ error: 'payload_too_large', details: { max_alerts: 1000 } });
    const missing = await postAlerts(h.base, [{ labels: { severity: 'high' } }]);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: 'bad_request',
      message: 'invalid alerts: [0].labels.alertname: labels.alertname is required',
      details: [{ path: '[0].labels.alertname', message: 'labels.alertname is required' }],
    });
    expect(handled.mock.calls.length).toBe(calls + 2);
  });

  it('leaves a body Express would not read as JSON to the controller, with the same answer', async () => {
    const calls = handled.mock.calls.length;
    const res = await fetch(`${h.base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer() },
      body: '[]',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('(body)'),
    });
    expect(handled.mock.calls.length).toBe(calls);
  });
});
