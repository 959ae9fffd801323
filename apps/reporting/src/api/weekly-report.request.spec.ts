import { periodOf, weeklyReportBodySchema } from './weekly-report.request';

const now = new Date('2026-11-25T12:00:00Z');

describe('POST /reports/weekly body', () => {
  it('defaults to the previous ISO week', () => {
    const result = periodOf(weeklyReportBodySchema.parse({}), now);
    expect(result).toMatchObject({ ok: true, period: { label: '2026-W47' } });
  });

  it('takes an explicit period', () => {
    const body = weeklyReportBodySchema.parse({ from: '2026-11-02T00:00:00Z', to: '2026-11-09T00:00:00Z' });
    expect(periodOf(body, now)).toMatchObject({ ok: true, period: { label: '2026-W45' } });
  });

  it('rejects half a period, a reversed one, unknown fields and one that has not ended', () => {
    expect(weeklyReportBodySchema.safeParse({ from: '2026-11-02T00:00:00Z' }).success).toBe(false);
    expect(
      weeklyReportBodySchema.safeParse({ from: '2026-11-09T00:00:00Z', to: '2026-11-02T00:00:00Z' }).success,
    ).toBe(false);
    expect(weeklyReportBodySchema.safeParse({ week: 47 }).success).toBe(false);
    const open = weeklyReportBodySchema.parse({ from: '2026-11-23T00:00:00Z', to: '2026-11-30T00:00:00Z' });
    expect(periodOf(open, now)).toMatchObject({
      ok: false,
      message: expect.stringContaining('has not ended'),
    });
  });
});
