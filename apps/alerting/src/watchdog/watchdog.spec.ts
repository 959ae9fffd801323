import { isLiveWatchdog, judgeWatchdog, watchdogMissingAlert, type WatchdogRecord } from './watchdog';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const TIMEOUT = 10_000;

describe('watchdog', () => {
  it('is missing once the timeout passed since the last arrival, or since arming when none arrived', () => {
    const seen: WatchdogRecord = { armedAt: at(0), lastSeenAt: at(20), raisedAt: null };
    expect(judgeWatchdog(seen, at(29), TIMEOUT)).toEqual({ kind: 'healthy' });
    expect(judgeWatchdog(seen, at(30), TIMEOUT)).toEqual({ kind: 'missing', since: at(30) });
    const never: WatchdogRecord = { armedAt: at(0), lastSeenAt: null, raisedAt: null };
    expect(judgeWatchdog(never, at(9), TIMEOUT)).toEqual({ kind: 'healthy' });
    expect(judgeWatchdog(never, at(10), TIMEOUT)).toEqual({ kind: 'missing', since: at(10) });
  });

  it('recovers only what it raised', () => {
    const back: WatchdogRecord = { armedAt: at(0), lastSeenAt: at(40), raisedAt: at(30) };
    expect(judgeWatchdog(back, at(41), TIMEOUT)).toEqual({ kind: 'recovered' });
    expect(judgeWatchdog({ ...back, raisedAt: null }, at(41), TIMEOUT)).toEqual({ kind: 'healthy' });
  });

  it('counts only a firing Watchdog of the configured name as an arrival', () => {
    const labels = { alertname: 'Watchdog', severity: 'low' };
    expect(isLiveWatchdog({ labels, annotations: {} }, 'Watchdog', at(5))).toBe(true);
    expect(isLiveWatchdog({ labels, annotations: {}, endsAt: at(6) }, 'Watchdog', at(5))).toBe(true);
    expect(isLiveWatchdog({ labels, annotations: {}, endsAt: at(5) }, 'Watchdog', at(5))).toBe(false);
    expect(isLiveWatchdog({ labels, annotations: {} }, 'DeadMansSwitch', at(5))).toBe(false);
  });

  it('raises VigilWatchdogMissing as a critical alerting alert, valid until re-sent, and resolves it', () => {
    const record: WatchdogRecord = { armedAt: at(0), lastSeenAt: at(20), raisedAt: null };
    const firing = watchdogMissingAlert(
      'Watchdog',
      { kind: 'missing', since: at(30) },
      record,
      at(31),
      at(91),
    );
    expect(firing).toMatchObject({
      labels: {
        alertname: 'VigilWatchdogMissing',
        severity: 'critical',
        service: 'alerting',
        watchdog: 'Watchdog',
      },
      startsAt: at(30),
      endsAt: at(91),
    });
    expect(firing.annotations.summary).toContain(at(20).toISOString());
    const resolved = watchdogMissingAlert(
      'Watchdog',
      { kind: 'recovered' },
      { ...record, raisedAt: at(30) },
      at(50),
      at(99),
    );
    expect(resolved).toMatchObject({ startsAt: at(30), endsAt: at(50) });
  });
});
