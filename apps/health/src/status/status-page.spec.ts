import { dayBar, dayClass, dayLabel, formatDuration, renderStatusPage, sparkline } from './status-page';
import type { DayUptimeView, StatusView, TargetStatusView } from './status-view.service';

const day = (overrides: Partial<DayUptimeView>): DayUptimeView => ({
  day: '2026-01-01',
  downtime_s: 0,
  uptime_pct: 100,
  ...overrides,
});

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
  days: [day({ uptime_pct: null }), day({ day: '2026-01-02' })],
  uptime_90d_pct: 100,
  last_value: null,
  values: [],
  last_ping_at: null,
  next_due_at: null,
  cert_expires_at: null,
  cert_days_left: null,
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

describe('per-day uptime bar', () => {
  it('colours a day by its downtime: grey without data, green, amber, orange, red', () => {
    expect(
      [
        day({ uptime_pct: null }),
        day({}),
        day({ downtime_s: 60, uptime_pct: 99.93 }),
        day({ downtime_s: 3600, uptime_pct: 95.83 }),
        day({ downtime_s: 7200, uptime_pct: 91.67 }),
      ].map(dayClass),
    ).toEqual(['day-none', 'day-ok', 'day-minor', 'day-major', 'day-down']);
  });

  it('labels every cell with its UTC date, downtime and uptime, and lets the keyboard reach down days', () => {
    const down = day({ day: '2026-01-03', downtime_s: 3725, uptime_pct: 95.69 });
    expect(dayLabel(down)).toBe('2026-01-03 (UTC): down 1h 2m, uptime 95.69%');
    expect(dayLabel(day({ uptime_pct: null }))).toBe('2026-01-01 (UTC): no data');
    const html = dayBar(target({ days: [day({}), down], uptime_90d_pct: 97.85 }));
    expect(html.match(/<li class="day /g)).toHaveLength(2);
    expect(html).toContain(
      '<li class="day day-major" data-day="2026-01-03" title="2026-01-03 (UTC): down 1h 2m, uptime 95.69%" tabindex="0">',
    );
    expect(html).toContain('<span class="sr-only">2026-01-01 (UTC): no downtime, uptime 100.00%</span>');
    expect(html).toContain('97.85% over 2 days (UTC days)');
  });
});

describe('kinds', () => {
  it("shows each row's kind, an SQL check's last value and value sparkline", () => {
    const html = renderStatusPage({
      generated_at: '2026-01-02T00:00:00.000Z',
      incidents: [],
      targets: [
        target({
          name: 'orphans',
          kind: 'sql',
          last_value: 3,
          values: [0, 1, 3],
        }),
      ],
    });
    expect(html).toContain('<span class="kind">sql</span>');
    expect(html).toContain('last value <strong class="num">3</strong>');
    expect(html).toContain('aria-label="value, last 3 checks, from 0 to 3"');
  });

  it("shows a heartbeat's last ping and an https target's days to certificate expiry", () => {
    const html = renderStatusPage({
      generated_at: '2026-01-02T00:00:00.000Z',
      incidents: [],
      targets: [
        target({
          name: 'backup',
          kind: 'heartbeat',
          last_ping_at: '2026-01-01T02:00:00.000Z',
          next_due_at: '2026-01-02T02:00:00.000Z',
        }),
        target({ name: 'never', kind: 'heartbeat' }),
        target({ name: 'shop', cert_expires_at: '2026-01-20T00:00:00.000Z', cert_days_left: 18 }),
      ],
    });
    expect(html).toContain(
      'last ping <time datetime="2026-01-01T02:00:00.000Z">2026-01-01T02:00:00.000Z</time>, next due <time datetime="2026-01-02T02:00:00.000Z">',
    );
    expect(html).toContain('last ping never');
    expect(html).toContain('certificate expires in 18 days');
  });

  it('renders instants as <time> for the page script and loads only the same-origin script', () => {
    const html = renderStatusPage({
      generated_at: '2026-01-02T00:00:00.000Z',
      incidents: [],
      targets: [target({})],
    });
    expect(html).toContain(
      'Generated <time datetime="2026-01-02T00:00:00.000Z">2026-01-02T00:00:00.000Z</time>',
    );
    expect(html).toContain('since <time datetime="2026-01-01T00:00:00.000Z">');
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script src="/status.js" defer>']);
    expect(html).toContain('<script src="/status.js" defer></script>');
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
