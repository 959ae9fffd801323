import { composeReportEmail } from './report-email';
import { W47, weeklySources } from './weekly-sources.fixture';
import { averageUptime, buildWeeklyReport, formatInstant, percent } from './weekly-report.builder';

const generatedAt = new Date('2026-11-23T06:00:00Z');

describe('buildWeeklyReport', () => {
  it('headlines the period, the average uptime and the alert count', () => {
    const report = buildWeeklyReport({ period: W47, sources: weeklySources(), generatedAt, timeZone: 'UTC' });
    expect(report.headline).toBe('Vigil weekly report 2026-W47: 99.95% uptime, 3 alerts');
    expect(report.sections.map((s) => [s.title, s.available])).toEqual([
      ['Uptime', true],
      ['Alerts', true],
      ['Audit activity', true],
    ]);
  });

  it('marks a failed source unavailable with its reason and still reports the others', () => {
    const sources = weeklySources({ health: { available: false, reason: 'no reply within 3000 ms' } });
    const report = buildWeeklyReport({ period: W47, sources, generatedAt, timeZone: 'UTC' });
    expect(report.headline).toBe('Vigil weekly report 2026-W47: uptime unavailable, 3 alerts');
    expect(report.sections[0]).toEqual({
      title: 'Uptime',
      available: false,
      reason: 'no reply within 3000 ms',
    });
    expect(report.sections[1].available).toBe(true);
    const email = composeReportEmail(report);
    expect(email.text).toContain('unavailable: no reply within 3000 ms');
    expect(email.html).toContain('unavailable: no reply within 3000 ms');
  });

  it('redacts an e-mail address found inside a source value, in subject, text and HTML', () => {
    const base = weeklySources();
    const sources = weeklySources({
      health: {
        available: true,
        data: {
          from: W47.start.toISOString(),
          to: W47.end.toISOString(),
          targets: [
            { name: 'smtp relay of jane.doe@example.com', status: 'down', uptime_pct: 50, checks: 10 },
          ],
        },
      },
      audit: base.audit.available
        ? {
            available: true,
            data: {
              ...base.audit.data,
              by_action: { 'user.invited bob@example.org': 7, 'user.password.reset': 2 },
            },
          }
        : base.audit,
      alerting: { available: false, reason: 'internal_error: mailbox ops@example.net is full' },
    });
    const email = composeReportEmail(
      buildWeeklyReport({ period: W47, sources, generatedAt, timeZone: 'UTC' }),
    );
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toMatch(/jane\.doe@example\.com|bob@example\.org|ops@example\.net/);
    }
    expect(email.text).toContain('smtp relay of [REDACTED:email]');
    expect(email.html).toContain('smtp relay of [REDACTED:email]');
    expect(email.text).toContain('unavailable: internal_error: mailbox [REDACTED:email] is full');
    // A count under a key that looks like a secret is still a count.
    expect(email.text).toMatch(/user\.password\.reset\s+2/);
  });

  it('shows dates in REPORT_TIME_ZONE', () => {
    const report = buildWeeklyReport({
      period: W47,
      sources: weeklySources(),
      generatedAt,
      timeZone: 'Europe/Berlin',
    });
    expect(report.facts[0]).toEqual({
      label: 'Period',
      value: '2026-11-16 01:00 to 2026-11-23 01:00 (Europe/Berlin)',
    });
  });
});

describe('report numbers', () => {
  it('averages uptime over targets that have one', () => {
    const targets = [
      { name: 'a', status: 'up' as const, uptime_pct: 99, checks: 1 },
      { name: 'b', status: 'unknown' as const, uptime_pct: null, checks: 0 },
      { name: 'c', status: 'up' as const, uptime_pct: 100, checks: 1 },
    ];
    expect(averageUptime({ from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z', targets })).toBe(99.5);
    expect(
      averageUptime({ from: '2026-11-16T00:00:00Z', to: '2026-11-23T00:00:00Z', targets: [] }),
    ).toBeNull();
  });

  it('never rounds a shortfall up to 100.00%', () => {
    expect(percent(99.999)).toBe('99.99%');
    expect(percent(100)).toBe('100.00%');
    expect(percent(99.954)).toBe('99.95%');
  });

  it('formats an instant in a time zone', () => {
    expect(formatInstant(new Date('2026-07-01T22:30:00Z'), 'America/New_York')).toBe('2026-07-01 18:30');
    expect(formatInstant(new Date('2026-07-01T00:00:00Z'), 'UTC')).toBe('2026-07-01 00:00');
  });
});
