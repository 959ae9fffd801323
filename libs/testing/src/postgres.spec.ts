import fs from 'node:fs';

import { Client } from 'pg';

import { startPostgres } from './postgres';

jest.setTimeout(60_000);

describe('startPostgres', () => {
  it('starts a real Postgres, creates databases and deletes its data on stop', async () => {
    const pg = await startPostgres();
    try {
      expect(pg.adminUrl).toMatch(
        new RegExp(`^postgres://postgres:[0-9a-f]+@127\\.0\\.0\\.1:${pg.port}/postgres$`),
      );

      const url = await pg.createDatabase();
      const named = await pg.createDatabase('vigil_named');
      expect(named).toMatch(/\/vigil_named$/);

      const client = new Client({ connectionString: url });
      await client.connect();
      const result = await client.query<{ one: number; db: string; version: string }>(
        'SELECT 1 AS one, current_database() AS db, current_setting($1) AS version',
        ['server_version'],
      );
      await client.end();
      expect(result.rows[0].one).toBe(1);
      expect(url).toMatch(new RegExp(`/${result.rows[0].db}$`));
      expect(result.rows[0].version).toMatch(/^18\./);

      await expect(pg.createDatabase('Robert"); DROP')).rejects.toThrow('Invalid database name');
    } finally {
      await pg.stop();
    }
    expect(fs.existsSync(pg.dataDir)).toBe(false);
  });

  it.each([
    [{}, 'off'],
    [{ durable: true }, 'on'],
  ])('runs with fsync, synchronous_commit and full_page_writes %p -> %s', async (options, expected) => {
    const pg = await startPostgres(options);
    try {
      const client = new Client({ connectionString: pg.adminUrl });
      await client.connect();
      const settings: string[] = [];
      for (const name of ['fsync', 'synchronous_commit', 'full_page_writes']) {
        const { rows } = await client.query<{ value: string }>('SELECT current_setting($1) AS value', [name]);
        settings.push(rows[0].value);
      }
      await client.end();
      expect(settings).toEqual([expected, expected, expected]);
    } finally {
      await pg.stop();
    }
  });
});
