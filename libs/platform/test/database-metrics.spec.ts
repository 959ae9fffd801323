import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { waitFor } from '@vigil/testing';

import { startTestService, testService, type TestServiceHandle } from './test-service';

const definition = testService('audit');

/** The value of one sample line of the Prometheus text format, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('database metrics (real Postgres)', () => {
  let service: TestServiceHandle;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    service = await startTestService(definition, { DATABASE_POOL_MAX: '7' });
    ({ app, base } = service);
  });

  afterAll(async () => {
    await service?.stop();
  });

  const metrics = async () => (await fetch(`${base}/metrics`)).text();

  it('counts and times the queries the service runs, failed ones by outcome', async () => {
    const dataSource = app.get(DataSource);
    const before = await metrics();
    const ok = (text: string) => sample(text, 'db_queries_total{operation="select",outcome="ok"}') ?? 0;
    const failed = (text: string) =>
      sample(text, 'db_queries_total{operation="select",outcome="error"}') ?? 0;
    const timed = (text: string) => sample(text, 'db_query_duration_seconds_count{operation="select"}') ?? 0;

    await dataSource.query('SELECT 1');
    await expect(dataSource.query('SELECT * FROM vigil_no_such_table')).rejects.toThrow();

    const after = await metrics();
    expect(ok(after)).toBeGreaterThanOrEqual(ok(before) + 1);
    expect(timed(after)).toBeGreaterThanOrEqual(timed(before) + 1);
    expect(failed(after)).toBe(failed(before) + 1);
  });

  it('exports the connection pool: size limit, connections in use and waiting queries', async () => {
    const text = await waitFor(
      async () => {
        const t = await metrics();
        return (sample(t, 'db_pool_connections_idle') ?? 0) >= 1 ? t : '';
      },
      { timeoutMs: 10_000, description: 'an idle pool connection after the health check' },
    );
    expect(sample(text, 'db_pool_connections_max')).toBe(7); // DATABASE_POOL_MAX
    expect(sample(text, 'db_pool_connections_in_use')).toEqual(expect.any(Number));
    expect(sample(text, 'db_pool_waiting_clients')).toBe(0);

    // Hold one connection: it shows as in use while the transaction runs.
    const runner = app.get(DataSource).createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      expect(sample(await metrics(), 'db_pool_connections_in_use')).toBeGreaterThanOrEqual(1);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
  });
});
