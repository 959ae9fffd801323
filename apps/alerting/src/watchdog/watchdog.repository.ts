import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { WatchdogRecord } from './watchdog';

interface WatchdogRow {
  armed_at: Date;
  last_seen_at: Date | null;
  raised_at: Date | null;
}

/** Held (per transaction) by the one replica judging the watchdog; the others skip that round. */
const WATCHDOG_LOCK = `pg_try_advisory_xact_lock(hashtextextended('vigil.alerting.watchdog', 0))`;

/** All SQL of the watchdog table; no business rule lives here. */
@Injectable()
export class WatchdogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records an arrival at `at`; the first one arms the check. */
  async recordArrival(name: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO watchdog (name, armed_at, last_seen_at) VALUES ($1, $2, $2)
       ON CONFLICT (name) DO UPDATE SET last_seen_at = GREATEST(watchdog.last_seen_at, excluded.last_seen_at)`,
      [name, at.toISOString()],
    );
  }

  /** Runs `work` in a transaction holding the watchdog lock; undefined when another replica holds it. */
  exclusively<T>(work: (tx: EntityManager) => Promise<T>): Promise<T | undefined> {
    return this.dataSource.transaction(async (tx) => {
      const [{ locked }] = await tx.query<{ locked: boolean }[]>(`SELECT ${WATCHDOG_LOCK} AS locked`);
      return locked ? work(tx) : undefined;
    });
  }

  /** Arms the check at `at` unless it already is. */
  async arm(tx: EntityManager, name: string, at: Date): Promise<void> {
    await tx.query(`INSERT INTO watchdog (name, armed_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [
      name,
      at.toISOString(),
    ]);
  }

  /** The record of `name`, locked until the transaction ends; null while the check is not armed. */
  async find(tx: EntityManager, name: string): Promise<WatchdogRecord | null> {
    const rows = await tx.query<WatchdogRow[]>(
      `SELECT armed_at, last_seen_at, raised_at FROM watchdog WHERE name = $1 FOR UPDATE`,
      [name],
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    return { armedAt: row.armed_at, lastSeenAt: row.last_seen_at, raisedAt: row.raised_at };
  }

  async setRaised(tx: EntityManager, name: string, raisedAt: Date | null): Promise<void> {
    await tx.query(`UPDATE watchdog SET raised_at = $2 WHERE name = $1`, [
      name,
      raisedAt?.toISOString() ?? null,
    ]);
  }
}
