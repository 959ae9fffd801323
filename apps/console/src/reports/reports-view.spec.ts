import type { ConsoleSession } from '../session/console-session';
import type { ReportRun } from './reporting-api';
import { reportsBody, type ReportsPage } from './reports-view';

const session: ConsoleSession = {
  idHash: 'ab',
  principal: 'lead',
  kind: 'api-key',
  credential: 'k',
  access: { reporting: ['reports:run'], alerting: [] },
  csrfToken: 'csrf-token-2',
  expiresAt: new Date('2026-12-08T10:00:00Z'),
};

const run: ReportRun = {
  id: '0b7c7e55-1d7a-4c55-9d43-6f1b7c0e2a11',
  report: 'weekly',
  period_start: '2026-11-30T00:00:00.000Z',
  period_end: '2026-12-07T00:00:00.000Z',
  status: 'sent',
  claimed_at: '2026-12-07T08:00:00.000Z',
  sent_at: '2026-12-07T08:00:02.000Z',
  error: null,
  attempts: 1,
  subject: 'Vigil weekly report <script>alert(1)</script>',
};

function page(overrides: Partial<ReportsPage> = {}): ReportsPage {
  return {
    runs: [run],
    definitions: [{ id: 'weekly', name: 'weekly', period: 'week', time_zone: 'UTC', enabled: true }],
    panel: {
      summary: {
        from: '2026-12-01T02:00:00.000Z',
        to: '2026-12-08T02:00:00.000Z',
        total_alerts: 9,
        by_severity: { critical: 2 },
        delivered: 9,
        failed: 0,
        episodes: 5,
        acknowledged: 2,
        mtta_s: 272.4,
        mttr_s: 5400,
        false_positives: 1,
        false_positive_rate: 0.2,
        top_noisy: [{ alertname: 'Disk<script>Full', count: 3 }],
        top_alerts: [{ alertname: 'Disk<script>Full', severity: 'high', count: 3, status: 'firing' }],
      },
    },
    days: 7,
    mayRun: true,
    ...overrides,
  };
}

describe('reports page', () => {
  it('links each archived report to its HTML and PDF through the console, with escaped subjects', () => {
    const out = reportsBody(page(), session).value;
    expect(out).not.toContain('<script');
    expect(out).toContain(`href="/reports/${run.id}"`);
    expect(out).toContain(`href="/reports/${run.id}.pdf" download`);
    expect(out).toContain('Vigil weekly report &lt;script&gt;');
  });

  it('shows MTTA, MTTR and the noisiest alerts of the period', () => {
    const out = reportsBody(page(), session).value;
    expect(out).toContain('<dt>MTTA</dt>');
    expect(out).toContain('4m 32s');
    expect(out).toContain('1h 30m');
    expect(out).toContain('1 (20.0 %)');
    expect(out).toContain('Disk&lt;script&gt;Full');
    expect(out).toContain('<strong aria-current="true">last 7 days</strong>');
  });

  it('offers run now and dry run only to a key with reports:run', () => {
    const out = reportsBody(page(), session).value;
    expect(out).toContain('action="/reports/run"');
    expect(out).toContain('name="_csrf" value="csrf-token-2"');
    expect(out).toContain('value="dry"');
    const readOnly = reportsBody(page({ mayRun: false }), session).value;
    expect(readOnly).not.toContain('/reports/run');
    expect(readOnly).not.toContain('<button');
  });

  it('says why the figures are missing instead of failing the archive', () => {
    const out = reportsBody(
      page({ panel: { unavailable: 'MTTA and MTTR are unavailable: <b>down</b>' } }),
      session,
    ).value;
    expect(out).toContain('MTTA and MTTR are unavailable: &lt;b&gt;down&lt;/b&gt;');
    expect(out).toContain(`href="/reports/${run.id}"`);
  });
});
