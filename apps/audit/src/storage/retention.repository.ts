import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AuditCategory } from '../model/audit-category';

export interface MonthlyPartition {
  name: string;
  /** First instant of the month (UTC) the partition holds. */
  from: Date;
  /** First instant after it. */
  to: Date;
}

const PARTITION_NAME = /^audit_events_([a-z]+)_(\d{4})(\d{2})$/;

/** Partition catalogue reads and partition drops of the retention job; no rule lives here. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async monthlyPartitions(category: AuditCategory): Promise<MonthlyPartition[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass($1)`,
      [`audit_events_${category}`],
    );
    return rows
      .map((r) => PARTITION_NAME.exec(r.name))
      .filter((m): m is RegExpExecArray => m !== null && m[1] === category)
      .map((m) => {
        const year = Number(m[2]);
        const month = Number(m[3]) - 1;
        return {
          name: m[0],
          from: new Date(Date.UTC(year, month, 1)),
          to: new Date(Date.UTC(year, month + 1, 1)),
        };
      })
      .sort((a, b) => a.from.getTime() - b.from.getTime());
  }

  /** The highest-seq record stored in any of `partitions`, or null when they are empty. */
  async lastRecord(partitions: readonly MonthlyPartition[]): Promise<{ seq: number; hash: Buffer } | null> {
    let last: { seq: number; hash: Buffer } | null = null;
    for (const partition of partitions) {
      const rows: { seq: string; hash: Buffer }[] = await this.dataSource.query(
        `SELECT seq, hash FROM "${partition.name}" ORDER BY seq DESC LIMIT 1`,
      );
      if (rows[0] && (!last || Number(rows[0].seq) > last.seq))
        last = { seq: Number(rows[0].seq), hash: rows[0].hash };
    }
    return last;
  }

  /**
   * Drops whole monthly partitions (no row trigger fires: the trail is never edited row by row) and
   * forgets their ids in audit_event_ids, under a transaction-scoped advisory lock so one replica runs it.
   * Returns false when another replica holds the lock.
   */
  async dropPartitions(partitions: readonly MonthlyPartition[]): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [lock]: { locked: boolean }[] = await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtext('audit_retention')) AS locked`,
      );
      if (!lock.locked) return false;
      for (const partition of partitions) {
        const [present]: { present: boolean }[] = await manager.query(
          `SELECT to_regclass($1) IS NOT NULL AS present`,
          [`"${partition.name}"`],
        );
        if (!present.present) continue; // dropped by a run that saw the same expiry
        // Forget the partition's ids first (a join on audit_event_ids' primary key), then drop it whole.
        await manager.query(
          `DELETE FROM audit_event_ids AS i USING "${partition.name}" AS p WHERE i.id = p.id`,
        );
        await manager.query(`DROP TABLE "${partition.name}"`);
      }
      return true;
    });
  }
}
