import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { TargetStatus } from '@vigil/contracts';

export type MonitorOrigin = 'file' | 'api';

/** A monitor row with what the API shows of it: its state and latest pings. */
export interface MonitorDetails {
  name: string;
  token: string;
  origin: MonitorOrigin;
  createdAt: Date;
  status: TargetStatus | null;
  since: Date | null;
  lastError: string | null;
  lastPingAt: Date | null;
  lastSuccessAt: Date | null;
}

interface DetailsRow {
  name: string;
  token: string;
  origin: MonitorOrigin;
  created_at: Date;
  status: TargetStatus | null;
  since: Date | null;
  last_error: string | null;
  last_ping_at: Date | null;
  last_success_at: Date | null;
}

/** SQL of heartbeat_monitors (and the rows that belong to a monitor); no rule lives here. */
@Injectable()
export class HeartbeatMonitorRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Makes `name` a file monitor. A configured token (token_env/token_file) replaces the stored one; else
   * the stored token is kept (restarts and other replicas agree) and `generated` is used only for a new row.
   */
  async syncFileMonitor(name: string, configuredToken: string | null, generated: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO heartbeat_monitors (name, token, origin, definition) VALUES ($1, $2, 'file', NULL)
       ON CONFLICT (name) DO UPDATE SET origin = 'file', definition = NULL,
         token = CASE WHEN $3 THEN EXCLUDED.token ELSE heartbeat_monitors.token END`,
      [name, configuredToken ?? generated, configuredToken !== null],
    );
  }

  /** Stores a monitor created by API; false when one of that name exists already. */
  async insertApiMonitor(name: string, token: string, definition: object): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO heartbeat_monitors (name, token, origin, definition) VALUES ($1, $2, 'api', $3::jsonb)
       ON CONFLICT (name) DO NOTHING RETURNING name`,
      [name, token, JSON.stringify(definition)],
    );
    return rows.length === 1;
  }

  /** Every monitor created by API, with the definition it was created with. */
  async apiMonitors(): Promise<{ name: string; definition: unknown }[]> {
    return this.dataSource.query(
      `SELECT name, definition FROM heartbeat_monitors WHERE origin = 'api' ORDER BY created_at, name`,
    );
  }

  /**
   * Deletes an API monitor with its pings and evaluation state (a monitor created again later under the
   * same name starts afresh). `file` when the monitor comes from the targets file (never deleted here).
   */
  async deleteApiMonitor(name: string): Promise<'deleted' | 'file' | 'missing'> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { origin: MonitorOrigin }[] = await manager.query(
        `SELECT origin FROM heartbeat_monitors WHERE name = $1 FOR UPDATE`,
        [name],
      );
      if (rows.length === 0) return 'missing';
      if (rows[0].origin === 'file') return 'file';
      await manager.query(`DELETE FROM heartbeat_pings WHERE monitor = $1`, [name]);
      await manager.query(`DELETE FROM heartbeat_evaluations WHERE monitor = $1`, [name]);
      await manager.query(`DELETE FROM heartbeat_monitors WHERE name = $1`, [name]);
      return 'deleted';
    });
  }

  /** The monitors named, with their state (as the owner last stored it), last ping and last success. */
  async details(names: readonly string[]): Promise<Map<string, MonitorDetails>> {
    const rows: DetailsRow[] = await this.dataSource.query(
      `SELECT m.name, m.token, m.origin, m.created_at, s.status, s.since, s.last_error,
              e.last_success_at,
              (SELECT p.received_at FROM heartbeat_pings p WHERE p.monitor = m.name
                ORDER BY p.id DESC LIMIT 1) AS last_ping_at
         FROM heartbeat_monitors m
         LEFT JOIN target_states s ON s.target = m.name
         LEFT JOIN heartbeat_evaluations e ON e.monitor = m.name
        WHERE m.name = ANY($1::text[])`,
      [names],
    );
    return new Map(
      rows.map((r) => [
        r.name,
        {
          name: r.name,
          token: r.token,
          origin: r.origin,
          createdAt: r.created_at,
          status: r.status,
          since: r.since,
          lastError: r.last_error,
          lastPingAt: r.last_ping_at,
          lastSuccessAt: r.last_success_at,
        },
      ]),
    );
  }
}
