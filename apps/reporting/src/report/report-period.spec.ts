import {
  customPeriod,
  isoWeek,
  isoWeekLabel,
  isoWeekStart,
  parsePeriod,
  periodStarting,
  previousIsoWeek,
  previousPeriod,
} from './report-period';

const at = (iso: string) => new Date(iso);

describe('report periods', () => {
  it('takes the previous ISO week, Monday 00:00 UTC to Monday 00:00 UTC, for a mid-week date', () => {
    const period = previousIsoWeek(at('2026-11-25T15:30:00Z')); // a Wednesday in W48
    expect(period.start.toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(period.end.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(period.label).toBe('2026-W47');
  });

  it('treats Monday 00:00 as the start of a new week and Sunday 23:59 as the end of the old one', () => {
    expect(previousIsoWeek(at('2026-11-23T00:00:00Z')).label).toBe('2026-W47');
    expect(previousIsoWeek(at('2026-11-22T23:59:59.999Z')).label).toBe('2026-W46');
    expect(previousIsoWeek(at('2026-11-22T23:59:59.999Z')).start.toISOString()).toBe(
      '2026-11-09T00:00:00.000Z',
    );
  });

  it('ignores the time zone offset of the input: weeks are UTC', () => {
    // 2026-11-23T00:30+01:00 is still Sunday in UTC.
    expect(previousIsoWeek(at('2026-11-23T00:30:00+01:00')).label).toBe('2026-W46');
  });

  it('numbers weeks across year boundaries the ISO way', () => {
    expect(isoWeekLabel(at('2027-01-01T12:00:00Z'))).toBe('2026-W53'); // Friday: 2026 has 53 weeks
    expect(isoWeekLabel(at('2026-01-01T00:00:00Z'))).toBe('2026-W01'); // Thursday
    expect(isoWeekLabel(at('2025-12-29T00:00:00Z'))).toBe('2026-W01'); // Monday before it
    expect(isoWeekLabel(at('2021-01-03T23:59:00Z'))).toBe('2020-W53'); // Sunday
    expect(isoWeekLabel(at('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(at('2026-06-15T00:00:00Z'))).toEqual({ year: 2026, week: 25 });

    const newYear = previousIsoWeek(at('2027-01-06T09:00:00Z'));
    expect(newYear.start.toISOString()).toBe('2026-12-28T00:00:00.000Z');
    expect(newYear.end.toISOString()).toBe('2027-01-04T00:00:00.000Z');
    expect(newYear.label).toBe('2026-W53');
  });

  it('finds Monday 00:00 UTC of any instant, including a Sunday', () => {
    expect(isoWeekStart(at('2026-11-22T10:00:00Z')).toISOString()).toBe('2026-11-16T00:00:00.000Z');
    expect(isoWeekStart(at('2026-11-16T00:00:00Z')).toISOString()).toBe('2026-11-16T00:00:00.000Z');
  });

  it('labels an explicit whole ISO week as that week and any other span by its dates', () => {
    expect(customPeriod(at('2026-11-16T00:00:00Z'), at('2026-11-23T00:00:00Z')).label).toBe('2026-W47');
    expect(customPeriod(at('2026-11-16T00:00:00Z'), at('2026-11-21T00:00:00Z')).label).toBe(
      '2026-11-16..2026-11-20',
    );
    expect(customPeriod(at('2026-11-17T00:00:00Z'), at('2026-11-24T00:00:00Z')).label).toBe(
      '2026-11-17..2026-11-23',
    );
  });
});

describe('report periods by kind', () => {
  const now = new Date('2026-11-23T08:00:00Z');

  it('gives the previous day, ISO week and month', () => {
    expect(previousPeriod('day', now)).toEqual({
      start: new Date('2026-11-22T00:00:00Z'),
      end: new Date('2026-11-23T00:00:00Z'),
      label: '2026-11-22',
    });
    expect(previousPeriod('week', now).label).toBe('2026-W47');
    expect(previousPeriod('month', new Date('2026-01-01T08:00:00Z'))).toEqual({
      start: new Date('2025-12-01T00:00:00Z'),
      end: new Date('2026-01-01T00:00:00Z'),
      label: '2025-12',
    });
  });

  it('parses a named period and refuses one of the wrong shape', () => {
    expect(parsePeriod('week', '2026-W47')).toEqual(previousPeriod('week', now));
    expect(parsePeriod('week', '2021-W01')?.start).toEqual(new Date('2021-01-04T00:00:00Z'));
    expect(parsePeriod('week', '2026-W54')).toBeNull();
    expect(parsePeriod('day', '2026-02-30')).toBeNull();
    expect(parsePeriod('month', '2026-13')).toBeNull();
    expect(parsePeriod('month', '2026-02')?.end).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(parsePeriod('day', '2026-W47')).toBeNull();
  });

  it('rebuilds a period from the start stored on a claim', () => {
    expect(periodStarting('month', new Date('2026-10-01T00:00:00Z')).label).toBe('2026-10');
    expect(periodStarting('week', new Date('2026-11-16T00:00:00Z')).label).toBe('2026-W47');
  });
});
