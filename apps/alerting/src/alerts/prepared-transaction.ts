import type { DataSource } from 'typeorm';

/** What the repositories need of a transaction: TypeORM's EntityManager has it too. */
export interface Transaction {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

interface PgResult {
  command: string;
  rows: unknown[];
  rowCount: number | null;
}
interface PgClient {
  query(config: { name?: string; text: string; values?: unknown[] }): Promise<PgResult>;
  release(destroy?: boolean): void;
}
interface PgPool {
  connect(): Promise<PgClient>;
}

/** Distinct statement texts given a name (prepared once per connection); later texts run unnamed. */
const MAX_NAMED_STATEMENTS = 500;

/**
 * Transactions for the alert pipeline's hot path, on the pool TypeORM already holds (its postgres
 * driver's `master`), with every statement prepared once per connection: the pipeline's statements
 * are few and fixed, and planning them again on every request was about half their cost. Results
 * have the shape TypeORM's `query` gives (UPDATE and DELETE: `[rows, rowCount]`; others: rows), so
 * repositories take either. These statements bypass TypeORM's query subscribers.
 */
export class PreparedTransactions {
  private readonly names = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const pool = (this.dataSource.driver as unknown as { master: PgPool }).master;
    const client = await pool.connect();
    let begun = false;
    let broken = false;
    try {
      const result = await work({
        query: async <R>(sql: string, params: unknown[] = []): Promise<R> => {
          if (begun) return this.query<R>(client, sql, params);
          begun = true;
          // BEGIN travels with the first statement when that one has no parameters (one round trip);
          // the simple protocol then answers both, the statement's result last.
          if (params.length > 0) {
            await client.query({ text: 'BEGIN' });
            return this.query<R>(client, sql, params);
          }
          const answers = (await client.query({ text: `BEGIN; ${sql}` })) as unknown as PgResult[];
          return shaped<R>(answers[answers.length - 1]);
        },
      });
      if (begun) await client.query({ text: 'COMMIT' });
      return result;
    } catch (error) {
      if (begun) await client.query({ text: 'ROLLBACK' }).catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async query<T>(client: PgClient, text: string, values: unknown[]): Promise<T> {
    return shaped<T>(await client.query({ name: this.nameOf(text), text, values }));
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

/** TypeORM's `query` result shape: `[rows, rowCount]` for UPDATE and DELETE, rows otherwise. */
function shaped<T>(raw: PgResult): T {
  const result = raw.command === 'UPDATE' || raw.command === 'DELETE' ? [raw.rows, raw.rowCount] : raw.rows;
  return result as T;
}
