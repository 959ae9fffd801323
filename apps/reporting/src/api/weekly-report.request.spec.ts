import { periodOf, unsupportedBodyType, weeklyReportBodySchema } from './weekly-report.request';

const now = new Date('2026-11-25T12:00:00Z');

describe('POST /reports/weekly body', () => {
  it('defaults to the previous ISO week', () => {
    const result = periodOf(weeklyReportBodySchema.parse({}), now, 'UTC');
    expect(result).toMatchObject({ ok: true, period: { label: '2026-W47' } });
  });

  it('defaults to the previous ISO week in the given time zone', () => {
    const result = periodOf(weeklyReportBodySchema.parse({}), now, 'Europe/Berlin');
    expect(result).toMatchObject({
      ok: true,
      period: {
        label: '2026-W47',
        start: new Date('2026-11-15T23:00:00Z'),
        end: new Date('2026-11-22T23:00:00Z'),
      },
    });
  });

  it('takes an explicit period', () => {
    const body = weeklyReportBodySchema.parse({ from: '2026-11-02T00:00:00Z', to: '2026-11-09T00:00:00Z' });
    expect(periodOf(body, now, 'UTC')).toMatchObject({ ok: true, period: { label: '2026-W45' } });
  });

  it('rejects half a period, a reversed one, unknown fields and one that has not ended', () => {
    expect(weeklyReportBodySchema.safeParse({ from: '2026-11-02T00:00:00Z' }).success).toBe(false);
    expect(
      weeklyReportBodySchema.safeParse({ from: '2026-11-09T00:00:00Z', to: '2026-11-02T00:00:00Z' }).success,
    ).toBe(false);
    expect(weeklyReportBodySchema.safeParse({ week: 47 }).success).toBe(false);
    const open = weeklyReportBodySchema.parse({ from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' });
    expect(periodOf(open, now, 'UTC')).toMatchObject({
      ok: false,
      message: expect.stringContaining('has not ended'),
    });
  });

  it('takes a JSON body or none, and names any other type', () => {
    expect(unsupportedBodyType({})).toBeNull();
    expect(unsupportedBodyType({ 'content-type': 'text/plain', 'content-length': '0' })).toBeNull();
    expect(
      unsupportedBodyType({ 'content-type': 'Application/JSON; charset=utf-8', 'content-length': '2' }),
    ).toBeNull();
    expect(unsupportedBodyType({ 'content-type': 'text/plain', 'content-length': '2' })).toContain(
      'not text/plain',
    );
    expect(unsupportedBodyType({ 'transfer-encoding': 'chunked' })).toContain('no Content-Type');
  });
});
