import {
  MAX_EVENT_LOOP_BLOCK_MS,
  startWebhookSink,
  measuredBusyBlockMs,
  steadyEventLoopBlockMs,
  type WebhookSink,
} from '@vigil/testing';

import {
  api,
  postAlerts,
  startAlerting,
  writeAlertingConfig,
  type AlertingHarness,
} from './alerting-harness';

/**
 * Nested quantifiers that a backtracking engine explores at length on values of 40+ 'a's with no 'b':
 * polynomially here, of degree 7, so that the old engine's failure costs about a second per value even
 * once V8 has compiled the pattern to native code (the classic `(a+)+b` would block it for hours).
 */
const NESTED = '(a+){7}b';
const LONG_A = (extra: number) => 'a'.repeat(46 + extra);
/** A receiver whose name the nested pattern has to work through. */
const RECEIVER = LONG_A(2);

const json = async (res: Response): Promise<unknown> => {
  const text = await res.text();
  return text ? (JSON.parse(text) as unknown) : null;
};

/** User-supplied regular expressions run on RE2: linear time, Alertmanager's syntax (real NATS + Postgres). */
describe('alerting regular expressions (filters, silences, receivers)', () => {
  let h: AlertingHarness;
  let sink: WebhookSink;

  beforeAll(async () => {
    sink = await startWebhookSink();
    const file = writeAlertingConfig(`
route:
  receiver: ${RECEIVER}
  group_by: [alertname]
receivers:
  - name: ${RECEIVER}
    webhook_configs: [{ url: "${sink.url}/hooks" }]
`);
    h = await startAlerting({ ALERT_WEBHOOK_URL: undefined, ALERTING_CONFIG_FILE: file });
  });

  afterAll(async () => {
    await h?.stop();
    await sink?.stop();
  });

  const alert = (alertname: string, payload: string) => ({
    labels: { alertname, severity: 'low', service: 'regex', payload },
  });
  const silence = (value: string) =>
    api(`${h.base}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ name: 'payload', value, isRegex: true, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: 'regex-test',
        comment: 'nested quantifiers',
      }),
    });
  const listed = async (query: string) => {
    const res = await api(`${h.base}/api/v2/alerts?${query}`);
    expect(res.status).toBe(200);
    return ((await json(res)) as { labels: Record<string, string>; status: { state: string } }[])
      .filter((a) => a.labels.service === 'regex')
      .map((a) => `${a.labels.alertname}:${a.status.state}`)
      .sort();
  };

  it('measures a block: a 150 ms busy loop on every run is seen as over the bound', async () => {
    expect(await measuredBusyBlockMs(150)).toBeGreaterThan(MAX_EVENT_LOOP_BLOCK_MS);
  });

  it('keeps POST and GET of alerts under the bound while a nested-quantifier silence is in force', async () => {
    const silenceIds: string[] = [];
    const blocked = await steadyEventLoopBlockMs(async () => {
      const silenced = await silence(NESTED);
      expect(silenced.status).toBe(200);
      silenceIds.push(((await json(silenced)) as { silenceID: string }).silenceID);
      const posted = await postAlerts(h.base, [
        alert('Long1', LONG_A(0)),
        alert('Long2', LONG_A(1)),
        alert('Muted', `${LONG_A(0)}b`),
      ]);
      expect(posted.status).toBe(200);
      expect(await listed('')).toEqual(['Long1:active', 'Long2:active', 'Muted:suppressed']);
    });
    // The next tests measure their own regex alone.
    for (const id of silenceIds) {
      expect((await api(`${h.base}/api/v2/silence/${id}`, { method: 'DELETE' })).status).toBe(200);
    }
    expect(blocked).toBeLessThan(MAX_EVENT_LOOP_BLOCK_MS);
  });

  it('keeps GET /api/v2/alerts?filter=label=~"…" under the bound', async () => {
    await postAlerts(h.base, [alert('Filtered1', LONG_A(2)), alert('Filtered2', `${LONG_A(2)}b`)]);
    let matched: string[] = [];
    const blocked = await steadyEventLoopBlockMs(async () => {
      matched = await listed(`filter=${encodeURIComponent(`payload=~"${NESTED}"`)}`);
    });
    expect(matched).toEqual(['Filtered2:active', 'Muted:active']);
    expect(blocked).toBeLessThan(MAX_EVENT_LOOP_BLOCK_MS);
  });

  it('keeps a receiver filter under the bound, on /alerts and /alerts/groups', async () => {
    let none: string[] = [];
    let all: string[] = [];
    let groups: unknown;
    const blocked = await steadyEventLoopBlockMs(async () => {
      none = await listed(`receiver=${encodeURIComponent(NESTED)}`);
      all = await listed(`receiver=${encodeURIComponent('(a+){7}')}`);
      groups = await json(await api(`${h.base}/api/v2/alerts/groups?receiver=${encodeURIComponent(NESTED)}`));
    });
    expect(none).toEqual([]);
    expect(all).toEqual([
      'Filtered1:active',
      'Filtered2:active',
      'Long1:active',
      'Long2:active',
      'Muted:active',
    ]);
    expect(groups).toEqual([]);
    expect(blocked).toBeLessThan(MAX_EVENT_LOOP_BLOCK_MS);
  });

  it('answers 400 naming the matcher for syntax RE2 refuses (JavaScript accepted it)', async () => {
    const lookahead = await silence('(?=a)a+');
    expect(lookahead.status).toBe(400);
    expect(await json(lookahead)).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('payload=~"(?=a)a+"'),
    });

    const backreference = await api(
      `${h.base}/api/v2/alerts?filter=${encodeURIComponent('payload=~"(a)\\\\1"')}`,
    );
    expect(backreference.status).toBe(400);
    expect(await json(backreference)).toMatchObject({
      error: 'bad_request',
      message: expect.stringMatching(/invalid filter: .*payload=~.*invalid escape sequence/),
    });

    const receiver = await api(`${h.base}/api/v2/alerts?receiver=${encodeURIComponent('(?<=a)b')}`);
    expect(receiver.status).toBe(400);
    expect(await json(receiver)).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('invalid receiver'),
      details: { receiver: '(?<=a)b' },
    });
  });
});
