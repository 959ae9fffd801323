import {
  customPeriod,
  daysOf,
  isoWeek,
  isoWeekLabel,
  isoWeekStart,
  parsePeriod,
  periodStarting,
  previousIsoWeek,
  precedingPeriod,
  previousPeriod,
  startOfDay,
} from './report-period';

const at = (iso: string) => new Date(iso);
const iso = (period: { start: Date; end: Date }) => [period.start.toISOString(), period.end.toISOString()];
const hours = (period: { start: Date; end: Date }) =>
  (period.end.getTime() - period.start.getTime()) / 3_600_000;
const BERLIN = 'Europe/Berlin';

describe('report periods in UTC', () => {
  it('takes the previous ISO week, Monday 00:00 UTC to Monday 00:00 UTC, for a mid-week date', () => {
    const period = previousIsoWeek(at('2026-11-25T15:30:00Z'), 'UTC'); // a Wednesday in W48
    expect(iso(period)).toEqual(['2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
    expect(period.label).toBe('2026-W47');
  });

  it('treats Monday 00:00 as the start of a new week and Sunday 23:59 as the end of the old one', () => {
    expect(previousIsoWeek(at('2026-11-23T00:00:00Z'), 'UTC').label).toBe('2026-W47');
    expect(previousIsoWeek(at('2026-11-22T23:59:59.999Z'), 'UTC').label).toBe('2026-W46');
    expect(previousIsoWeek(at('2026-11-22T23:59:59.999Z'), 'UTC').start.toISOString()).toBe(
      '2026-11-09T00:00:00.000Z',
    );
  });

  it('numbers weeks across year boundaries the ISO way', () => {
    expect(isoWeekLabel(at('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53'); // Friday: 2026 has 53 weeks
    expect(isoWeekLabel(at('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-W01'); // Thursday
    expect(isoWeekLabel(at('2025-12-29T00:00:00Z'), 'UTC')).toBe('2026-W01'); // Monday before it
    expect(isoWeekLabel(at('2021-01-03T23:59:00Z'), 'UTC')).toBe('2020-W53'); // Sunday
    expect(isoWeekLabel(at('2024-12-30T00:00:00Z'), 'UTC')).toBe('2025-W01');
    expect(isoWeek(at('2026-06-15T00:00:00Z'), 'UTC')).toEqual({ year: 2026, week: 25 });

    const newYear = previousIsoWeek(at('2027-01-06T09:00:00Z'), 'UTC');
    expect(iso(newYear)).toEqual(['2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z']);
    expect(newYear.label).toBe('2026-W53');
  });

  it('finds Monday 00:00 of any instant, including a Sunday', () => {
    expect(isoWeekStart(at('2026-11-22T10:00:00Z'), 'UTC').toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(isoWeekStart(at('2026-11-16T00:00:00Z'), 'UTC').toISOString()).toBe('2026-11-16T00:00:00.000Z');
  });

  it('labels an explicit whole ISO week as that week and any other span by its dates', () => {
    expect(customPeriod(at('2026-11-16T00:00:00Z'), at('2026-11-23T00:00:00Z'), 'UTC').label).toBe(
      '2026-W47',
    );
    expect(customPeriod(at('2026-11-16T00:00:00Z'), at('2026-11-21T00:00:00Z'), 'UTC').label).toBe(
      '2026-11-16..2026-11-20',
    );
    expect(customPeriod(at('2026-11-17T00:00:00Z'), at('2026-11-24T00:00:00Z'), 'UTC').label).toBe(
      '2026-11-17..2026-11-23',
    );
  });

  it('gives the previous day, ISO week and month', () => {
    const now = at('2026-11-23T08:00:00Z');
    expect(previousPeriod('day', now, 'UTC')).toEqual({
      start: at('2026-11-22T00:00:00Z'),
      end: at('2026-11-23T00:00:00Z'),
      label: '2026-11-22',
    });
    expect(previousPeriod('week', now, 'UTC').label).toBe('2026-W47');
    expect(previousPeriod('month', at('2026-01-01T08:00:00Z'), 'UTC')).toEqual({
      start: at('2025-12-01T00:00:00Z'),
      end: at('2026-01-01T00:00:00Z'),
      label: '2025-12',
    });
  });

  it('parses a named period and refuses one of the wrong shape', () => {
    expect(parsePeriod('week', '2026-W47', 'UTC')).toEqual(
      previousPeriod('week', at('2026-11-23T08:00:00Z'), 'UTC'),
    );
    expect(parsePeriod('week', '2021-W01', 'UTC')?.start).toEqual(at('2021-01-04T00:00:00Z'));
    expect(parsePeriod('week', '2026-W53', 'UTC')?.start).toEqual(at('2026-12-28T00:00:00Z'));
    expect(parsePeriod('week', '2026-W54', 'UTC')).toBeNull();
    expect(parsePeriod('week', '2025-W53', 'UTC')).toBeNull();
    expect(parsePeriod('day', '2026-02-30', 'UTC')).toBeNull();
    expect(parsePeriod('month', '2026-13', 'UTC')).toBeNull();
    expect(parsePeriod('month', '2026-02', 'UTC')?.end).toEqual(at('2026-03-01T00:00:00Z'));
    expect(parsePeriod('day', '2026-W47', 'UTC')).toBeNull();
  });

  it('rebuilds a period from the start stored on a claim', () => {
    expect(periodStarting('month', at('2026-10-01T00:00:00Z'), 'UTC').label).toBe('2026-10');
    expect(periodStarting('week', at('2026-11-16T00:00:00Z'), 'UTC').label).toBe('2026-W47');
    expect(periodStarting('day', at('2026-11-16T00:00:00Z'), 'UTC')).toEqual(
      parsePeriod('day', '2026-11-16', 'UTC'),
    );
  });
});

describe('report periods in a configured time zone (Europe/Berlin)', () => {
  it('starts the week on Monday 00:00 local time, not UTC', () => {
    const period = previousIsoWeek(at('2026-11-25T15:30:00Z'), BERLIN);
    expect(iso(period)).toEqual(['2026-11-15T23:00:00.000Z', '2026-11-22T23:00:00.000Z']);
    expect(period.label).toBe('2026-W47');
    // Monday 00:30 in Berlin is still Sunday in UTC: the week that just ended is W47 there, W46 in UTC.
    expect(previousIsoWeek(at('2026-11-22T23:30:00Z'), BERLIN).label).toBe('2026-W47');
    expect(previousIsoWeek(at('2026-11-22T23:30:00Z'), 'UTC').label).toBe('2026-W46');
    expect(previousIsoWeek(at('2026-11-22T22:59:59Z'), BERLIN).label).toBe('2026-W46');
  });

  it('gives the week in which summer time starts 167 hours, Monday midnight to Monday midnight', () => {
    // Clocks go from 02:00 CET to 03:00 CEST on Sunday 2026-03-29.
    const w13 = previousIsoWeek(at('2026-04-01T10:00:00Z'), BERLIN);
    expect(w13.label).toBe('2026-W13');
    expect(iso(w13)).toEqual(['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(hours(w13)).toBe(167);
    expect(parsePeriod('week', '2026-W13', BERLIN)).toEqual(w13);
    const sunday = parsePeriod('day', '2026-03-29', BERLIN)!;
    expect(iso(sunday)).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(hours(sunday)).toBe(23);
  });

  it('gives the week in which summer time ends 169 hours', () => {
    // Clocks go from 03:00 CEST back to 02:00 CET on Sunday 2026-10-25.
    const w43 = parsePeriod('week', '2026-W43', BERLIN)!;
    expect(iso(w43)).toEqual(['2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(hours(w43)).toBe(169);
    expect(previousIsoWeek(at('2026-10-25T23:00:00Z'), BERLIN)).toEqual(w43);
    expect(previousIsoWeek(at('2026-10-25T22:59:59Z'), BERLIN).label).toBe('2026-W42');
    expect(hours(parsePeriod('day', '2026-10-25', BERLIN)!)).toBe(25);
  });

  it('splits a DST week into its seven local days', () => {
    const days = daysOf(parsePeriod('week', '2026-W13', BERLIN)!, BERLIN);
    expect(days.map((d) => d.label)).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ]);
    expect(days.map(hours)).toEqual([24, 24, 24, 24, 24, 24, 23]);
    expect(days[0].start.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(days[6].end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('takes days and months at local midnight', () => {
    expect(iso(previousPeriod('day', at('2026-11-23T06:00:00Z'), BERLIN))).toEqual([
      '2026-11-21T23:00:00.000Z',
      '2026-11-22T23:00:00.000Z',
    ]);
    // 00:30 on 1 March in Berlin is still February in UTC: the month that ended is February.
    const february = previousPeriod('month', at('2026-02-28T23:30:00Z'), BERLIN);
    expect(february.label).toBe('2026-02');
    expect(iso(february)).toEqual(['2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z']);
    const march = parsePeriod('month', '2026-03', BERLIN)!;
    expect(iso(march)).toEqual(['2026-02-28T23:00:00.000Z', '2026-03-31T22:00:00.000Z']);
    expect(periodStarting('month', march.start, BERLIN)).toEqual(march);
    expect(periodStarting('week', at('2026-10-18T22:00:00Z'), BERLIN).label).toBe('2026-W43');
  });

  it('compares a period with the one before it: the whole week before a DST week, the month before a month', () => {
    const w14 = parsePeriod('week', '2026-W14', BERLIN)!;
    expect(precedingPeriod(w14, BERLIN)).toEqual(parsePeriod('week', '2026-W13', BERLIN));
    expect(hours(precedingPeriod(w14, BERLIN))).toBe(167);
    expect(precedingPeriod(parsePeriod('month', '2026-03', BERLIN)!, BERLIN)).toEqual(
      parsePeriod('month', '2026-02', BERLIN),
    );
    expect(precedingPeriod(parsePeriod('month', '2026-01', 'UTC')!, 'UTC').label).toBe('2025-12');
    expect(precedingPeriod(parsePeriod('day', '2026-03-30', BERLIN)!, BERLIN)).toMatchObject({
      start: at('2026-03-28T23:00:00Z'),
      end: at('2026-03-29T22:00:00Z'),
    });
    const span = customPeriod(at('2026-11-16T06:00:00Z'), at('2026-11-16T18:00:00Z'), 'UTC');
    expect(iso(precedingPeriod(span, 'UTC'))).toEqual([
      '2026-11-15T18:00:00.000Z',
      '2026-11-16T06:00:00.000Z',
    ]);
  });

  it('labels a UTC week as dates when the report zone is Berlin, and a Berlin week as the week', () => {
    expect(customPeriod(at('2026-11-16T00:00:00Z'), at('2026-11-23T00:00:00Z'), BERLIN).label).toBe(
      '2026-11-16..2026-11-23',
    );
    expect(customPeriod(at('2026-11-15T23:00:00Z'), at('2026-11-22T23:00:00Z'), BERLIN).label).toBe(
      '2026-W47',
    );
  });
});

describe('report periods in other zones', () => {
  it('follows US daylight saving (America/New_York)', () => {
    const w10 = parsePeriod('week', '2026-W10', 'America/New_York')!;
    expect(iso(w10)).toEqual(['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(hours(w10)).toBe(167);
  });

  it('starts a day whose midnight is skipped at its first existing instant (America/Santiago)', () => {
    // Chile moves 00:00 to 01:00 on Sunday 2026-09-06: that day starts at 01:00 -03.
    expect(startOfDay({ year: 2026, month: 9, day: 6 }, 'America/Santiago').toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
    const sunday = parsePeriod('day', '2026-09-06', 'America/Santiago')!;
    expect(iso(sunday)).toEqual(['2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z']);
    expect(hours(parsePeriod('day', '2026-09-05', 'America/Santiago')!)).toBe(24);
  });

  it('starts a day whose midnight happens twice at the first one (America/Havana)', () => {
    // Cuba turns 01:00 back to 00:00 on 2026-11-01: the day started at the first midnight, -04.
    expect(startOfDay({ year: 2026, month: 11, day: 1 }, 'America/Havana').toISOString()).toBe(
      '2026-11-01T04:00:00.000Z',
    );
    expect(hours(parsePeriod('day', '2026-11-01', 'America/Havana')!)).toBe(25);
  });

  it('handles zones east of UTC across the year boundary (Pacific/Auckland)', () => {
    // 2027-01-04 09:00 in Auckland is still Sunday 3 January in UTC.
    const w53 = previousIsoWeek(at('2027-01-03T20:00:00Z'), 'Pacific/Auckland');
    expect(w53.label).toBe('2026-W53');
    expect(iso(w53)).toEqual(['2026-12-27T11:00:00.000Z', '2027-01-03T11:00:00.000Z']);
  });
});
