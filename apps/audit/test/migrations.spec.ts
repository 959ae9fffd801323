import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { testDatabaseUrl } from '@vigil/testing';

import { AUDIT_MIGRATIONS } from '../src/migrations';

/** Upgrading a database that already holds events in the first (unpartitioned) table. */
describe('audit migrations on existing data', () => {
  let dataSource: DataSource;

  afterEach(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
  });

  it('re-chains every legacy row exactly once, also rows of the same millisecond', async () => {
    const url = await testDatabaseUrl();
    dataSource = new DataSource({ type: 'postgres', url, migrations: [AUDIT_MIGRATIONS[0]] });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) {
      const event = {
        id,
        occurred_at: '2026-11-20T10:00:00.000Z',
        source: 'shop',
        actor: { type: 'admin', id: 'admin-1' },
        action: 'admin.profile.viewed',
        resource: { type: 'user', id: String(i) },
        outcome: 'success',
      };
      // Microseconds differ within one millisecond: a millisecond cursor would read them twice.
      await dataSource.query(
        `INSERT INTO audit_events (id, occurred_at, received_at, source, actor_type, actor_id, action,
           resource_type, resource_id, outcome, event)
         VALUES ($1, $2, $3, 'shop', 'admin', 'admin-1', 'admin.profile.viewed', 'user', $4, 'success', $5)`,
        [id, event.occurred_at, `2026-11-20 10:00:01.12345${i}+00`, String(i), JSON.stringify(event)],
      );
    }
    await dataSource.destroy();

    dataSource = new DataSource({ type: 'postgres', url, migrations: AUDIT_MIGRATIONS });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const [{ rows, distinct }] = await dataSource.query<{ rows: number; distinct: number }[]>(
      `SELECT count(*)::int AS rows, count(DISTINCT id)::int AS distinct FROM audit_events`,
    );
    expect({ rows, distinct }).toEqual({ rows: 3, distinct: 3 });
    const seqs = await dataSource.query<{ seq: string }[]>(`SELECT seq FROM audit_events ORDER BY seq`);
    expect(seqs.map((s) => Number(s.seq))).toEqual([1, 2, 3]);
  });
});
