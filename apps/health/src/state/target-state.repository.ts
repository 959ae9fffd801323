import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { TargetStatus } from '@vigil/contracts';

import type { TargetState } from './target-state-machine';

/** A check result as stored: the error is already redacted. */
export interface StoredCheckResult {
  target: string;
  ok: boolean;
  statusCode: number | null;
  responseTimeMs: number;
  error: string | null;
  checkedAt: string;
  /** The replica that ran the check. */
  checkedBy: string;
  /** The measured number (SQL checks, heartbeats with a value); absent for the others. */
  value?: number | null;
  /** Checked inside a maintenance window: left out of uptime. */
  inMaintenance?: boolean;
}

interface TargetStateRow {
  target: string;
  status: TargetStatus;
  since: Date;
  consecutive_failures: number;
  consecutive_successes: number;
  last_checked_at: Date | null;
  last_response_time_ms: number | null;
  last_error: string | null;
  recent_outcomes: boolean[];
  alertname: string | null;
  alert_starts_at: Date | null;
}

/** All SQL of check_results and target_states; no business rule lives here. */
@Injectable()
export class TargetStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends a check result and saves the target's new state in one transaction. Runs once per
   * check of every target, so it is two plain parameterised statements.
   */
  async recordCheck(result: StoredCheckResult, state: TargetState): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO check_results (target, ok, status_code, response_time_ms, error, checked_at, checked_by, value,
                                    in_maintenance)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          result.target,
          result.ok,
          result.statusCode,
          result.responseTimeMs,
          result.error,
          result.checkedAt,
          result.checkedBy,
          result.value ?? null,
          result.inMaintenance ?? false,
        ],
      );
      await manager.query(
        `INSERT INTO target_states (target, status, since, consecutive_failures, consecutive_successes,
                                    last_checked_at, last_response_time_ms, last_error, recent_outcomes,
                                    alertname, alert_starts_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (target) DO UPDATE SET
           status = EXCLUDED.status, since = EXCLUDED.since,
           consecutive_failures = EXCLUDED.consecutive_failures,
           consecutive_successes = EXCLUDED.consecutive_successes,
           last_checked_at = EXCLUDED.last_checked_at,
           last_response_time_ms = EXCLUDED.last_response_time_ms,
           last_error = EXCLUDED.last_error,
           recent_outcomes = EXCLUDED.recent_outcomes,
           alertname = EXCLUDED.alertname,
           alert_starts_at = EXCLUDED.alert_starts_at`,
        [
          result.target,
          state.status,
          state.since,
          state.consecutiveFailures,
          state.consecutiveSuccesses,
          state.lastCheckedAt,
          state.lastResponseTimeMs,
          state.lastError,
          state.recentOutcomes,
          state.alertname,
          state.alertStartsAt,
        ],
      );
    });
  }

  /** Saves that a target's alert was fired (startsAt) or resolved (null). */
  async saveAlert(target: string, alertname: string | null, alertStartsAt: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE target_states SET alertname = $2, alert_starts_at = $3 WHERE target = $1`,
      [target, alertname, alertStartsAt],
    );
  }

  /** Saved states of the given targets (those never checked have none). */
  async statesOf(targets: readonly string[]): Promise<Map<string, TargetState>> {
    const rows: TargetStateRow[] = await this.dataSource.query(
      `SELECT target, status, since, consecutive_failures, consecutive_successes, last_checked_at,
              last_response_time_ms, last_error, recent_outcomes, alertname, alert_starts_at
         FROM target_states WHERE target = ANY($1::text[])`,
      [targets],
    );
    return new Map(
      rows.map((r) => [
        r.target,
        {
          status: r.status,
          since: r.since.toISOString(),
          consecutiveFailures: r.consecutive_failures,
          consecutiveSuccesses: r.consecutive_successes,
          lastCheckedAt: r.last_checked_at?.toISOString() ?? null,
          lastResponseTimeMs: r.last_response_time_ms,
          lastError: r.last_error,
          recentOutcomes: r.recent_outcomes,
          alertname: r.alertname,
          alertStartsAt: r.alert_starts_at?.toISOString() ?? null,
        },
      ]),
    );
  }
}
