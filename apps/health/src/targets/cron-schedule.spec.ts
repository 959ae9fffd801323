import { cronScheduleProblem, nextCronTime } from './cron-schedule';

describe('cron schedules', () => {
  it('gives the next firing strictly after a time, in the schedule time zone', () => {
    const nightly = { expression: '0 2 * * *', timeZone: 'Europe/Berlin' };
    // 2026-07-01 is summer time (UTC+2): 02:00 Berlin is 00:00 UTC.
    expect(nextCronTime(nightly, new Date('2026-07-01T00:00:00Z')).toISOString()).toBe(
      '2026-07-02T00:00:00.000Z',
    );
    expect(nextCronTime(nightly, new Date('2026-06-30T23:59:59Z')).toISOString()).toBe(
      '2026-07-01T00:00:00.000Z',
    );
    // In winter (UTC+1) the same schedule fires at 01:00 UTC.
    expect(nextCronTime(nightly, new Date('2026-12-07T12:00:00Z')).toISOString()).toBe(
      '2026-12-08T01:00:00.000Z',
    );
  });

  it('names what is wrong with an expression or a zone', () => {
    expect(cronScheduleProblem({ expression: '*/5 * * * *', timeZone: 'UTC' })).toBeNull();
    expect(cronScheduleProblem({ expression: '61 * * * *', timeZone: 'UTC' })).toMatch(
      /^is not a cron expression/,
    );
    expect(cronScheduleProblem({ expression: '0 2 * * *', timeZone: 'Mars/Olympus' })).toBe(
      'time zone "Mars/Olympus" is not an IANA time zone',
    );
  });
});
