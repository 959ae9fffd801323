import { Pool, type PoolConfig, type QueryResult } from 'pg';
import type { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';

import { observeDatabaseQuery, watchDatabasePool } from '@vigil/platform';

/**
 * What the repositories need of a transaction: TypeORM's EntityManager has it too. On the alert
 * pipeline's transactions, statements issued without awaiting the one before are pipelined: they
 * travel together and run in the order issued, so independent writes cost one round trip.
 */
export interface Transaction {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
  /**
   * Pipelined transactions only: nothing more will be issued, send COMMIT now, right behind what was
   * (it saves the round trip the commit would take after their answers). It takes effect when the
   * work resolves, and only if every statement succeeded.
   */
  commitAhead?(): void;
}

/** Distinct statement texts given a name (prepared once per connection); later texts run unnamed. */
const MAX_NAMED_STATEMENTS = 500;
/**
 * Connections of the pipelined pool, out of DATABASE_POOL_MAX (TypeORM's pool gets the rest): writers
 * serialise on the alert writers' lock anyway, so four are enough, and half of a small budget at most.
 */
export function pipelinedPoolSize(poolMax: number): number {
  return Math.max(1, Math.min(4, Math.floor(poolMax / 2)));
}

/**
 * Transactions for the alert pipeline's hot path, on a pool of its own in pg's pipeline mode (same
 * connection settings as TypeORM's), with every statement prepared once per connection. A lone alert
 * used to cost about ten sequential round trips (0.2 ms each, and each a chance to wait for a core on
 * a busy machine); pipelined, its transaction takes three, and the first alert of a new incident one
 * (NewGroupFastPath). Results have the shape TypeORM's `query` gives (UPDATE and DELETE:
 * `[rows, rowCount]`; others: rows), so repositories take either. The statements and the pool are in
 * the platform's database metrics like TypeORM's.
 */
export class PreparedTransactions {
  private readonly names = new Map<string, string>();
  private pool: Pool | null = null;
  private unwatch: () => void = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    /** Connections of this pool (pipelinedPoolSize). */
    private readonly connections: number,
  ) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.poolOf().connect();
    const issued: Promise<unknown>[] = [];
    let committing: Promise<QueryResult> | null = null;
    let broken = false;
    // pg's pool listens for a client's errors only while it is idle: a connection lost during the
    // transaction would be an unhandled 'error' event (the process exits). Its statements fail with
    // the error anyway; the client is discarded.
    const lost = () => (broken = true);
    client.on('error', lost);
    const stream = (client as unknown as { connection: { stream: Writable } }).connection.stream;
    let corked = false;
    let lastAnswerAt = 0;
    const send = (text: string, values?: unknown[]): Promise<QueryResult> => {
      // Statements issued before the caller next waits leave in one write (one segment, one wake-up
      // of the backend); a caller may send some ahead by yielding once (`await Promise.resolve()`).
      if (!corked) {
        corked = true;
        stream.cork();
        queueMicrotask(() => {
          corked = false;
          stream.uncork();
        });
      }
      const issuedAt = performance.now();
      const sent = client.query({ name: values === undefined ? undefined : this.nameOf(text), text, values });
      // Counted and timed like TypeORM's queries; a statement's time starts when the one before it
      // was answered (pipelined, it waits behind it). Each statement is awaited below, whether or
      // not its caller awaited it: a failure is never lost.
      sent.then(
        () => {
          const answeredAt = performance.now();
          observeDatabaseQuery(text, true, (answeredAt - Math.max(issuedAt, lastAnswerAt)) / 1000);
          lastAnswerAt = answeredAt;
        },
        () => observeDatabaseQuery(text, false),
      );
      return sent;
    };
    try {
      issued.push(send('BEGIN'));
      const result = await work({
        query: <R>(sql: string, params: unknown[] = []): Promise<R> => {
          if (committing) return Promise.reject(new Error('statement issued after commitAhead()'));
          const sent = send(sql, params);
          issued.push(sent);
          const answer = sent.then((raw) => shaped<R>(raw));
          // A caller that does not await it is told by run() instead (no unhandled rejection).
          answer.catch(() => undefined);
          return answer;
        },
        commitAhead: () => {
          committing ??= send('COMMIT');
        },
      });
      // A statement that failed aborted the transaction: COMMIT (sent ahead or not) rolls it back.
      await throwFirstFailure(issued);
      const committed = await (committing ?? send('COMMIT'));
      if (committed.command !== 'COMMIT') throw new Error(`transaction ended with ${committed.command}`);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      // The first statement that failed says why; those behind it only report the aborted transaction.
      await throwFirstFailure(issued);
      throw error;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  /** Closes the pipelined pool (module shutdown). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    this.unwatch();
    await pool?.end();
  }

  private poolOf(): Pool {
    if (this.pool === null) {
      // TypeORM's postgres driver keeps its pg.Pool as `master`, built from the service's DATABASE_URL.
      const master = (this.dataSource.driver as unknown as { master: { options: PoolConfig } }).master;
      this.pool = new Pool({ ...master.options, max: this.connections, pipeline: true });
      // Postgres keeps one generic plan per prepared statement, often made while the tables are small
      // (a young deployment, a quiet night), where a sequential scan is the cheapest plan; it keeps it
      // as they grow (an episode UPDATE then read all 60,000 episodes of the bench). Every statement
      // here finds its rows by key, so these sessions price sequential scans out. A SET rather than a
      // startup option, which connection poolers such as PgBouncer refuse by default; it is queued
      // ahead of the connection's first transaction.
      this.pool.on(
        'connect',
        (client) => void client.query('SET enable_seqscan = off').catch(() => undefined),
      );
      // An idle connection that dies is dropped by the pool; the next transaction opens another.
      this.pool.on('error', () => undefined);
      this.unwatch = watchDatabasePool(this.pool);
    }
    return this.pool;
  }

  private nameOf(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < MAX_NAMED_STATEMENTS) {
      name = `vigil_alerting_${this.names.size + 1}`;
      this.names.set(text, name);
    }
    return name;
  }
}

/** Waits for every statement issued; rethrows the first one's failure, in the order issued. */
async function throwFirstFailure(issued: readonly Promise<unknown>[]): Promise<void> {
  for (const outcome of await Promise.allSettled(issued)) {
    if (outcome.status === 'rejected') throw outcome.reason;
  }
}

/** TypeORM's `query` result shape: `[rows, rowCount]` for UPDATE and DELETE, rows otherwise. */
function shaped<T>(raw: QueryResult): T {
  const result = raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows;
  return result as T;
}
