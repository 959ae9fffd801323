import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateConsoleSessions1764600000000 implements MigrationInterface {
  name = 'CreateConsoleSessions1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    // The console's only table. `id_hash` is SHA-256 of the cookie's random id, so a copy of this table
    // opens no session; `credential` is the person's key or token sealed with CONSOLE_SESSION_KEY.
    await runner.query(`
      CREATE TABLE console_sessions (
        id_hash bytea PRIMARY KEY,
        principal text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('api-key', 'oidc')),
        credential bytea NOT NULL,
        access jsonb NOT NULL,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX console_sessions_expires_at_idx ON console_sessions (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE console_sessions`);
  }
}
