import type { HealthSummaryReplyV1 } from '@vigil/contracts';

import { composeReportEmail } from './report-email';
import { textSparkline, valueTrend } from './jobs-and-integrity';
import { W47, weeklySources } from './weekly-sources.fixture';
import { buildWeeklyReport } from './weekly-report.builder';

const generatedAt = new Date('2026-11-23T06:00:00Z');
const from = W47.start.toISOString();
const to = W47.end.toISOString();

/** A week of health with two SQL checks, a heartbeat job, and the job's late and failed runs. */
function health(overrides: Partial<HealthSummaryReplyV1> = {}): HealthSummaryReplyV1 {
  return {
    from,
    to,
    targets: [
      { name: 'shop-api', status: 'up', uptime_pct: 99.9, checks: 10080, kind: 'http' },
      {
        name: 'private-profiles-with-social-links',
        status: 'down',
        uptime_pct: 71.43,
        checks: 168,
        kind: 'sql',
        last_value: 3,
        values: [
          { day: '2026-11-16', value: 0 },
          { day: '2026-11-18', value: 1 },
          { day: '2026-11-22', value: 3 },
        ],
      },
      {
        name: 'orphaned-game-profiles',
        status: 'up',
        uptime_pct: 100,
        checks: 168,
        kind: 'sql',
        last_value: 0,
        values: [{ day: '2026-11-16', value: 0 }],
      },
      { name: 'nightly-backup', status: 'up', uptime_pct: 85.71, checks: 7, kind: 'heartbeat' },
    ],
    late_or_failed_jobs: [
      {
        target: 'nightly-backup',
        problem: 'late',
        started_at: '2026-11-17T03:00:00.000Z',
        ended_at: '2026-11-17T04:30:00.000Z',
        reason: '1 consecutive failed check: no ping by the deadline',
      },
      {
        target: 'nightly-backup',
        problem: 'failed',
        started_at: '2026-11-20T02:10:00.000Z',
        ended_at: null,
        reason: '1 consecutive failed check: exit code 3, mail sent to ops.lead@example.com',
      },
    ],
    ...overrides,
  };
}

function email(data: HealthSummaryReplyV1, sources = weeklySources({ health: { available: true, data } })) {
  return composeReportEmail(buildWeeklyReport({ period: W47, sources, generatedAt, timeZone: 'UTC' }));
}

describe('late and failed jobs in the uptime section', () => {
  it('counts and lists each late or failed run with its start, duration and cause, in text and HTML', () => {
    const { text, html } = email(health());
    const uptime = text.slice(text.indexOf('\nUptime\n'), text.indexOf('\nAlerts\n'));
    expect(uptime).toMatch(/Late jobs:\s+1\n/);
    expect(uptime).toMatch(/Failed jobs:\s+1\n/);
    expect(uptime).toContain('Late and failed jobs');
    expect(uptime).toMatch(
      /nightly-backup\s+late\s+2026-11-17 03:00\s+1h 30m\s+1 consecutive failed check: no ping/,
    );
    expect(uptime).toMatch(
      /nightly-backup\s+failed\s+2026-11-20 02:10\s+ongoing\s+1 consecutive failed check: exit code 3/,
    );
    expect(html).toContain('Late and failed jobs');
    expect(html).toMatch(/<td[^>]*>nightly-backup<\/td><td[^>]*>late<\/td>/);
  });

  it('redacts personal data a job reported in its failure', () => {
    const { text, html } = email(health());
    expect(`${text}${html}`).not.toContain('ops.lead@example.com');
    expect(text).toContain('mail sent to [REDACTED:email]');
  });

  it('says 0 and draws no table in a week without late or failed jobs; says nothing for an older health', () => {
    const quiet = email(health({ late_or_failed_jobs: [] })).text;
    expect(quiet).toMatch(/Late jobs:\s+0\n/);
    expect(quiet).not.toContain('Late and failed jobs');
    const older = email(health({ late_or_failed_jobs: undefined })).text;
    expect(older).not.toContain('Late jobs');
  });
});

describe('SQL integrity checks in the privacy section', () => {
  it("shows each check's state, last value and trend over the week, in text and HTML", () => {
    const { text, html } = email(health());
    const privacy = text.slice(
      text.indexOf('\nPrivacy and admin activity\n'),
      text.indexOf('\nAudit activity\n'),
    );
    expect(privacy).toMatch(/Integrity checks failing:\s+1 of 2\n/);
    expect(privacy).toContain('Integrity checks (SQL)');
    expect(privacy).toMatch(/private-profiles-with-social-links\s+down\s+3\s+▲ 0 → 3\s+▁▃█/);
    expect(privacy).toMatch(/orphaned-game-profiles\s+up\s+0\s+= 0\s+▁/);
    // Only SQL checks are listed there.
    expect(privacy).not.toContain('nightly-backup');
    expect(html).toMatch(
      /<td[^>]*>private-profiles-with-social-links<\/td><td[^>]*>down<\/td><td[^>]*>3<\/td><td[^>]*>▲ 0 → 3<\/td>/,
    );
    // The audit half stays.
    expect(privacy).toMatch(/Privacy setting changes:\s+200/);
  });

  it('keeps the integrity checks when the audit does not answer, and the audit figures when health does not', () => {
    const noAudit = email(
      health(),
      weeklySources({
        health: { available: true, data: health() },
        audit: { available: false, reason: 'timeout' },
      }),
    ).text;
    expect(noAudit).toMatch(/Audit figures:\s+unavailable: timeout/);
    expect(noAudit).toMatch(/private-profiles-with-social-links\s+down\s+3/);
    const noHealth = composeReportEmail(
      buildWeeklyReport({
        period: W47,
        sources: weeklySources({ health: { available: false, reason: 'no reply within 3000 ms' } }),
        generatedAt,
        timeZone: 'UTC',
        sections: ['privacy'],
      }),
    ).text;
    expect(noHealth).toMatch(/Integrity checks:\s+unavailable: no reply within 3000 ms/);
    expect(noHealth).toMatch(/Privacy setting changes:\s+200/);
    const neither = buildWeeklyReport({
      period: W47,
      sources: weeklySources({
        health: { available: false, reason: 'down' },
        audit: { available: false, reason: 'timeout' },
      }),
      generatedAt,
      timeZone: 'UTC',
      sections: ['privacy'],
    });
    expect(neither.sections[0]).toEqual({
      title: 'Privacy and admin activity',
      available: false,
      reason: 'audit: timeout; integrity checks: down',
    });
  });

  it('draws the trend as an arrow against the first day and a text sparkline', () => {
    expect(valueTrend({ values: [{ day: '2026-11-16', value: 5 }], last_value: 2 })).toBe('▼ 5 → 2');
    expect(valueTrend({ values: [], last_value: null })).toBe('n/a');
    expect(textSparkline([0, 7, 14])).toBe('▁▅█');
    expect(textSparkline([4, 4])).toBe('▁▁');
    expect(textSparkline([])).toBe('-');
  });
});
