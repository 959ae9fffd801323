import { Client } from 'pg';

import { TEST_PG_ADMIN_URL_ENV, testDatabaseUrl } from '../database';
import globalSetup from './global-setup';
import globalTeardown from './global-teardown';

jest.setTimeout(60_000);

describe('jest global setup / teardown', () => {
  const saved = process.env[TEST_PG_ADMIN_URL_ENV];
  beforeAll(() => delete process.env[TEST_PG_ADMIN_URL_ENV]);
  afterAll(() => {
    if (saved !== undefined) process.env[TEST_PG_ADMIN_URL_ENV] = saved;
  });

  it('testDatabaseUrl explains what is missing without the global setup', async () => {
    await expect(testDatabaseUrl()).rejects.toThrow(/VIGIL_TEST_PG_ADMIN_URL is not set/);
  });

  it('starts one Postgres, gives each suite a fresh database, and stops it', async () => {
    await globalSetup();
    const adminUrl = process.env[TEST_PG_ADMIN_URL_ENV];
    expect(adminUrl).toMatch(/^postgres:\/\/postgres:/);
    try {
      const [a, b] = await Promise.all([testDatabaseUrl(), testDatabaseUrl()]);
      expect(a).not.toBe(b);
      const client = new Client({ connectionString: a });
      await client.connect();
      const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
      await client.end();
      expect(a.endsWith(`/${rows[0].db}`)).toBe(true);
    } finally {
      await globalTeardown();
    }
    expect(process.env[TEST_PG_ADMIN_URL_ENV]).toBeUndefined();
    const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
    await expect(client.connect()).rejects.toThrow();
  });
});
