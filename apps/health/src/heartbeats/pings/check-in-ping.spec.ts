import { pingOfCheckIn, readCheckIn } from './check-in-ping';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const checkIn = {
  project_id: '1',
  check_in_id: 'a'.repeat(32),
  monitor_slug: 'nightly-backup',
  status: 'ok',
  duration_s: 1.25,
  received_at: '2026-12-07T02:00:00.000Z',
};

describe('Sentry check-ins as pings', () => {
  it('maps in_progress, ok and error to start, success and fail, with the run id and duration', () => {
    const read = readCheckIn(encode(checkIn));
    if (!read.ok) throw new Error(read.detail);
    expect(pingOfCheckIn(read.checkIn)).toEqual({
      monitor: 'nightly-backup',
      kind: 'success',
      exitCode: null,
      rid: 'a'.repeat(32),
      value: null,
      durationMs: 1250,
      body: null,
      via: 'sentry',
      receivedAt: new Date('2026-12-07T02:00:00.000Z'),
    });
    const kinds = (['in_progress', 'error'] as const).map((status) => {
      const r = readCheckIn(encode({ ...checkIn, status }));
      return r.ok ? pingOfCheckIn(r.checkIn).kind : r.reason;
    });
    expect(kinds).toEqual(['start', 'fail']);
  });

  it('tells JSON and schema problems apart (their DLQ reasons)', () => {
    expect(readCheckIn(new TextEncoder().encode('{oops'))).toMatchObject({ ok: false, reason: 'json' });
    expect(readCheckIn(encode({ ...checkIn, status: 'maybe' }))).toMatchObject({
      ok: false,
      reason: 'schema',
      detail: expect.stringContaining('status') as string,
    });
  });
});
