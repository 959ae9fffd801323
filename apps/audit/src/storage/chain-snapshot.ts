import type { Client } from 'pg';
import type { DataSource } from 'typeorm';

import { AuditChainStore } from './audit-chain.store';
import { sqlFromPg, type Sql } from './sql';

/**
 * Runs `read` against one consistent snapshot of the trail: every record, chain head and checkpoint it
 * reads is as of the same instant, however many queries (pages) it takes.
 */
export type ChainSnapshot = <T>(read: (store: AuditChainStore) => Promise<T>) => Promise<T>;

/**
 * One REPEATABLE READ READ ONLY transaction on one connection. An append inserts its records and moves
 * its chain head in one transaction, so in a snapshot the heads and the records always agree, whatever
 * is committed while the walk pages through them.
 *
 * The ACCESS SHARE lock is taken before the first SELECT fixes the snapshot: a retention run's partition
 * drop (which needs ACCESS EXCLUSIVE) then either committed before the snapshot, whose anchor is then
 * the cut checkpoint stored ahead of the drop, or waits until the walk ends. Without it a snapshot taken
 * between the cut and the drop would miss the dropped records and report them as missing.
 */
async function readInSnapshot<T>(sql: Sql, read: (store: AuditChainStore) => Promise<T>): Promise<T> {
  await sql('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await sql('LOCK TABLE audit_events IN ACCESS SHARE MODE');
    const result = await read(new AuditChainStore(sql));
    await sql('COMMIT');
    return result;
  } catch (error) {
    await sql('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Snapshots on a connection of the service's pool, held only for the duration of one read. */
export function chainSnapshotFromDataSource(dataSource: DataSource): ChainSnapshot {
  return async (read) => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.connect();
      const sql: Sql = async <Row>(text: string, params: readonly unknown[] = []) =>
        (await runner.query(text, [...params])) as Row[];
      return await readInSnapshot(sql, read);
    } finally {
      await runner.release();
    }
  };
}

/** Snapshots on a dedicated pg connection (the CLI's). */
export function chainSnapshotFromPg(client: Client): ChainSnapshot {
  return (read) => readInSnapshot(sqlFromPg(client), read);
}
