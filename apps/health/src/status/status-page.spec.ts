import { formatDuration, renderStatusPage, sparkline } from './status-page';
import type { StatusView, TargetStatusView } from './status-view.service';

const target = (overrides: Partial<TargetStatusView>): TargetStatusView => ({
  name: 'web',
  kind: 'http',
  url: 'http://web.test/',
  status: 'up',
  since: '2026-01-01T00:00:00.000Z',
  last_checked_at: '2026-01-01T00:01:00.000Z',
  response_time_ms: 12.4,
  last_error: null,
  uptime_pct: { '24h': 100, '7d': 99.5, '30d': null },
  response_time_ms_p50: 10,
  response_time_ms_p95: 20,
  response_times_ms: [10, 12, null, 11],
  incidents: [],
  ...overrides,
});

describe('renderStatusPage', () => {
  it('shows state, uptime per window and a sparkline per target', () => {
    const html = renderStatusPage({ generated_at: 'now', incidents: [], targets: [target({})] });
    expect(html).toContain('All systems operational.');
    expect(html).toContain('<span class="state state-up">up</span>');
    expect(html).toMatch(/100\.00%.*99\.50%.*—/s);
    expect(html).toContain('p95 20 ms');
    expect(html).toContain('<circle'); // the failed check
    expect(html).toContain('No incidents in the last 30 days.');
  });

  it('escapes everything that comes from targets and checks', () => {
    const view: StatusView = {
      generated_at: 'now',
      targets: [target({ status: 'down', last_error: '<script>alert(1)</script>' })],
      incidents: [
        {
          target: 'web',
          started_at: 'a',
          ended_at: null,
          duration_s: 3725,
          reason: 'body "<img src=x onerror=alert(1)>"',
        },
      ],
    };
    const html = renderStatusPage(view);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('1 of 1 down: web.');
    expect(html).toContain('<strong>ongoing</strong>');
    expect(html).toContain('1h 2m');
  });
});

describe('formatDuration and sparkline', () => {
  it('formats durations with the two largest units', () => {
    expect([45, 60, 3725, 90_061].map(formatDuration)).toEqual(['45s', '1m', '1h 2m', '1d 1h']);
  });

  it('draws nothing but a note without data', () => {
    expect(sparkline([])).toContain('no data');
    expect(sparkline([5])).toContain('<polyline');
  });
});
