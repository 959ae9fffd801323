import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface MonthlyPartition {
  name: string;
  /** First instant of the month (UTC) the partition holds. */
  from: Date;
  /** First instant after it. */
  to: Date;
}

export interface RetentionWork {
  /** Partitions every project's retention has passed whole: dropped. */
  drop: readonly MonthlyPartition[];
  /** Per project, rows older than its cutoff deleted from the partitions that still hold some. */
  trim: readonly { project_id: string; cutoff: Date; partitions: readonly MonthlyPartition[] }[];
}

const PARTITION_NAME = /^error_events_(\d{4})(\d{2})$/;

/** Partition catalogue reads, partition drops and row deletes of the retention job; no rule lives here. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async monthlyPartitions(): Promise<MonthlyPartition[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'error_events'::regclass`,
    );
    return rows
      .map((r) => PARTITION_NAME.exec(r.name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => {
        const year = Number(m[1]);
        const month = Number(m[2]) - 1;
        return {
          name: m[0],
          from: new Date(Date.UTC(year, month, 1)),
          to: new Date(Date.UTC(year, month + 1, 1)),
        };
      })
      .sort((a, b) => a.from.getTime() - b.from.getTime());
  }

  /**
   * Does `work` in one transaction under a transaction-scoped advisory lock, so one replica runs it;
   * returns the rows deleted and partitions dropped, or null when another replica holds the lock.
   */
  async apply(work: RetentionWork): Promise<{ dropped: string[]; deleted: number } | null> {
    return this.dataSource.transaction(async (manager) => {
      const [lock]: { locked: boolean }[] = await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtext('errors_retention')) AS locked`,
      );
      if (!lock.locked) return null;
      const dropped: string[] = [];
      let deleted = 0;
      for (const partition of work.drop) {
        const [present]: { present: boolean }[] = await manager.query(
          `SELECT to_regclass($1) IS NOT NULL AS present`,
          [partition.name],
        );
        if (!present.present) continue;
        // The dedupe ids of the month go with it (error_event_ids keeps each event's received_at).
        await manager.query(`DELETE FROM error_event_ids WHERE received_at >= $1 AND received_at < $2`, [
          partition.from,
          partition.to,
        ]);
        await manager.query(`DROP TABLE "${partition.name}"`);
        dropped.push(partition.name);
      }
      for (const { project_id, cutoff, partitions } of work.trim) {
        for (const partition of partitions) {
          const [, count]: [unknown, number] = await manager.query(
            `DELETE FROM "${partition.name}" WHERE project_id = $1 AND received_at < $2`,
            [project_id, cutoff],
          );
          deleted += count;
        }
        await manager.query(`DELETE FROM error_event_ids WHERE project_id = $1 AND received_at < $2`, [
          project_id,
          cutoff,
        ]);
      }
      return { dropped, deleted };
    });
  }
}
