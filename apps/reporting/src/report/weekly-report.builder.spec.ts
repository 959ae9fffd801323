import { composeReportEmail } from './report-email';
import { previousSources, W47, weeklySources } from './weekly-sources.fixture';
import { adminChanges, averageUptime, buildWeeklyReport, formatInstant } from './weekly-report.builder';

const generatedAt = new Date('2026-11-23T06:00:00Z');

describe('buildWeeklyReport', () => {
  it('headlines the week, the average uptime and the P1 alert count', () => {
    const report = buildWeeklyReport({ period: W47, sources: weeklySources(), generatedAt, timeZone: 'UTC' });
    expect(report.title).toBe('Vigil weekly report 2026-W47');
    expect(report.headline).toBe('Week 47: 99.95 % uptime, 2 P1 alerts');
    expect(report.sections.map((s) => [s.title, s.available])).toEqual([
      ['Traffic and performance', true],
      ['Errors', true],
      ['Uptime', true],
      ['Alerts', true],
      ['Privacy and admin activity', true],
      ['Audit activity', true],
    ]);
  });

  it('includes only the sections a definition lists, in report order', () => {
    const report = buildWeeklyReport({
      period: W47,
      sources: weeklySources(),
      generatedAt,
      timeZone: 'UTC',
      sections: ['privacy', 'uptime'],
      name: 'monthly privacy',
    });
    expect(report.title).toBe('Vigil monthly privacy report 2026-W47');
    expect(report.headline).toBe('Monthly privacy 2026-W47: 99.95 % uptime, 2 P1 alerts');
    expect(report.sections.map((s) => s.title)).toEqual(['Uptime', 'Privacy and admin activity']);
  });

  it('says in headline, facts and section title when it counts only P3 alerts (the daily digest)', () => {
    const sources = weeklySources();
    if (!sources.alerting.available) throw new Error('fixture: alerting available');
    sources.alerting.data = { ...sources.alerting.data, total_alerts: 4, by_severity: { medium: 3, low: 1 } };
    const report = buildWeeklyReport({
      period: W47,
      sources,
      generatedAt,
      timeZone: 'UTC',
      sections: ['alerts'],
      name: 'daily P3 digest',
      severities: ['medium', 'low'],
    });
    expect(report.headline).toBe('Daily P3 digest 2026-W47: 99.95 % uptime, 4 P3 alerts');
    expect(report.sections.map((s) => s.title)).toEqual(['Alerts: P3 only (medium, low)']);
    expect(report.highlights?.map((f) => f.label)).toContain('P3 alerts');
    expect(report.highlights?.map((f) => f.label)).not.toContain('P1 alerts');
  });

  it('shows MTTA, MTTR, false positives and the noisiest alerts', () => {
    const text = composeReportEmail(
      buildWeeklyReport({ period: W47, sources: weeklySources(), generatedAt, timeZone: 'UTC' }),
    ).text;
    expect(text).toMatch(/MTTA:\s+2m 5s/);
    expect(text).toMatch(/MTTR:\s+1h 2m/);
    expect(text).toMatch(/False positives:\s+1 \(33\.33 %\)/);
    expect(text).toMatch(/DiskFull\s+2/);
  });

  it('shows incidents and response-time percentiles per target', () => {
    const text = composeReportEmail(
      buildWeeklyReport({ period: W47, sources: weeklySources(), generatedAt, timeZone: 'UTC' }),
    ).text;
    expect(text).toMatch(/shop-api\s+2026-11-18 10:00\s+10m 5s\s+HTTP 503 three times/);
    expect(text).toMatch(/billing\s+up\s+100\.00 %\s+0s\s+10m 5s\s+2,016\s+8\.3 ms\s+20\.0 ms/);
    // 99.9 % of a week is 10m 5s down: exactly the 99.9 % objective's budget.
    expect(text).toMatch(/shop-api\s+up\s+99\.90 %\s+10m 5s\s+0s\s+10,080/);
  });

  it('shows privacy changes, detections and sensitive access per admin', () => {
    const text = composeReportEmail(
      buildWeeklyReport({ period: W47, sources: weeklySources(), generatedAt, timeZone: 'UTC' }),
    ).text;
    expect(text).toMatch(/Privacy setting changes:\s+200/);
    expect(text).toMatch(/Detections fired:\s+3/);
    expect(text).toMatch(/Bulk actions:\s+34/);
    expect(text).toMatch(/Wallet and KYC access by admin[\s\S]*admin-alice\s+12/);
  });

  it('shows requests per service with the week-over-week change, and latency per day', () => {
    const text = composeReportEmail(
      buildWeeklyReport({ period: W47, sources: weeklySources(), generatedAt, timeZone: 'UTC' }),
    ).text;
    expect(text).toMatch(/Requests:\s+150,000\n/);
    expect(text).toMatch(/shop-api\s+120,000\s+▲ up 20\.0 %\s+250 ms/);
    expect(text).toMatch(/billing\s+30,000\s+▼ down 25\.0 %\s+80\.0 ms/);
    expect(text).toMatch(/2026-11-22\s+46\.0 ms\s+260 ms\s+520 ms/);
    expect(text).toMatch(/\/checkout\s+900 ms/);
  });

  it('shows every headline figure with its move since the week before, in words as well as arrows', () => {
    const report = buildWeeklyReport({
      period: W47,
      sources: weeklySources(),
      previous: previousSources(),
      generatedAt,
      timeZone: 'UTC',
    });
    const moves = Object.fromEntries(
      (report.highlights ?? []).map((f) => [f.label, `${f.value} | ${f.change?.text} | ${f.change?.tone}`]),
    );
    expect(moves).toEqual({
      Requests: '150,000 | ▲ up 7.1 % from 140,000 | neutral',
      '5xx share': '0.40 % | ▼ down 0.10 points from 0.50 % | good',
      'p95 latency': '230 ms | ▼ down 11.5 % from 260 ms | good',
      'Average uptime': '99.95 % | ▲ up 0.45 points from 99.50 % | good',
      Alerts: '3 | ▼ down 25.0 % from 4 | good',
      'P1 alerts': '2 | = unchanged from 2 | neutral',
      MTTA: '2m 5s | ▼ down 50.0 % from 4m 10s | good',
      MTTR: '1h 2m | – no figure for the period before | neutral',
      'Audit events': '1,234 | ▲ up 23.4 % from 1,000 | neutral',
      'Admin changes': '34 | = unchanged from 34 | neutral',
    });
    const text = composeReportEmail(report).text;
    expect(text).toMatch(/At a glance\n-+\nRequests:\s+150,000\s+▲ up 7\.1 % from 140,000\n/);
    expect(text).toMatch(/Alerts:\s+3\s+▼ down 25\.0 % from 4\n/);
  });

  it('says a headline figure is unavailable when its source is, and has no move without the week before', () => {
    const report = buildWeeklyReport({
      period: W47,
      sources: weeklySources({ traffic: { available: false, reason: 'no metrics source configured' } }),
      generatedAt,
      timeZone: 'UTC',
    });
    const [requests, , , uptime] = report.highlights ?? [];
    expect(requests).toEqual({ label: 'Requests', value: 'unavailable' });
    expect(uptime.change?.text).toBe('– no figure for the period before');
  });

  it("charts each target's downtime in minutes against the error budget of the configured SLO", () => {
    const report = buildWeeklyReport({
      period: W47,
      sources: weeklySources(),
      generatedAt,
      timeZone: 'UTC',
      uptimeSloPct: 99.95,
    });
    const uptime = report.sections[2];
    if (!uptime.available) throw new Error('uptime section missing');
    const [chart] = uptime.charts ?? [];
    expect(chart).toMatchObject({
      id: 'downtime-by-target',
      labels: ['shop-api', 'billing'],
      threshold: { label: '99.95 % SLO budget: 5m 2s' },
    });
    // 0.1 % of 10,080 minutes.
    expect(chart.series[0].values[0]).toBeCloseTo(10.08, 6);
    expect(chart.series[0].values[1]).toBe(0);
    expect(chart.threshold?.value).toBeCloseTo(5.04, 6);
    const text = composeReportEmail(report).text;
    expect(text).toMatch(/shop-api\s+up\s+99\.90 %\s+10m 5s\s+over by 5m 2s/);
    expect(text).toMatch(/Targets over budget:\s+1\n/);
  });

  it('says when no metrics source is configured, and still reports the rest', () => {
    const sources = weeklySources({ traffic: { available: false, reason: 'no metrics source configured' } });
    const report = buildWeeklyReport({ period: W47, sources, generatedAt, timeZone: 'UTC' });
    expect(report.sections[0]).toEqual({
      title: 'Traffic and performance',
      available: false,
      reason: 'no metrics source configured',
    });
    expect(report.sections.slice(1).every((s) => s.available)).toBe(true);
    // The errors section keeps its alert half and says why the 5xx half is missing.
    const text = composeReportEmail(report).text;
    expect(text).toMatch(/Errors\n-+\n5xx share:\s+unavailable: no metrics source configured/);
    expect(text).toMatch(/DiskFull\s+critical\s+2\s+firing/);
  });

  it('shows the 5xx rate per service and the top alerts with their current status', () => {
    const text = composeReportEmail(
      buildWeeklyReport({ period: W47, sources: weeklySources(), generatedAt, timeZone: 'UTC' }),
    ).text;
    expect(text).toMatch(/5xx responses:\s+600/);
    expect(text).toMatch(/5xx share:\s+0\.40 %/);
    expect(text).toMatch(
      /5xx share per service:\nService\s+Requests\s+5xx\s+5xx share\n[- ]+\nshop-api\s+120,000\s+600\s+0\.50 %\nbilling\s+30,000\s+0\s+0\.00 %/,
    );
    expect(text).toMatch(/Top alerts still firing:\s+1/);
    expect(text).toMatch(
      /Top 10 alerts:\nAlert\s+Severity\s+Count\s+Status\n[- ]+\nDiskFull\s+critical\s+2\s+firing\nHighLatency\s+low\s+1\s+resolved/,
    );
  });

  it('falls back to the noisiest alerts without a status from an alerting that does not send one', () => {
    const base = weeklySources();
    const alerting = base.alerting.available ? { ...base.alerting.data, top_alerts: undefined } : null;
    const sources = weeklySources({ alerting: { available: true, data: alerting! } });
    const text = composeReportEmail(
      buildWeeklyReport({ period: W47, sources, generatedAt, timeZone: 'UTC' }),
    ).text;
    expect(text).toMatch(/DiskFull\s+n\/a\s+2\s+unknown/);
    expect(text).not.toContain('Top alerts still firing');
  });

  it('marks the errors section unavailable only when all three of its sources are', () => {
    const sources = weeklySources({
      traffic: { available: false, reason: 'no metrics source configured' },
      errors: { available: false, reason: 'no reply within 3000 ms' },
      alerting: { available: false, reason: 'no responders' },
    });
    const report = buildWeeklyReport({ period: W47, sources, generatedAt, timeZone: 'UTC' });
    expect(report.sections[1]).toEqual({
      title: 'Errors',
      available: false,
      reason:
        '5xx: no metrics source configured; errors service unavailable: no reply within 3000 ms; alerts: no responders',
    });
  });

  it("lists the errors service's top issues beside the 5xx figures, with counts, users, status and markers", () => {
    const text = composeReportEmail(
      buildWeeklyReport({ period: W47, sources: weeklySources(), generatedAt, timeZone: 'UTC' }),
    ).text;
    expect(text).toMatch(/5xx share:\s+0\.40 %\nError events:\s+57\nNew issues:\s+1\nRegressions:\s+1\n/);
    expect(text).toMatch(
      new RegExp(
        [
          'Top 10 issues:',
          'Issue\\s+Project\\s+Level\\s+Events\\s+Users\\s+Status\\s+This period',
          '[- ]+',
          'DoesNotExist: no privacy settings for <email> \\(profiles\\.views in boom\\)\\s+django-profile\\s+error\\s+41\\s+3\\s+unresolved\\s+new',
          'TimeoutError: upstream timed out\\s+vigil\\s+warning\\s+12\\s+0\\s+unresolved\\s+regressed',
          'KeyError: wallet \\(wallets\\.sync in pull\\)\\s+django-profile\\s+error\\s+4\\s+1\\s+resolved\\s+resolved',
        ].join('\\n'),
      ),
    );
  });

  it('says "errors service unavailable" when it does not answer, and keeps the 5xx and alert figures', () => {
    const sources = weeklySources({ errors: { available: false, reason: 'no responders' } });
    const report = buildWeeklyReport({ period: W47, sources, generatedAt, timeZone: 'UTC' });
    expect(report.sections[1].available).toBe(true);
    const { text, html } = composeReportEmail(report);
    expect(text).toMatch(/Issues:\s+errors service unavailable: no responders\n/);
    expect(html).toContain('errors service unavailable: no responders');
    expect(text).toMatch(/5xx responses:\s+600/);
    expect(text).toMatch(/DiskFull\s+critical\s+2\s+firing/);
    expect(text).not.toContain('Top 10 issues');
  });

  it('redacts what an issue title carries (titles come from application exceptions)', () => {
    const base = weeklySources();
    if (!base.errors.available) throw new Error('fixture: errors available');
    const [first] = base.errors.data.top_issues;
    const sources = weeklySources({
      errors: {
        available: true,
        data: {
          ...base.errors.data,
          top_issues: [{ ...first, title: 'no profile for jane.doe@example.com' }],
        },
      },
    });
    const { text, html } = composeReportEmail(
      buildWeeklyReport({ period: W47, sources, generatedAt, timeZone: 'UTC' }),
    );
    expect(`${text}${html}`).not.toContain('jane.doe@example.com');
    expect(text).toContain('no profile for [REDACTED:email] (profiles.views in boom)');
  });

  it('marks a failed source unavailable with its reason and still reports the others', () => {
    const sources = weeklySources({ health: { available: false, reason: 'no reply within 3000 ms' } });
    const report = buildWeeklyReport({ period: W47, sources, generatedAt, timeZone: 'UTC' });
    expect(report.headline).toBe('Week 47: uptime unavailable, 2 P1 alerts');
    expect(report.sections[2]).toEqual({
      title: 'Uptime',
      available: false,
      reason: 'no reply within 3000 ms',
    });
    expect(report.sections[3].available).toBe(true);
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

  it('counts every admin action but views as an admin change', () => {
    const base = weeklySources();
    if (!base.audit.available) throw new Error('fixture audit');
    const by_action = {
      'admin.profile.viewed': 1000,
      'admin.profile.changed': 3,
      'admin.economy_field.changed': 2,
      'admin.bulk_action.executed': 1,
      'user.login': 50,
    };
    expect(adminChanges({ ...base.audit.data, by_action })).toBe(6);
  });

  it('formats an instant in a time zone', () => {
    expect(formatInstant(new Date('2026-07-01T22:30:00Z'), 'America/New_York')).toBe('2026-07-01 18:30');
    expect(formatInstant(new Date('2026-07-01T00:00:00Z'), 'UTC')).toBe('2026-07-01 00:00');
  });
});
