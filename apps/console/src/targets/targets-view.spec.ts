import type { HeartbeatMonitor, TargetStatus } from './health-api';
import { targetBody, targetRows, targetsBody } from './targets-view';

const XSS = `<script>alert(1)</script>`;

function target(overrides: Partial<TargetStatus> = {}): TargetStatus {
  return {
    name: 'shop',
    kind: 'http',
    url: 'https://shop.example/health',
    status: 'up',
    since: '2026-12-07T00:00:00.000Z',
    last_checked_at: '2026-12-08T01:59:58.000Z',
    response_time_ms: 12,
    last_error: null,
    uptime_pct: { '24h': 100, '7d': 99.5, '30d': 99.87 },
    response_time_ms_p50: 10,
    response_time_ms_p95: 30,
    response_times_ms: [11, null, 12],
    incidents: [],
    days: [],
    uptime_90d_pct: 99.9,
    last_value: null,
    last_ping_at: null,
    next_due_at: null,
    cert_days_left: null,
    ...overrides,
  };
}

const monitor: HeartbeatMonitor = {
  name: 'nightly-backup',
  origin: 'api',
  schedule: { period_s: 86_400 },
  grace_s: 3600,
  status: 'unknown',
  last_ping_at: null,
  last_success_at: null,
  next_due_at: '2026-12-09T02:00:00.000Z',
};

describe('target pages', () => {
  it('lists targets with their uptime windows, and heartbeats with when they are due next', () => {
    const rows = targetRows([target()], [monitor]);
    expect(rows.map((r) => r.status?.name ?? r.monitor?.name)).toEqual(['shop', 'nightly-backup']);
    const out = targetsBody(rows, '2026-12-08T02:00:00.000Z').value;
    expect(out).toContain('<a href="/targets/shop">shop</a>');
    expect(out).toContain('99.50 %');
    expect(out).toContain('99.87 %');
    expect(out).toContain('<time datetime="2026-12-09T02:00:00.000Z">2026-12-09T02:00:00Z</time>');
    expect(out).toContain('<th scope="col">Next due</th>');
  });

  it('escapes target names, errors and incident reasons, and encodes names in links', () => {
    const hostile = target({
      name: `a"b${XSS}`,
      status: 'down',
      last_error: XSS,
      incidents: [
        { target: 'x', started_at: '2026-12-08T01:00:00.000Z', ended_at: null, duration_s: 65, reason: XSS },
      ],
    });
    const list = targetsBody(targetRows([hostile], []), '2026-12-08T02:00:00.000Z').value;
    expect(list).not.toContain('<script');
    expect(list).toContain('href="/targets/a%22b%3Cscript%3Ealert(1)%3C%2Fscript%3E"');
    const detail = targetBody(hostile, null).value;
    expect(detail).not.toContain('<script');
    expect(detail).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(detail).toContain('1m 5s');
    expect(detail).toContain('1 of the last 3 checks failed');
  });

  it('shows a heartbeat monitor with its schedule and grace', () => {
    const out = targetBody(null, monitor).value;
    expect(out).toContain('every 1d 0h, grace 1h 0m (api)');
  });
});
