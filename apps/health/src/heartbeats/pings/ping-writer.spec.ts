import type { DataSource } from 'typeorm';

import type { Ping } from './ping';
import type { PingMetrics } from './ping-metrics';
import { insertPingsStatement, MAX_BATCH_ROWS, PingNotStoredError, PingWriter } from './ping-writer';

const ping = (monitor: string): Ping => ({
  monitor,
  kind: 'success',
  exitCode: null,
  rid: null,
  value: null,
  durationMs: null,
  body: "x'); DROP TABLE heartbeat_pings; --",
  via: 'http',
  receivedAt: new Date('2026-12-07T00:00:00Z'),
});

const metrics = { stored: jest.fn(), notStored: jest.fn(), unknownMonitor: jest.fn() };

/** A DataSource whose queries wait until the test releases them, recording each statement's row count. */
function fakeDatabase() {
  const statements: { rows: number; release: (error?: Error) => void }[] = [];
  const dataSource = {
    query: (_sql: string, params: unknown[]) =>
      new Promise<void>((resolve, reject) => {
        statements.push({ rows: params.length / 9, release: (error) => (error ? reject(error) : resolve()) });
      }),
  };
  return { statements, dataSource: dataSource as unknown as DataSource };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('insertPingsStatement', () => {
  it('builds one multi-row INSERT whose values are all parameters', () => {
    const { sql, params } = insertPingsStatement([ping('a'), ping('b')]);
    expect(sql).toMatch(
      /^INSERT INTO heartbeat_pings \(monitor, kind, .*\) VALUES \(\$1, .*\$9\), \(\$10, .*\$18\)/,
    );
    expect(sql).toMatch(/ON CONFLICT DO NOTHING$/);
    expect(sql).not.toContain('DROP');
    expect(params).toHaveLength(18);
    expect(params[9]).toBe('b');
  });
});

describe('PingWriter (group commit)', () => {
  it('resolves nothing before its commit, and puts pings arriving meanwhile into one next batch', async () => {
    const db = fakeDatabase();
    const writer = new PingWriter(db.dataSource, metrics as unknown as PingMetrics);
    const settled: string[] = [];
    const write = (name: string) => void writer.write(ping(name)).then(() => settled.push(name));
    write('first');
    write('second'); // two batches may commit at once
    await tick();
    for (const name of ['c', 'd', 'e', 'f']) write(name);
    await tick();
    expect(db.statements.map((s) => s.rows)).toEqual([1, 1]);
    expect(settled).toEqual([]);
    db.statements[0].release();
    await tick();
    expect(settled).toEqual(['first']);
    // The four waiting pings share the next statement.
    expect(db.statements.map((s) => s.rows)).toEqual([1, 1, 4]);
    db.statements[2].release();
    db.statements[1].release();
    await tick();
    expect(settled.sort()).toEqual(['c', 'd', 'e', 'f', 'first', 'second']);
  });

  it('rejects every ping of a failed batch, and only those', async () => {
    const db = fakeDatabase();
    const writer = new PingWriter(db.dataSource, metrics as unknown as PingMetrics);
    const failed = writer.write(ping('a'));
    const stored = writer.write(ping('b'));
    await tick();
    db.statements[0].release(new Error('connection terminated'));
    db.statements[1].release();
    await expect(failed).rejects.toBeInstanceOf(PingNotStoredError);
    await expect(stored).resolves.toBeUndefined();
  });

  it('never puts more than MAX_BATCH_ROWS pings in one statement', async () => {
    const db = fakeDatabase();
    const writer = new PingWriter(db.dataSource, metrics as unknown as PingMetrics);
    const all = Array.from({ length: MAX_BATCH_ROWS * 2 + 3 }, (_, n) => writer.write(ping(`m${n}`)));
    await tick();
    expect(db.statements.map((s) => s.rows)).toEqual([1, 1]);
    const sizes: number[] = [];
    for (let released = 0; released < db.statements.length; released += 1) {
      sizes.push(db.statements[released].rows);
      db.statements[released].release();
      await tick();
    }
    expect(sizes).toEqual([1, 1, MAX_BATCH_ROWS, MAX_BATCH_ROWS, 1]);
    await expect(Promise.all(all)).resolves.toHaveLength(MAX_BATCH_ROWS * 2 + 3);
  });
});
