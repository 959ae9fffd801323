import { TEST_PG_ADMIN_URL_ENV } from '../database';
import { startPostgres } from '../postgres';
import { GLOBAL_POSTGRES_KEY, type GlobalWithPostgres } from './global-state';

/**
 * Jest globalSetup: starts ONE embedded Postgres for the whole run and hands its admin URL to the workers through
 * VIGIL_TEST_PG_ADMIN_URL. When that variable is already set (an external Postgres), nothing is started.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env[TEST_PG_ADMIN_URL_ENV]) return;
  const postgres = await startPostgres();
  (globalThis as GlobalWithPostgres)[GLOBAL_POSTGRES_KEY] = postgres;
  process.env[TEST_PG_ADMIN_URL_ENV] = postgres.adminUrl;
}
