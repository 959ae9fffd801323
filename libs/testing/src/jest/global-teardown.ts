import { TEST_PG_ADMIN_URL_ENV } from '../database';
import { GLOBAL_POSTGRES_KEY, type GlobalWithPostgres } from './global-state';

/** Jest globalTeardown: stops the Postgres started by the global setup (if it started one). */
export default async function globalTeardown(): Promise<void> {
  const state = globalThis as GlobalWithPostgres;
  const postgres = state[GLOBAL_POSTGRES_KEY];
  if (!postgres) return;
  state[GLOBAL_POSTGRES_KEY] = undefined;
  delete process.env[TEST_PG_ADMIN_URL_ENV];
  await postgres.stop();
}
