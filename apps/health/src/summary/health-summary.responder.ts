import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

import {
  HEALTH_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
  type HealthSummaryReplyV1,
  type SummaryRequestV1,
} from '@vigil/contracts';
import { NatsMessaging } from '@vigil/platform';

import { CheckHistoryRepository } from '../history/check-history.repository';
import { TargetStateService, type TargetSnapshot } from '../state/target-state.service';
import { StatusHistoryRepository, type DailyValue } from '../history/status-history.repository';
import { jobProblem } from './job-problem';

/** Incidents listed in a summary at most; the newest first. */
const MAX_INCIDENTS = 200;

function roundMs(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

/** Answers health.v1.summary for the reporting service: current status and uptime per target over the window. */
@Injectable()
export class HealthSummaryResponder implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: NatsMessaging,
    private readonly states: TargetStateService,
    private readonly repository: CheckHistoryRepository,
    private readonly statusHistory: StatusHistoryRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.messaging.serve(HEALTH_SUMMARY_SUBJECT, summaryRequestV1Schema, (request) =>
      this.summarise(request),
    );
  }

  /**
   * Status, kind, uptime and response-time percentiles per target, SQL checks' values per day, the
   * incidents overlapping the window, and the heartbeat jobs that were late or failed in it.
   */
  async summarise(request: SummaryRequestV1): Promise<HealthSummaryReplyV1> {
    const snapshot = this.states.snapshot();
    const names = snapshot.map((s) => s.target.name);
    const sqlNames = snapshot.filter((s) => isKind(s.target, 'sql')).map((s) => s.target.name);
    const [uptimeRows, percentileRows, incidents, dailyValues] = await Promise.all([
      this.repository.uptimeBetween(names, request.from, request.to),
      this.repository.percentilesBetween(names, request.from, request.to),
      this.repository.incidentsBetween(names, request.from, request.to, MAX_INCIDENTS),
      this.statusHistory.dailyLastValues(sqlNames, request.from, request.to),
    ]);
    const heartbeats = new Set(
      snapshot.filter((s) => isKind(s.target, 'heartbeat')).map((s) => s.target.name),
    );
    const uptime = new Map(uptimeRows.map((u) => [u.target, u]));
    const percentiles = new Map(percentileRows.map((p) => [p.target, p]));
    return {
      from: request.from,
      to: request.to,
      targets: snapshot.map(({ target, state }) => {
        const counts = uptime.get(target.name);
        const checks = counts?.checks ?? 0;
        const times = percentiles.get(target.name);
        return {
          name: target.name,
          status: state.status,
          uptime_pct: checks === 0 ? null : Math.round((10_000 * (counts?.successes ?? 0)) / checks) / 100,
          checks,
          p50_ms: roundMs(times?.p50 ?? null),
          p95_ms: roundMs(times?.p95 ?? null),
          kind: target.kind,
          ...measuredValues(target, dailyValues),
        };
      }),
      incidents: incidents.map((incident) => ({
        target: incident.target,
        started_at: incident.startedAt,
        ended_at: incident.endedAt,
        duration_s:
          incident.endedAt === null
            ? null
            : Math.max(0, (Date.parse(incident.endedAt) - Date.parse(incident.startedAt)) / 1000),
        reason: incident.reason,
      })),
      late_or_failed_jobs: incidents
        .filter((incident) => heartbeats.has(incident.target))
        .reverse()
        .map((incident) => ({
          target: incident.target,
          problem: jobProblem(incident.reason),
          started_at: incident.startedAt,
          ended_at: incident.endedAt,
          reason: incident.reason,
        })),
    };
  }
}

/** An SQL check's value of each day in the window and its latest one; nothing for other kinds. */
function measuredValues(
  target: TargetSnapshot['target'],
  daily: readonly DailyValue[],
): { last_value?: number | null; values?: { day: string; value: number }[] } {
  if (!isKind(target, 'sql')) return {};
  const values = daily.filter((d) => d.target === target.name).map(({ day, value }) => ({ day, value }));
  return { last_value: values.length === 0 ? null : values[values.length - 1].value, values };
}

/** Kinds other parts add (heartbeat, sql) are compared as plain strings. */
function isKind(target: TargetSnapshot['target'], kind: string): boolean {
  return (target.kind as string) === kind;
}
