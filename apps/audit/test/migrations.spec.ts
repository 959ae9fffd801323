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
    // Lookups by id go through audit_event_ids' partition key: every row must be reachable that way.
    const [{ reachable }] = await dataSource.query<{ reachable: number }[]>(
      `SELECT count(*)::int AS reachable FROM audit_event_ids i
         JOIN audit_events e ON e.category = i.category AND e.received_at = i.received_at AND e.id = i.id`,
    );
    expect(reachable).toBe(3);
    // The head remembers its last record's received_at (a later batch never files into an earlier month).
    const heads = await dataSource.query<{ same: boolean }[]>(
      `SELECT h.received_at = e.received_at AS same FROM audit_chain_heads h
         JOIN audit_events e ON e.category = h.category AND e.seq = h.seq`,
    );
    expect(heads).toEqual([{ same: true }]);
  });

  it('gives rows stored before the id index was dropped the partition key of their event', async () => {
    const url = await testDatabaseUrl();
    const before = AUDIT_MIGRATIONS.findIndex((m) => m.name === 'EventLookupByPartitionKey1764200000000');
    dataSource = new DataSource({ type: 'postgres', url, migrations: AUDIT_MIGRATIONS.slice(0, before) });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const id = randomUUID();
    const event = { id, source: 'shop', action: 'order.placed' };
    await dataSource.query(`SELECT audit_ensure_partition('routine', '2026-11-20T10:00:00Z')`);
    // The earlier write path stamped audit_event_ids with the transaction's start, a little earlier.
    await dataSource.query(
      `INSERT INTO audit_event_ids (id, category, received_at) VALUES ($1, 'routine', '2026-11-20T10:00:00.100Z')`,
      [id],
    );
    await dataSource.query(
      `INSERT INTO audit_events (category, seq, id, received_at, occurred_at, source, actor_type, actor_id,
              action, resource_type, resource_id, outcome, event, prev_hash, hash)
       VALUES ('routine', 1, $1, '2026-11-20T10:00:00.175Z', '2026-11-20T10:00:00Z', 'shop', 'user', 'u-1',
              'order.placed', 'order', 'o-1', 'success', $2, '\\x00', '\\x01')`,
      [id, JSON.stringify(event)],
    );
    await dataSource.destroy();

    dataSource = new DataSource({ type: 'postgres', url, migrations: AUDIT_MIGRATIONS });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const rows = await dataSource.query<{ received_at: Date }[]>(
      `SELECT received_at FROM audit_event_ids WHERE id = $1`,
      [id],
    );
    expect(rows.map((r) => r.received_at.toISOString())).toEqual(['2026-11-20T10:00:00.175Z']);
  });
});
