import type { DataSource, EntityManager } from 'typeorm';
import type { Client, Pool } from 'pg';

/** One parameterised query returning rows: what the repositories need from TypeORM or a bare pg client. */
export type Sql = <Row>(text: string, params?: readonly unknown[]) => Promise<Row[]>;

/** Queries inside a TypeORM transaction (the manager it hands over). */
export function sqlFromEntityManager(manager: EntityManager): Sql {
  return async <Row>(text: string, params: readonly unknown[] = []) =>
    manager.query<Row[]>(text, [...params]);
}

export function sqlFromDataSource(dataSource: DataSource): Sql {
  return async <Row>(text: string, params: readonly unknown[] = []) =>
    dataSource.query<Row[]>(text, [...params]);
}

export function sqlFromPg(client: Client | Pool): Sql {
  return async <Row>(text: string, params: readonly unknown[] = []) =>
    (await client.query(text, [...params])).rows as Row[];
}
