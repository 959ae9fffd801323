import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface PendingLogin {
  nonce: string;
  nextPath: string;
}

/** All SQL of console_oidc_logins: OIDC sign-ins between the redirect to the issuer and its callback. */
@Injectable()
export class PendingLoginRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(stateHash: Buffer, login: PendingLogin, expiresAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO console_oidc_logins (state_hash, nonce, next_path, expires_at) VALUES ($1, $2, $3, $4)`,
      [stateHash, login.nonce, login.nextPath, expiresAt],
    );
  }

  /** Deletes and returns the live row of a state: each one is used once (a replayed callback gets null). */
  async take(stateHash: Buffer): Promise<PendingLogin | null> {
    // TypeORM's postgres driver answers DELETE ... RETURNING as [rows, affected].
    const [rows]: [{ nonce: string; next_path: string }[], number] = await this.dataSource.query(
      `DELETE FROM console_oidc_logins WHERE state_hash = $1 AND expires_at > now() RETURNING nonce, next_path`,
      [stateHash],
    );
    const row = rows[0];
    return row === undefined ? null : { nonce: row.nonce, nextPath: row.next_path };
  }

  async deleteExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM console_oidc_logins WHERE expires_at <= now()`);
  }
}
