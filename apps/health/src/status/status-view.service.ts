import { Injectable } from '@nestjs/common';

import type { TargetStatus } from '@vigil/contracts';
import { redactString } from '@vigil/redaction';

import { CheckHistoryRepository, type Incident } from '../history/check-history.repository';
import { TargetStateService } from '../state/target-state.service';
import type { TargetDefinition } from '../targets/target-definition';
import { StatusHistoryRepository, type DailyDowntime } from '../history/status-history.repository';
import { nextDueAt } from '../heartbeats/evaluation/heartbeat-rules';
import { CertificateExpiryRepository } from '../certs/cert-expiry.repository';

export const UPTIME_WINDOWS = { '24h': 1, '7d': 7, '30d': 30 } as const;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;
const DAY_MS = 86_400_000;
const SPARKLINE_POINTS = 60;
const INCIDENT_LIMIT = 50;
/** Days in the per-day uptime bar (UTC days, today last). */
export const UPTIME_BAR_DAYS = 90;
/** Measured values in an SQL check's sparkline. */
const VALUE_POINTS = 60;

export interface IncidentView {
  target: string;
  started_at: string;
  ended_at: string | null;
  /** Seconds down so far for an open incident. */
  duration_s: number;
  reason: string;
}

/** One cell of the per-day uptime bar. */
export interface DayUptimeView {
  /** `YYYY-MM-DD`, a UTC day. */
  day: string;
  /** Seconds of the day inside an incident (clipped to the day). */
  downtime_s: number;
  /** Share of the watched part of the day without an incident; null before the target's first check. */
  uptime_pct: number | null;
}

export interface TargetStatusView {
  name: string;
  kind: TargetDefinition['kind'];
  url: string;
  status: TargetStatus;
  since: string;
  last_checked_at: string | null;
  response_time_ms: number | null;
  last_error: string | null;
  uptime_pct: Record<UptimeWindow, number | null>;
  /** Response-time percentiles over the last 24 h (ms). */
  response_time_ms_p50: number | null;
  response_time_ms_p95: number | null;
  /** Latest response times (ms), oldest first; null marks a failed check. */
  response_times_ms: (number | null)[];
  incidents: IncidentView[];
  /** The last 90 UTC days, oldest first, today last. */
  days: DayUptimeView[];
  /** Uptime over the watched part of those 90 days; null without data. */
  uptime_90d_pct: number | null;
  /** The latest measured value (SQL checks; also a heartbeat's reported number); null without one. */
  last_value: number | null;
  /** Latest measured values, oldest first (the value sparkline). */
  values: number[];
  /** Heartbeats: when the last successful run was reported (success ping or exit code 0). */
  last_ping_at: string | null;
  /** Heartbeats: when the next ping is due after the last one (late once its grace has passed too). */
  next_due_at: string | null;
  /** https targets: the earliest expiry in the certificate chain, once known. */
  cert_expires_at: string | null;
  /** Whole days until cert_expires_at (negative once expired). */
  cert_days_left: number | null;
}

export interface StatusView {
  generated_at: string;
  targets: TargetStatusView[];
  incidents: IncidentView[];
}

export function uptimePct(checks: number, successes: number): number | null {
  return checks === 0 ? null : Math.round((10_000 * successes) / checks) / 100;
}

/** What the status page and GET /api/status show: state, uptime windows, response times, incidents. */
@Injectable()
export class StatusViewService {
  constructor(
    private readonly states: TargetStateService,
    private readonly history: CheckHistoryRepository,
    private readonly statusHistory: StatusHistoryRepository,
    private readonly certificates: CertificateExpiryRepository,
  ) {}

  async view(now = new Date()): Promise<StatusView> {
    const snapshot = this.states.snapshot();
    const names = snapshot.map((s) => s.target.name);
    const to = new Date(now.getTime() + 1000).toISOString();
    const windows = await Promise.all(
      (Object.entries(UPTIME_WINDOWS) as [UptimeWindow, number][]).map(async ([window, days]) => {
        const from = new Date(now.getTime() - days * DAY_MS).toISOString();
        const counts = await this.history.uptimeBetween(names, from, to);
        return [window, new Map(counts.map((c) => [c.target, uptimePct(c.checks, c.successes)]))] as const;
      }),
    );
    const points = await this.history.recentResponseTimes(names, SPARKLINE_POINTS);
    const percentiles = new Map(
      (await this.history.percentilesBetween(names, new Date(now.getTime() - DAY_MS).toISOString(), to)).map(
        (p) => [p.target, p],
      ),
    );
    const incidents = (
      await this.history.incidentsBetween(
        names,
        new Date(now.getTime() - UPTIME_WINDOWS['30d'] * DAY_MS).toISOString(),
        to,
        INCIDENT_LIMIT,
      )
    ).map((incident) => incidentView(incident, now));
    const extras = await this.extras(
      snapshot.map((s) => s.target),
      now,
    );
    return {
      generated_at: now.toISOString(),
      incidents,
      targets: snapshot.map(({ target, state }) => ({
        name: target.name,
        kind: target.kind,
        url: redactString(target.url),
        status: state.status,
        since: state.since,
        last_checked_at: state.lastCheckedAt,
        response_time_ms: state.lastResponseTimeMs,
        last_error: state.lastError,
        uptime_pct: Object.fromEntries(
          windows.map(([window, byTarget]) => [window, byTarget.get(target.name) ?? null]),
        ) as Record<UptimeWindow, number | null>,
        response_time_ms_p50: round(percentiles.get(target.name)?.p50 ?? null),
        response_time_ms_p95: round(percentiles.get(target.name)?.p95 ?? null),
        response_times_ms: points
          .filter((p) => p.target === target.name)
          .map((p) => (p.ok ? p.responseTimeMs : null)),
        incidents: incidents.filter((i) => i.target === target.name),
        ...extras(target),
      })),
    };
  }

  /** The day bars, measured values, heartbeat pings and certificate expiry of each target. */
  private async extras(
    targets: readonly TargetDefinition[],
    now: Date,
  ): Promise<(target: TargetDefinition) => TargetExtras> {
    const names = targets.map((t) => t.name);
    const ofKind = (kind: string) => targets.filter((t) => kindOf(t) === kind).map((t) => t.name);
    const [days, values, pings, certs] = await Promise.all([
      this.statusHistory.dailyDowntime(names, UPTIME_BAR_DAYS, now),
      this.statusHistory.recentValues(names, VALUE_POINTS),
      this.statusHistory.lastSuccessPings(ofKind('heartbeat')),
      this.certificates.expiriesOf(names.filter((n, i) => targets[i].url.startsWith('https:'))),
    ]);
    return (target) => {
      const own = days.filter((d) => d.target === target.name);
      const measured = values.filter((v) => v.target === target.name).map((v) => v.value);
      const certExpiresAt = certs.get(target.name) ?? null;
      const lastPing = pings.get(target.name) ?? null;
      return {
        days: own.map(dayUptime),
        uptime_90d_pct: periodUptime(own),
        last_value: measured.length === 0 ? null : measured[measured.length - 1],
        values: measured,
        last_ping_at: lastPing,
        next_due_at:
          target.kind === 'heartbeat' && lastPing !== null
            ? nextDueAt(target, new Date(lastPing), new Date(lastPing)).toISOString()
            : null,
        cert_expires_at: certExpiresAt,
        cert_days_left:
          certExpiresAt === null ? null : Math.floor((Date.parse(certExpiresAt) - now.getTime()) / DAY_MS),
      };
    };
  }
}

type TargetExtras = Pick<
  TargetStatusView,
  | 'days'
  | 'uptime_90d_pct'
  | 'last_value'
  | 'values'
  | 'last_ping_at'
  | 'next_due_at'
  | 'cert_expires_at'
  | 'cert_days_left'
>;

/** A target's kind as a plain string, so kinds other branches add (heartbeat, sql) compare without casts. */
export function kindOf(target: { kind: string }): string {
  return target.kind;
}

export function dayUptime(day: DailyDowntime): DayUptimeView {
  return {
    day: day.day,
    downtime_s: Math.round(day.downS),
    uptime_pct: day.observedS <= 0 ? null : ratioPct(day.observedS - day.downS, day.observedS),
  };
}

/** Uptime over every watched second of the days; null when none was watched. */
export function periodUptime(days: readonly DailyDowntime[]): number | null {
  const observed = days.reduce((sum, d) => sum + d.observedS, 0);
  const down = days.reduce((sum, d) => sum + d.downS, 0);
  return observed <= 0 ? null : ratioPct(observed - down, observed);
}

function ratioPct(part: number, whole: number): number {
  return Math.round((10_000 * Math.max(0, part)) / whole) / 100;
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10;
}

function incidentView(incident: Incident, now: Date): IncidentView {
  const end = incident.endedAt ? Date.parse(incident.endedAt) : now.getTime();
  return {
    target: incident.target,
    started_at: incident.startedAt,
    ended_at: incident.endedAt,
    duration_s: Math.max(0, Math.round((end - Date.parse(incident.startedAt)) / 1000)),
    reason: incident.reason,
  };
}
