import { api, startAlerting, type AlertingHarness } from './alerting-harness';

/** A JSON text carrying the escapes JSON.stringify writes for NUL and a lone surrogate. */
const NUL = '\u0000';
const LONE = '\ud800';
const YEAR_10000 = '9999-12-31T23:00:00-05:00';
const YEAR_0 = '0001-01-01T00:30:00+01:00';

const silence = (overrides: Record<string, unknown>) => ({
  matchers: [{ name: 'alertname', value: 'Disk', isRegex: false, isEqual: true }],
  startsAt: new Date().toISOString(),
  endsAt: new Date(Date.now() + 3_600_000).toISOString(),
  createdBy: 'on-call',
  comment: 'maintenance',
  ...overrides,
});

const alert = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  labels: { alertname: 'Disk', severity: 'high', ...labels },
  ...extra,
});

/**
 * Each request below was answered 5xx (Postgres refused the value) or 200 and then never applied:
 * every one now gets a 400 JSON body naming the field, and nothing is stored.
 */
const CASES: { name: string; method: string; path: string; body?: unknown; field: string }[] = [
  {
    name: 'alert label with a lone surrogate',
    method: 'POST',
    path: '/api/v2/alerts',
    body: [alert({ host: `a${LONE}` })],
    field: 'host',
  },
  {
    name: 'alert label with NUL',
    method: 'POST',
    path: '/api/v2/alerts',
    body: [alert({ host: `a${NUL}b` })],
    field: 'host',
  },
  {
    name: 'alert annotation name with NUL',
    method: 'POST',
    path: '/api/v2/alerts',
    body: [alert({}, { annotations: { [`x${NUL}`]: 'y' } })],
    field: 'annotations',
  },
  {
    name: 'alert startsAt in year 10000 UTC',
    method: 'POST',
    path: '/api/v2/alerts',
    body: [alert({}, { startsAt: YEAR_10000 })],
    field: 'startsAt',
  },
  {
    name: 'alert endsAt in year 0 UTC',
    method: 'POST',
    path: '/api/v2/alerts',
    body: [alert({}, { endsAt: YEAR_0 })],
    field: 'endsAt',
  },
  {
    name: 'silence comment with NUL',
    method: 'POST',
    path: '/api/v2/silences',
    body: silence({ comment: `a${NUL}` }),
    field: 'comment',
  },
  {
    name: 'silence createdBy with a lone surrogate',
    method: 'POST',
    path: '/api/v2/silences',
    body: silence({ createdBy: LONE }),
    field: 'createdBy',
  },
  {
    name: 'silence matcher value with NUL',
    method: 'POST',
    path: '/api/v2/silences',
    body: silence({ matchers: [{ name: 'a', value: NUL, isRegex: false }] }),
    field: 'value',
  },
  {
    name: 'silence ending in year 10000 UTC',
    method: 'POST',
    path: '/api/v2/silences',
    body: silence({ endsAt: YEAR_10000 }),
    field: 'endsAt',
  },
  {
    name: 'silence id with NUL',
    method: 'POST',
    path: '/api/v2/silences',
    body: silence({ id: NUL }),
    field: 'id',
  },
  {
    name: 'silence comment over its limit',
    method: 'POST',
    path: '/api/v2/silences',
    body: silence({ comment: 'x'.repeat(16 * 1024 + 1) }),
    field: 'comment',
  },
  { name: 'silence id path with NUL', method: 'GET', path: '/api/v2/silence/%00', field: 'path' },
  { name: 'silence expiry path with NUL', method: 'DELETE', path: '/api/v2/silence/a%00b', field: 'path' },
  { name: 'silence path that is not UTF-8', method: 'GET', path: '/api/v2/silence/%ff', field: 'path' },
  {
    name: 'alert filter with NUL',
    method: 'GET',
    path: '/api/v2/alerts?filter=alertname%3D%22%00%22',
    field: 'query',
  },
  { name: 'group filter with NUL', method: 'GET', path: '/api/v2/alerts/groups?filter=%00', field: 'query' },
  {
    name: 'history fingerprint with NUL',
    method: 'GET',
    path: '/alerts/history?fingerprint=%00',
    field: 'query',
  },
  {
    name: 'history from in year 10000 UTC',
    method: 'GET',
    path: `/alerts/history?from=${encodeURIComponent(YEAR_10000)}`,
    field: 'from',
  },
  {
    name: 'history to in year 0 UTC',
    method: 'GET',
    path: `/alerts/history?to=${encodeURIComponent(YEAR_0)}`,
    field: 'to',
  },
  {
    name: 'ack of a fingerprint with NUL',
    method: 'POST',
    path: '/api/v2/alerts/%00/ack',
    body: { who: 'on-call' },
    field: 'path',
  },
  {
    name: 'ack with a lone surrogate in who',
    method: 'POST',
    path: '/api/v2/alerts/abc/ack',
    body: { who: LONE },
    field: 'who',
  },
  {
    name: 'resolve comment with NUL',
    method: 'POST',
    path: '/api/v2/alerts/abc/resolve',
    body: { who: 'a', comment: NUL },
    field: 'comment',
  },
];

describe('alerting refuses what Postgres cannot store, with a 400 naming the field (real NATS + Postgres)', () => {
  let h: AlertingHarness;

  beforeAll(async () => {
    h = await startAlerting();
  });

  afterAll(async () => {
    await h?.stop();
  });

  it.each(CASES)('$name → 400 JSON', async ({ method, path, body, field }) => {
    const res = await api(`${h.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as { error: string; message: string; details?: unknown };
    expect(res.status).toBe(400);
    expect(json.error).toBe('bad_request');
    expect(`${json.message} ${JSON.stringify(json.details ?? null)}`).toContain(field);
  });

  it('stored none of the refused alerts, and still takes a valid one', async () => {
    const ok = await api(`${h.base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([alert({ host: 'db-1 বাংলা 😀' })]),
    });
    expect(ok.status).toBe(200);
    let listed: { labels: Record<string, string> }[] = [];
    for (let i = 0; i < 50 && listed.length === 0; i++) {
      const res = await api(`${h.base}/api/v2/alerts`);
      listed = (await res.json()) as typeof listed;
      if (listed.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(listed.map((a) => a.labels.host)).toEqual(['db-1 বাংলা 😀']);
  });
});
