import { parsePostableAlerts } from './postable-alerts';

/** The same alerts as objects with another prototype: the hand-written path declines them, the schema reads them. */
const viaSchema = (body: unknown[]) =>
  parsePostableAlerts(
    body.map((alert) => Object.assign(Object.create({ viaSchema: true }) as object, alert)),
  );

describe('parsePostableAlerts: the hand-written path agrees with the schema', () => {
  it.each([
    [[{ labels: { alertname: 'A' } }]],
    [[{ labels: { alertname: 'A', env: '' }, annotations: { summary: 'é ☃' }, extra: 1 }]],
    [
      [
        {
          labels: { alertname: 'HighErrorRate', severity: 'critical' },
          annotations: {},
          startsAt: '2026-11-22T10:00:00.123456789Z',
          endsAt: '2026-11-22T11:04:00+01:00',
          generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
        },
        { labels: { alertname: 'B' }, endsAt: '0001-01-01T00:00:00Z', generatorURL: '' },
      ],
    ],
    [[{ labels: { alertname: 'A' }, startsAt: '2026-13-45T10:00:00Z' }]],
    [[{ labels: { alertname: 'A' }, startsAt: '2026-11-22T10:00:00Z', endsAt: '2026-11-22T09:00:00Z' }]],
    [[{ labels: { alertname: 'A' }, generatorURL: 'not a url' }]],
    [[{ labels: { alertname: 'A', 'bad-name': 'x' } }]],
    [[{ labels: { alertname: '' } }]],
    [[{ labels: { alertname: 'A', n: 3 } }]],
    [[{ labels: { alertname: 'A' }, annotations: null }]],
    [[{ labels: { alertname: 'A', x: 'v'.repeat(3000) } }]],
    [[{ labels: { alertname: 'A', x: 'é'.repeat(1000) } }]],
    [[{ labels: { alertname: 'A', x: 'é'.repeat(1025) } }]],
  ])('%j', (body) => {
    const fast = parsePostableAlerts(body);
    const schema = viaSchema(body);
    expect(fast).toEqual(schema);
  });

  it('is really taken for a plain batch (the schema path gives the same alerts)', () => {
    const body = [{ labels: { alertname: 'A', service: 'shop' }, annotations: { summary: 's' } }];
    expect(parsePostableAlerts(body)).toEqual({
      ok: true,
      alerts: [
        {
          labels: { alertname: 'A', service: 'shop' },
          annotations: { summary: 's' },
          startsAt: undefined,
          endsAt: undefined,
          generatorURL: undefined,
        },
      ],
    });
  });
});
