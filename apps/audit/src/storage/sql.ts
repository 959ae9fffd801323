import type { DataSource } from 'typeorm';
import type { Client, Pool } from 'pg';

/** One parameterised query returning rows: what the repositories need from TypeORM or a bare pg client. */
export type Sql = <Row>(text: string, params?: readonly unknown[]) => Promise<Row[]>;

export function sqlFromDataSource(dataSource: DataSource): Sql {
  return async <Row>(text: string, params: readonly unknown[] = []) =>
    dataSource.query<Row[]>(text, [...params]);
}

export function sqlFromPg(client: Client | Pool): Sql {
  return async <Row>(text: string, params: readonly unknown[] = []) =>
    (await client.query(text, [...params])).rows as Row[];
}
