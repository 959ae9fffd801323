import type { AlertState } from '../model/alert';
import { decideFlush, type FlushInput } from './group-flush';

const alert = (fingerprint: string, status: 'firing' | 'resolved' = 'firing'): AlertState => ({
  fingerprint,
  labels: { alertname: 'A', instance: fingerprint },
  annotations: {},
  generatorURL: null,
  startsAt: new Date('2026-11-22T10:00:00Z'),
  endsAt: new Date('2026-11-22T11:00:00Z'),
  status,
});
const now = new Date('2026-11-22T10:30:00Z');
const input = (overrides: Partial<FlushInput>): FlushInput => ({
  firing: [],
  resolved: [],
  mutedCount: 0,
  notifiedFiring: [],
  lastNotifiedAt: null,
  groupIntervalMs: 60_000,
  repeatIntervalMs: 3_600_000,
  now,
  ...overrides,
});

describe('decideFlush (Alertmanager dedup stage)', () => {
  it('tells a new group once, then stays quiet while nothing changes, until repeat_interval', () => {
    const first = decideFlush(input({ firing: [alert('b'), alert('a')] }));
    expect(first).toMatchObject({ notify: true, notifiedFiring: ['a', 'b'], nextFlushInMs: 3_600_000 });
    const told = { notifiedFiring: ['a', 'b'], lastNotifiedAt: new Date(now.getTime() - 60_000) };
    const quiet = decideFlush(input({ firing: [alert('a'), alert('b')], ...told }));
    expect(quiet).toMatchObject({ notify: false, notifiedFiring: null, nextFlushInMs: 3_540_000 });
    const repeat = decideFlush(
      input({
        firing: [alert('a'), alert('b')],
        notifiedFiring: ['a', 'b'],
        lastNotifiedAt: new Date(now.getTime() - 3_600_000),
      }),
    );
    expect(repeat.notify).toBe(true);
  });

  it('tells a new member, and resolutions of told alerts with the firing ones', () => {
    const told = { notifiedFiring: ['a'], lastNotifiedAt: now };
    expect(decideFlush(input({ firing: [alert('a'), alert('c')], ...told })).notify).toBe(true);
    const resolved = decideFlush(
      input({
        firing: [alert('c')],
        resolved: [alert('a', 'resolved')],
        notifiedFiring: ['a', 'c'],
        lastNotifiedAt: now,
      }),
    );
    expect(resolved.notify).toBe(true);
    expect(resolved.alerts.map((a) => `${a.fingerprint}:${a.status}`)).toEqual(['c:firing', 'a:resolved']);
    expect(resolved.notifiedFiring).toEqual(['c']);
  });

  it('drops resolutions nobody was told about, and re-checks muted groups every group_interval', () => {
    const untold = decideFlush(input({ resolved: [alert('x', 'resolved')] }));
    expect(untold.notify).toBe(false);
    const muted = decideFlush(input({ mutedCount: 1 }));
    expect(muted).toMatchObject({ notify: false, nextFlushInMs: 60_000 });
    const allResolved = decideFlush(
      input({ resolved: [alert('a', 'resolved')], notifiedFiring: ['a'], lastNotifiedAt: now }),
    );
    expect(allResolved).toMatchObject({ notify: true, notifiedFiring: [] });
  });
});
