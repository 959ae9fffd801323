import { Client } from 'pg';
import { testDatabaseUrl } from '@vigil/testing';
it('gets a db', async () => {
  const url = await testDatabaseUrl();
  const c = new Client({ connectionString: url });
  await c.connect();
  const r = await c.query('select current_database() as db');
  await c.end();
  console.log(process.pid, r.rows[0].db);
  expect(process.env.FAIL_ME).toBeUndefined();
});
