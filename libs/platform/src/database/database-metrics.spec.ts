import { register } from 'prom-client';
import type { AfterQueryEvent } from 'typeorm';

import { DatabaseQueryMetrics, observeDatabaseQuery, queryOperation } from './database-metrics';

describe('queryOperation', () => {
  it.each([
    ['SELECT 1', 'select'],
    ['  select * from t', 'select'],
    ['INSERT INTO t VALUES ($1)', 'insert'],
    ['update t set a = 1', 'update'],
    ['DELETE FROM t', 'delete'],
    ['BEGIN', 'transaction'],
    ['START TRANSACTION', 'transaction'],
    ['COMMIT', 'transaction'],
    ['ROLLBACK TO SAVEPOINT s1', 'transaction'],
    ['-- hot path\nSELECT 1', 'select'],
    ['/* a comment */ INSERT INTO t DEFAULT VALUES', 'insert'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'other'],
    ['CREATE TABLE t (id int)', 'other'],
    ['', 'other'],
  ])('%j is %s', (sql, operation) => {
    expect(queryOperation(sql)).toBe(operation);
  });
});

describe('DatabaseQueryMetrics', () => {
  /** A sample's value (0 when absent); histogram samples are named `<metric>_bucket` etc. */
  const value = async (sample: string, labels: Record<string, string>) => {
    const name = sample.replace(/_(bucket|count|sum)$/, '');
    const registered = register.getSingleMetric(name);
    if (!registered) return 0;
    const metric = (await registered.get()).values.find(
      (v) =>
        ((v as { metricName?: string }).metricName ?? name) === sample &&
        Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l),
    );
    return metric?.value ?? 0;
  };
  const event = (query: string, success: boolean, executionTime?: number) =>
    ({ query, success, executionTime }) as AfterQueryEvent;

  it('counts and times queries run outside TypeORM in the same metrics', async () => {
    const before = {
      ok: await value('db_queries_total', { operation: 'delete', outcome: 'ok' }),
      error: await value('db_queries_total', { operation: 'delete', outcome: 'error' }),
      timed: await value('db_query_duration_seconds_count', { operation: 'delete' }),
    };
    observeDatabaseQuery('DELETE FROM t WHERE id = $1', true, 0.002);
    observeDatabaseQuery('DELETE FROM t WHERE id = $1', false);
    expect(await value('db_queries_total', { operation: 'delete', outcome: 'ok' })).toBe(before.ok + 1);
    expect(await value('db_queries_total', { operation: 'delete', outcome: 'error' })).toBe(before.error + 1);
    expect(await value('db_query_duration_seconds_count', { operation: 'delete' })).toBe(before.timed + 1);
  });

  it('counts queries by operation and outcome, and times the successful ones', async () => {
    const metrics = new DatabaseQueryMetrics();
    metrics.afterQuery(event('UPDATE t SET a = 0', true, 1));
    const before = {
      ok: await value('db_queries_total', { operation: 'update', outcome: 'ok' }),
      error: await value('db_queries_total', { operation: 'update', outcome: 'error' }),
      timed: await value('db_query_duration_seconds_count', { operation: 'update' }),
      slow: await value('db_query_duration_seconds_bucket', { operation: 'update', le: '0.5' }),
    };
    metrics.afterQuery(event('UPDATE t SET a = 1', true, 3));
    metrics.afterQuery(event('UPDATE t SET a = 1', true, 700));
    metrics.afterQuery(event('UPDATE t SET a = 1', false));
    expect(await value('db_queries_total', { operation: 'update', outcome: 'ok' })).toBe(before.ok + 2);
    expect(await value('db_queries_total', { operation: 'update', outcome: 'error' })).toBe(before.error + 1);
    expect(await value('db_query_duration_seconds_count', { operation: 'update' })).toBe(before.timed + 2);
    // 3 ms falls under le=0.5, 700 ms does not.
    expect(await value('db_query_duration_seconds_bucket', { operation: 'update', le: '0.5' })).toBe(
      before.slow + 1,
    );
  });
});
