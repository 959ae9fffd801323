import { parseMonitorBody } from './monitor-body';

describe('parseMonitorBody', () => {
  it('reads the YAML entry as JSON, with or without type', () => {
    const parsed = parseMonitorBody({
      name: 'export',
      cron: '0 3 * * 1',
      timezone: 'Europe/Berlin',
      grace: '2h',
    });
    expect(parsed).toMatchObject({
      ok: true,
      target: {
        kind: 'heartbeat',
        name: 'export',
        url: 'heartbeat:export',
        schedule: { kind: 'cron', expression: '0 3 * * 1', timeZone: 'Europe/Berlin' },
        graceMs: 7_200_000,
        token: null,
      },
      definition: {
        type: 'heartbeat',
        name: 'export',
        cron: '0 3 * * 1',
        timezone: 'Europe/Berlin',
        grace: '2h',
      },
    });
    expect(parseMonitorBody({ type: 'heartbeat', name: 'a', period: 60 }).ok).toBe(true);
  });

  it('names the first problem and lists them all', () => {
    const parsed = parseMonitorBody({ name: 'bad name!', period: 'often', min_duration: 5 });
    expect(parsed).toEqual({
      ok: false,
      problem: {
        message: expect.stringMatching(/^invalid heartbeat: name: must be 1-63 letters/),
        details: [
          { path: 'name', message: expect.stringMatching(/^must be 1-63 letters/) },
          {
            path: 'period',
            message: 'must be a duration like "90s", "5m", "1h", "1d" or a number of seconds',
          },
        ],
      },
    });
  });

  it('refuses other kinds, non-objects, unstorable text and server-side token sources', () => {
    expect(parseMonitorBody({ type: 'http', name: 'a', url: 'http://x/' })).toMatchObject({
      ok: false,
      problem: {
        message: "invalid heartbeat: type: must be 'heartbeat' (this API creates heartbeat monitors only)",
      },
    });
    for (const body of [null, 'x', [1], 3])
      expect(parseMonitorBody(body)).toMatchObject({
        ok: false,
        problem: { message: 'invalid heartbeat: (body): must be a JSON object' },
      });
    expect(parseMonitorBody({ name: 'a', period: 60, value: '> 1\u0000' })).toMatchObject({
      ok: false,
      problem: { details: [{ path: 'value', message: 'must not contain U+0000 (NUL)' }] },
    });
    for (const field of ['token_env', 'token_file'])
      expect(parseMonitorBody({ name: 'a', period: 60, [field]: 'HOME' })).toMatchObject({
        ok: false,
        problem: {
          message: `invalid heartbeat: ${field}: is not accepted by the API (a token is generated)`,
        },
      });
  });
});
