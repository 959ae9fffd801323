import { register } from 'prom-client';
import { DataSource } from 'typeorm';

import { testDatabaseUrl } from '@vigil/testing';

import { typeormPoolSize } from '@vigil/platform';

import { pipelinedPoolSize, PreparedTransactions, type Transaction } from '../src/model/prepared-transaction';

/**
 * The alert pipeline's transactions pipeline their statements (pg's pipeline mode): what a caller
 * issues without awaiting travels together and runs in the order issued, and no failure is lost even
 * when nobody awaited the statement that failed.
 */
describe('PreparedTransactions (real Postgres)', () => {
  let dataSource: DataSource;
  let transactions: PreparedTransactions;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'postgres', url: await testDatabaseUrl() });
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL)`);
    transactions = new PreparedTransactions(dataSource, 2);
  });

  afterAll(async () => {
    await transactions?.close();
    await dataSource?.destroy();
  });

  beforeEach(() => dataSource.query(`TRUNCATE items`));

  const insert = (tx: Transaction, id: number, label: string | null = `item ${id}`) =>
    tx.query(`INSERT INTO items (id, label) VALUES ($1, $2)`, [id, label]);
  const stored = async () =>
    (await dataSource.query<{ id: number }[]>(`SELECT id FROM items ORDER BY id`)).map((r) => r.id);

  it('opens no more connections than it was given, however many transactions run at once', async () => {
    const backends = await Promise.all(
      Array.from({ length: 6 }, () =>
        transactions.run(async (tx) => {
          const [row] = await tx.query<{ pid: number }[]>(`SELECT pg_backend_pid() AS pid, pg_sleep(0.05)`);
          return row.pid;
        }),
      ),
    );
    expect(new Set(backends).size).toBe(2);
  });

  it('takes its connections out of DATABASE_POOL_MAX, leaving TypeORM at least one', () => {
    expect(pipelinedPoolSize(10)).toBe(4);
    expect(pipelinedPoolSize(5)).toBe(2);
    expect(pipelinedPoolSize(2)).toBe(1);
    for (let poolMax = 2; poolMax <= 200; poolMax++) {
      const typeorm = typeormPoolSize(poolMax, { ownPoolSize: pipelinedPoolSize });
      expect(typeorm).toBeGreaterThanOrEqual(1);
      expect(typeorm + pipelinedPoolSize(poolMax)).toBe(poolMax);
    }
  });

  it('runs statements issued together in the order issued, each seeing the ones before it', async () => {
    const counts = await transactions.run(async (tx) => {
      const first = insert(tx, 1);
      const countAfterFirst = tx.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM items`);
      const second = insert(tx, 2);
      const countAfterSecond = tx.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM items`);
      await Promise.all([first, second]);
      return [(await countAfterFirst)[0].n, (await countAfterSecond)[0].n];
    });
    expect(counts).toEqual([1, 2]);
    expect(await stored()).toEqual([1, 2]);
  });

  it('fails with the statement that failed, even unawaited, and commits nothing', async () => {
    const run = transactions.run((tx) => {
      void insert(tx, 1);
      void insert(tx, 2, null); // violates NOT NULL; nobody awaits it
      void insert(tx, 3);
      return Promise.resolve('done');
    });
    await expect(run).rejects.toThrow(/null value in column "label"/);
    expect(await stored()).toEqual([]);
  });

  it('commits right behind the last statements with commitAhead, and only if they all succeeded', async () => {
    await transactions.run(async (tx) => {
      const writes = [insert(tx, 1), insert(tx, 2)];
      tx.commitAhead?.();
      await Promise.all(writes);
      await expect(insert(tx, 3)).rejects.toThrow('statement issued after commitAhead()');
    });
    expect(await stored()).toEqual([1, 2]);

    const failing = transactions.run(async (tx) => {
      const writes = [insert(tx, 4), insert(tx, 1)]; // 1 exists: unique violation
      tx.commitAhead?.();
      await Promise.allSettled(writes);
    });
    await expect(failing).rejects.toThrow(/duplicate key/);
    expect(await stored()).toEqual([1, 2]);
  });

  it('leaves its connections usable after a failure', async () => {
    for (let i = 0; i < 6; i++) {
      await expect(transactions.run((tx) => insert(tx, 1, null))).rejects.toThrow(/null value/);
    }
    await transactions.run((tx) => insert(tx, 7));
    expect(await stored()).toEqual([7]);
  });

  it('counts its statements in db_queries_total, like TypeORM queries', async () => {
    const inserts = async () =>
      (await register.getSingleMetric('db_queries_total')?.get())?.values.find(
        (v) => v.labels.operation === 'insert' && v.labels.outcome === 'ok',
      )?.value ?? 0;
    const before = await inserts();
    await transactions.run(async (tx) => {
      await Promise.all([insert(tx, 1), insert(tx, 2)]);
    });
    expect(await inserts()).toBe(before + 2);
  });
});
