import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram, register } from 'prom-client';
import { DataSource, EventSubscriber, type AfterQueryEvent, type EntitySubscriberInterface } from 'typeorm';

export const DB_QUERIES_TOTAL = 'db_queries_total';
export const DB_QUERY_DURATION_SECONDS = 'db_query_duration_seconds';
export const DB_POOL_CONNECTIONS_IN_USE = 'db_pool_connections_in_use';
export const DB_POOL_CONNECTIONS_IDLE = 'db_pool_connections_idle';
export const DB_POOL_CONNECTIONS_MAX = 'db_pool_connections_max';
export const DB_POOL_WAITING_CLIENTS = 'db_pool_waiting_clients';

/** The `operation` label: the statement's kind, from a fixed set so the label stays bounded. */
export type QueryOperation = 'select' | 'insert' | 'update' | 'delete' | 'transaction' | 'other';

const OPERATIONS: Record<string, QueryOperation> = {
  select: 'select',
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  begin: 'transaction',
  start: 'transaction',
  commit: 'transaction',
  rollback: 'transaction',
  savepoint: 'transaction',
  release: 'transaction',
};

/** The first keyword of a statement after leading comments, mapped to a {@link QueryOperation}. */
export function queryOperation(sql: string): QueryOperation {
  const keyword = /^\s*(?:(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)\s*)*([a-zA-Z]+)/.exec(sql)?.[1];
  return (keyword && OPERATIONS[keyword.toLowerCase()]) || 'other';
}

function metric<T>(name: string, make: () => T): T {
  // Tests build several apps in one process; prom-client's registry is global.
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

const queries = () =>
  metric(
    DB_QUERIES_TOTAL,
    () =>
      new Counter({
        name: DB_QUERIES_TOTAL,
        help: 'Database queries (through TypeORM or a pool of the service), by operation and outcome (ok|error)',
        labelNames: ['operation', 'outcome'],
      }),
  );
const duration = () =>
  metric(
    DB_QUERY_DURATION_SECONDS,
    () =>
      new Histogram({
        name: DB_QUERY_DURATION_SECONDS,
        help: 'Duration of successful database queries in seconds (millisecond resolution)',
        labelNames: ['operation'],
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );

/**
 * A TypeORM subscriber counting and timing every query (DataSource.query, repositories, migrations): one
 * counter increment and one histogram observation per query, nothing else on the hot path.
 * TypeORM constructs it itself (the `subscribers` option; it keeps only classes marked @EventSubscriber), so
 * it reaches the metrics through the registry.
 */
@EventSubscriber()
export class DatabaseQueryMetrics implements EntitySubscriberInterface {
  private readonly queries = queries();
  private readonly duration = duration();

  afterQuery(event: AfterQueryEvent): void {
    const operation = queryOperation(event.query);
    this.queries.inc({ operation, outcome: event.success ? 'ok' : 'error' });
    if (event.success && event.executionTime !== undefined)
      this.duration.observe({ operation }, event.executionTime / 1000);
  }
}

/**
 * Counts and times a query run outside TypeORM (a pool of the service's own, as the alerting
 * pipeline's), in the same db_queries_total and db_query_duration_seconds.
 */
export function observeDatabaseQuery(sql: string, ok: boolean, seconds?: number): void {
  const operation = queryOperation(sql);
  queries().inc({ operation, outcome: ok ? 'ok' : 'error' });
  if (ok && seconds !== undefined) duration().observe({ operation }, seconds);
}

/** What node-postgres' Pool tells about itself (TypeORM keeps it as the postgres driver's `master`). */
interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

function isPgPool(value: unknown): value is PgPoolCounts {
  const pool = value as Partial<PgPoolCounts> | undefined;
  return typeof pool?.totalCount === 'number' && typeof pool.idleCount === 'number';
}

/** Pools of the running services in this process (one in production; several in tests). */
const pools = new Set<PgPoolCounts>();
const sum = (count: (pool: PgPoolCounts) => number) => [...pools].reduce((n, p) => n + count(p), 0);

function poolGauge(name: string, help: string, count: (pool: PgPoolCounts) => number): Gauge {
  return metric(
    name,
    () =>
      new Gauge({
        name,
        help,
        collect() {
          this.set(sum(count));
        },
      }),
  );
}

/**
 * Adds a node-postgres pool of the service's own (beside TypeORM's) to the db_pool_* gauges; returns
 * the function that removes it (when the pool ends).
 */
export function watchDatabasePool(pool: unknown): () => void {
  if (!isPgPool(pool)) return () => undefined;
  pools.add(pool);
  return () => pools.delete(pool);
}

/** Exports the connection pool's use at scrape time (read from the pool, nothing counted per query). */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit, OnModuleDestroy {
  private pool: PgPoolCounts | undefined;

  constructor(private readonly dataSource: DataSource) {
    poolGauge(DB_POOL_CONNECTIONS_IN_USE, 'Pool connections checked out', (p) => p.totalCount - p.idleCount);
    poolGauge(DB_POOL_CONNECTIONS_IDLE, 'Pool connections open and idle', (p) => p.idleCount);
    poolGauge(DB_POOL_CONNECTIONS_MAX, 'Pool size limit', (p) => p.options.max ?? 10);
    poolGauge(DB_POOL_WAITING_CLIENTS, 'Queries waiting for a pool connection', (p) => p.waitingCount);
  }

  onModuleInit(): void {
    const master = (this.dataSource.driver as unknown as { master?: unknown }).master;
    if (isPgPool(master)) {
      this.pool = master;
      pools.add(master);
    }
  }

  onModuleDestroy(): void {
    if (this.pool) pools.delete(this.pool);
  }
}
