import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { HeartbeatEvaluationState, HeartbeatPing, OpenRun } from './heartbeat-rules';

interface EvaluationRow {
  created_at: Date;
  last_ping_id: string | null;
  open_runs: OpenRun[] | null;
  last_success_at: Date | null;
  last_value: number | null;
  last_missed_due_at: Date | null;
}

interface PingRow {
  id: string;
  kind: HeartbeatPing['kind'];
  exit_code: number | null;
  rid: string | null;
  value: number | null;
  duration_ms: number | null;
  received_at: Date;
}

/** A monitor's evaluation state and when it was created (its first deadline counts from then). */
export interface StoredEvaluation {
  createdAt: Date;
  state: HeartbeatEvaluationState;
}

/** SQL of heartbeat_evaluations and the evaluator's reads of heartbeat_pings; no rule lives here. */
@Injectable()
export class HeartbeatEvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The stored state of `monitor`, initial when it has none yet; null when the monitor has no row. */
  async load(monitor: string): Promise<StoredEvaluation | null> {
    const rows: EvaluationRow[] = await this.dataSource.query(
      `SELECT m.created_at, e.last_ping_id, e.open_runs, e.last_success_at, e.last_value, e.last_missed_due_at
         FROM heartbeat_monitors m LEFT JOIN heartbeat_evaluations e ON e.monitor = m.name
        WHERE m.name = $1`,
      [monitor],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      createdAt: row.created_at,
      state: {
        cursor: Number(row.last_ping_id ?? 0),
        openRuns: row.open_runs ?? [],
        lastSuccessAt: row.last_success_at?.getTime() ?? null,
        lastValue: row.last_value,
        lastMissedDueAt: row.last_missed_due_at?.getTime() ?? null,
      },
    };
  }

  async save(monitor: string, state: HeartbeatEvaluationState): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO heartbeat_evaluations
         (monitor, last_ping_id, open_runs, last_success_at, last_value, last_missed_due_at, updated_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, now())
       ON CONFLICT (monitor) DO UPDATE SET last_ping_id = EXCLUDED.last_ping_id, open_runs = EXCLUDED.open_runs,
         last_success_at = EXCLUDED.last_success_at, last_value = EXCLUDED.last_value,
         last_missed_due_at = EXCLUDED.last_missed_due_at, updated_at = EXCLUDED.updated_at`,
      [
        monitor,
        state.cursor,
        JSON.stringify(state.openRuns),
        toDate(state.lastSuccessAt),
        state.lastValue,
        toDate(state.lastMissedDueAt),
      ],
    );
  }

  /**
   * Up to `limit` pings of `monitor` after id `cursor` received at or before `until`, in id order. The
   * evaluator passes `until` a little in the past: a ping's row commits a few ms after its id is taken, so
   * reading only settled pings keeps a later-committed lower id from being skipped by the cursor.
   */
  async pingsAfter(monitor: string, cursor: number, until: Date, limit: number): Promise<HeartbeatPing[]> {
    const rows: PingRow[] = await this.dataSource.query(
      `SELECT id, kind, exit_code, rid, value, duration_ms, received_at FROM heartbeat_pings
        WHERE monitor = $1 AND id > $2 AND received_at <= $3 ORDER BY id LIMIT $4`,
      [monitor, cursor, until, limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      kind: row.kind,
      exitCode: row.exit_code,
      rid: row.rid,
      value: row.value,
      durationMs: row.duration_ms,
      receivedAt: row.received_at,
    }));
  }
}

function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
