import type { DataSource } from 'typeorm';

/** Whether Postgres answers a trivial query now: an outage, as opposed to a statement it refused. */
export async function databaseReachable(dataSource: DataSource): Promise<boolean> {
  try {
    await dataSource.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
