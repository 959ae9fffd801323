import { ALERT_LIMITS, parsePostableAlerts, type BodyProblem } from './postable-alerts';

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
    expect(!result.ok && 'problems' in result && result.problems.map((p) => p.path)).toContain(path);
  });

  const problemsOf = (body: unknown): BodyProblem[] => {
    const result = parsePostableAlerts(body);
    return !result.ok && 'problems' in result ? result.problems : [];
  };

  it('refuses a batch over the limit before reading it', () => {
    const batch = Array.from({ length: ALERT_LIMITS.alertsPerPost + 1 }, () => ({ labels: {} }));
    expect(parsePostableAlerts(batch)).toEqual({
      ok: false,
      tooMany: { alerts: ALERT_LIMITS.alertsPerPost + 1, max: ALERT_LIMITS.alertsPerPost },
    });
    const full = Array.from({ length: ALERT_LIMITS.alertsPerPost }, (_, i) => ({
      labels: { alertname: `A${i}` },
    }));
    expect(parsePostableAlerts(full).ok).toBe(true);
  });

  it('limits label count, label name and value size, annotation count and size', () => {
    const many = Object.fromEntries(
      Array.from({ length: ALERT_LIMITS.labelsPerAlert }, (_, i) => [`l${i}`, 'v']),
    );
    expect(problemsOf([{ labels: { alertname: 'A', ...many } }])).toEqual([
      { path: '[0].labels', message: `at most ${ALERT_LIMITS.labelsPerAlert} labels per alert` },
    ]);
    expect(
      problemsOf([{ labels: { alertname: 'A', x: 'v'.repeat(ALERT_LIMITS.labelValueBytes + 1) } }]),
    ).toEqual([
      { path: '[0].labels.x', message: `label values must be at most ${ALERT_LIMITS.labelValueBytes} bytes` },
    ]);
    expect(
      problemsOf([{ labels: { alertname: 'A', ['n'.repeat(ALERT_LIMITS.labelNameBytes + 1)]: 'v' } }])[0],
    ).toMatchObject({
      message: `label names must be at most ${ALERT_LIMITS.labelNameBytes} bytes`,
    });
    // Multi-byte characters count in bytes, not characters.
    expect(
      problemsOf([{ labels: { alertname: 'A', x: 'é'.repeat(ALERT_LIMITS.labelValueBytes / 2 + 1) } }]),
    ).toHaveLength(1);
    const annotations = Object.fromEntries(
      Array.from({ length: ALERT_LIMITS.annotationsPerAlert + 1 }, (_, i) => [`a${i}`, 'v']),
    );
    expect(problemsOf([{ labels: { alertname: 'A' }, annotations }])[0]).toMatchObject({
      path: '[0].annotations',
    });
    expect(
      problemsOf([
        { labels: { alertname: 'A' }, annotations: { d: 'x'.repeat(ALERT_LIMITS.annotationValueBytes + 1) } },
      ]),
    ).toHaveLength(1);
    expect(
      problemsOf([
        { labels: { alertname: 'A' }, annotations: { d: 'x'.repeat(ALERT_LIMITS.annotationValueBytes) } },
      ]),
    ).toEqual([]);
  });
});
