import crypto from 'node:crypto';

import { Client } from 'pg';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A random database name such as `test_3f9a1c2b7d4e`. */
export function randomDatabaseName(prefix = 'test'): string {
  return `${prefix}_${crypto.randomBytes(6).toString('hex')}`;
}

/** Replaces the database (path) of a postgres:// URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Creates `name` (random by default) on the server of `adminUrl`; returns the URL of the new database. */
export async function createDatabase(adminUrl: string, name: string = randomDatabaseName()): Promise<string> {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`Invalid database name "${name}": use lower-case letters, digits and _ (max 63)`);
  }
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return withDatabase(adminUrl, name);
}

/** Environment variable through which the jest global setup hands the Postgres admin URL to workers. */
export const TEST_PG_ADMIN_URL_ENV = 'VIGIL_TEST_PG_ADMIN_URL';

/**
 * Creates a fresh database with a random name on the Postgres started by the jest global setup of
 * @vigil/testing (its admin URL is in VIGIL_TEST_PG_ADMIN_URL) and returns its URL.
 */
export async function testDatabaseUrl(): Promise<string> {
  const adminUrl = process.env[TEST_PG_ADMIN_URL_ENV];
  if (!adminUrl) {
    throw new Error(
      `${TEST_PG_ADMIN_URL_ENV} is not set: add globalSetup/globalTeardown from libs/testing/src/jest to this jest project, or point it at a Postgres admin URL`,
    );
  }
  return createDatabase(adminUrl);
}
