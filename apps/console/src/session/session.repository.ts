import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { ServiceAccess } from './console-session';

export interface SessionRow {
  principal: string;
  kind: 'api-key' | 'oidc';
  credential: Buffer;
  access: ServiceAccess;
  csrf_token: string;
  last_seen_at: Date;
  expires_at: Date;
}

/** All SQL of console_sessions. Every page reads one row by primary key, so this stays off the hot path. */
@Injectable()
export class SessionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(idHash: Buffer, row: Omit<SessionRow, 'last_seen_at'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO console_sessions (id_hash, principal, kind, credential, access, csrf_token, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        idHash,
        row.principal,
        row.kind,
        row.credential,
        JSON.stringify(row.access),
        row.csrf_token,
        row.expires_at,
      ],
    );
  }

  async find(idHash: Buffer): Promise<SessionRow | null> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT principal, kind, credential, access, csrf_token, last_seen_at, expires_at
         FROM console_sessions WHERE id_hash = $1`,
      [idHash],
    );
    return rows[0] ?? null;
  }

  async touch(idHash: Buffer): Promise<void> {
    await this.dataSource.query(`UPDATE console_sessions SET last_seen_at = now() WHERE id_hash = $1`, [
      idHash,
    ]);
  }

  async delete(idHash: Buffer): Promise<void> {
    await this.dataSource.query(`DELETE FROM console_sessions WHERE id_hash = $1`, [idHash]);
  }

  async deleteByPrincipal(principal: string): Promise<number> {
    // TypeORM's postgres driver answers DELETE as [rows, affected].
    const [, affected]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM console_sessions WHERE principal = $1`,
      [principal],
    );
    return affected;
  }

  /** Removes sessions past their end or idle limit; returns how many. */
  async deleteExpired(idleBefore: Date): Promise<number> {
    // TypeORM's postgres driver answers DELETE as [rows, affected] (rows.length was always 2).
    const [, affected]: [unknown[], number] = await this.dataSource.query(
      `DELETE FROM console_sessions WHERE expires_at < now() OR last_seen_at < $1`,
      [idleBefore],
    );
    return affected;
  }
}
