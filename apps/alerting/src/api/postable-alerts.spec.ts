import { parsePostableAlerts } from './postable-alerts';

describe('parsePostableAlerts', () => {
  it('maps Prometheus-style alerts (nanosecond timestamps, generatorURL) into incoming alerts', () => {
    const result = parsePostableAlerts([
      {
        labels: { alertname: 'HighErrorRate', severity: 'critical', env: '' },
        annotations: { summary: 'errors' },
        startsAt: '2026-11-22T10:00:00.123456789Z',
        endsAt: '2026-11-22T11:04:00+01:00',
        generatorURL: 'http://prometheus:9090/graph',
      },
    ]);
    expect(result).toEqual({
      ok: true,
      alerts: [
        {
          labels: { alertname: 'HighErrorRate', severity: 'critical' },
          annotations: { summary: 'errors' },
          startsAt: new Date('2026-11-22T10:00:00.123Z'),
          endsAt: new Date('2026-11-22T10:04:00Z'),
          generatorURL: 'http://prometheus:9090/graph',
        },
      ],
    });
  });

  it('treats missing fields and Go zero times as not set', () => {
    const result = parsePostableAlerts([
      { labels: { alertname: 'A' }, endsAt: '0001-01-01T00:00:00Z', generatorURL: '' },
    ]);
    expect(result).toEqual({
      ok: true,
      alerts: [
        {
          labels: { alertname: 'A' },
          annotations: {},
          startsAt: undefined,
          endsAt: undefined,
          generatorURL: undefined,
        },
      ],
    });
  });

  it.each([
    [{ labels: { alertname: 'A' } }, '(body)'],
    [[{ labels: { severity: 'high' } }], '[0].labels.alertname'],
    [
      [{ labels: { alertname: 'A' } }, { labels: { alertname: 'B', 'bad-name': 'x' } }],
      '[1].labels.bad-name',
    ],
    [[{ labels: { alertname: 'A', n: 3 } }], '[0].labels.n'],
    [[{ labels: { alertname: 'A' }, startsAt: 'yesterday' }], '[0].startsAt'],
    [
      [{ labels: { alertname: 'A' }, startsAt: '2026-11-22T10:00:00Z', endsAt: '2026-11-22T09:00:00Z' }],
      '[0].endsAt',
    ],
    [[{ annotations: {} }], '[0].labels'],
  ])('rejects %j naming %s', (body, path) => {
    const result = parsePostableAlerts(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => p.path)).toContain(path);
  });
});
