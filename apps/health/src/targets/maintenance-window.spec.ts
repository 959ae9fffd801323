import { describeMaintenanceWindow, isWindowActiveAt, type MaintenanceWindow } from './maintenance-window';

const at = (iso: string) => new Date(iso);
const ms = (iso: string, delta: number) => new Date(Date.parse(iso) + delta);

describe('maintenance windows', () => {
  it('a one-off window covers [start, end): its first millisecond, not its end', () => {
    const window: MaintenanceWindow = {
      kind: 'once',
      start: '2026-12-24T21:00:00.000Z',
      end: '2026-12-25T01:00:00.000Z',
    };
    expect(isWindowActiveAt(window, ms('2026-12-24T21:00:00.000Z', -1))).toBe(false);
    expect(isWindowActiveAt(window, at('2026-12-24T21:00:00.000Z'))).toBe(true);
    expect(isWindowActiveAt(window, ms('2026-12-25T01:00:00.000Z', -1))).toBe(true);
    expect(isWindowActiveAt(window, at('2026-12-25T01:00:00.000Z'))).toBe(false);
  });

  it('a recurring window covers [firing, firing + duration) of each firing', () => {
    const nightly: MaintenanceWindow = {
      kind: 'recurring',
      schedule: { expression: '0 2 * * *', timeZone: 'UTC' },
      durationMs: 3_600_000,
    };
    expect(isWindowActiveAt(nightly, ms('2026-12-07T02:00:00.000Z', -1))).toBe(false);
    expect(isWindowActiveAt(nightly, at('2026-12-07T02:00:00.000Z'))).toBe(true);
    expect(isWindowActiveAt(nightly, at('2026-12-07T02:30:00.000Z'))).toBe(true);
    expect(isWindowActiveAt(nightly, ms('2026-12-07T03:00:00.000Z', -1))).toBe(true);
    expect(isWindowActiveAt(nightly, at('2026-12-07T03:00:00.000Z'))).toBe(false);
    expect(isWindowActiveAt(nightly, at('2026-12-07T12:00:00.000Z'))).toBe(false);
    // The next night again.
    expect(isWindowActiveAt(nightly, at('2026-12-08T02:00:00.000Z'))).toBe(true);
  });

  it('reads the cron in its time zone, across a daylight-saving change', () => {
    const berlin: MaintenanceWindow = {
      kind: 'recurring',
      schedule: { expression: '0 2 * * *', timeZone: 'Europe/Berlin' },
      durationMs: 30 * 60_000,
    };
    // Winter: 02:00 Berlin is 01:00 UTC; summer: 00:00 UTC.
    expect(isWindowActiveAt(berlin, at('2026-12-07T01:00:00.000Z'))).toBe(true);
    expect(isWindowActiveAt(berlin, at('2026-12-07T02:00:00.000Z'))).toBe(false);
    expect(isWindowActiveAt(berlin, at('2026-07-01T00:00:00.000Z'))).toBe(true);
    expect(isWindowActiveAt(berlin, at('2026-07-01T00:30:00.000Z'))).toBe(false);
  });

  it('a window as long as its period is always active; overlapping firings keep it active', () => {
    const always: MaintenanceWindow = {
      kind: 'recurring',
      schedule: { expression: '* * * * *', timeZone: 'UTC' },
      durationMs: 60_000,
    };
    for (const t of ['2026-12-07T10:00:00.000Z', '2026-12-07T10:00:59.999Z', '2026-12-07T10:01:00.000Z'])
      expect(isWindowActiveAt(always, at(t))).toBe(true);
    const overlapping: MaintenanceWindow = { ...always, durationMs: 90_000 };
    expect(isWindowActiveAt(overlapping, at('2026-12-07T10:00:30.000Z'))).toBe(true);
  });

  it('describes a window for people', () => {
    expect(
      describeMaintenanceWindow({
        kind: 'recurring',
        schedule: { expression: '0 2 * * 0', timeZone: 'Europe/Berlin' },
        durationMs: 7_200_000,
      }),
    ).toBe('cron "0 2 * * 0" Europe/Berlin for 2h');
    expect(describeMaintenanceWindow({ kind: 'once', start: 'a', end: 'b' })).toBe('a to b');
  });
});
