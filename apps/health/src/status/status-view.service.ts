import { Injectable } from '@nestjs/common';

import type { TargetStatus } from '@vigil/contracts';
import { redactString } from '@vigil/redaction';

import { CheckHistoryRepository, type Incident } from '../history/check-history.repository';
import { TargetStateService } from '../state/target-state.service';
import type { TargetDefinition } from '../targets/target-definition';

export const UPTIME_WINDOWS = { '24h': 1, '7d': 7, '30d': 30 } as const;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;
const DAY_MS = 86_400_000;
const SPARKLINE_POINTS = 60;
const INCIDENT_LIMIT = 50;

export interface IncidentView {
  target: string;
  started_at: string;
  ended_at: string | null;
  /** Seconds down so far for an open incident. */
  duration_s: number;
  reason: string;
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
      })),
    };
  }
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
