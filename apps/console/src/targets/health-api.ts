/** The parts of health's `GET /api/status` and `GET /api/heartbeats` the target pages show. */
export interface TargetStatus {
  name: string;
  kind: string;
  url: string;
  status: string;
  since: string;
  last_checked_at: string | null;
  response_time_ms: number | null;
  last_error: string | null;
  uptime_pct: Partial<Record<'24h' | '7d' | '30d', number | null>>;
  response_time_ms_p50: number | null;
  response_time_ms_p95: number | null;
  /** Latest response times, oldest first; null marks a failed check. */
  response_times_ms: (number | null)[];
  incidents: Incident[];
  days: { day: string; downtime_s: number; uptime_pct: number | null }[];
  uptime_90d_pct: number | null;
  last_value: number | null;
  last_ping_at: string | null;
  next_due_at: string | null;
  cert_days_left: number | null;
}

export interface Incident {
  target: string;
  started_at: string;
  ended_at: string | null;
  duration_s: number;
  reason: string;
}

export interface StatusAnswer {
  generated_at: string;
  targets: TargetStatus[];
}

export interface HeartbeatMonitor {
  name: string;
  origin: string;
  schedule: { period_s: number } | { cron: string; timezone: string };
  grace_s: number;
  status: string;
  last_ping_at: string | null;
  last_success_at: string | null;
  next_due_at: string;
}

export interface MonitorsAnswer {
  monitors: HeartbeatMonitor[];
}
