import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateConsoleOidcLogins1764700000000 implements MigrationInterface {
  name = 'CreateConsoleOidcLogins1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    // One row per OIDC sign-in under way: its nonce and where to go after it, keyed by SHA-256 of the `state`
    // (the browser holds the state itself in an httpOnly cookie). The callback deletes the row it uses, so a
    // replayed callback finds nothing.
    await runner.query(`
      CREATE TABLE console_oidc_logins (
        state_hash bytea PRIMARY KEY,
        nonce text NOT NULL,
        next_path text NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE console_oidc_logins`);
  }
}
