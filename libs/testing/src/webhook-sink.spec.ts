import { startWebhookSink } from './webhook-sink';

describe('startWebhookSink', () => {
  it('records requests, parses JSON bodies and simulates outages', async () => {
    const sink = await startWebhookSink();
    try {
      const waiting = sink.waitForRequest((r) => r.path === '/alerts');
      const first = await fetch(`${sink.url}/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
        body: JSON.stringify({ alertname: 'HighErrorRate' }),
      });
      expect(first.status).toBe(200);
      const recorded = await waiting;
      expect(recorded).toMatchObject({
        method: 'POST',
        path: '/alerts',
        body: { alertname: 'HighErrorRate' },
      });
      expect(recorded.headers['x-request-id']).toBe('req-1');

      sink.respondWith(503);
      const down = await fetch(`${sink.url}/alerts?try=2`, { method: 'POST', body: 'not json' });
      expect(down.status).toBe(503);
      expect(sink.requests[1]).toMatchObject({ path: '/alerts?try=2', body: 'not json', status: 503 });

      sink.respondWith(200);
      expect((await fetch(sink.url)).status).toBe(200);
      expect(sink.requests).toHaveLength(3);
    } finally {
      await sink.stop();
    }
  });
});
