import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';

import { SERVICE_CONFIG } from '@vigil/platform';

import { decodeKey, type ConsoleConfig } from '../config/console-config';
import type { ConsoleSession, ServiceAccess } from './console-session';
import { CredentialSeal } from './credential-seal';
import { SessionRepository } from './session.repository';

/** Only touch last_seen_at once a minute: a page view is then a single indexed read. */
const TOUCH_EVERY_MS = 60_000;
const SWEEP_EVERY_MS = 5 * 60_000;

export interface NewSession {
  principal: string;
  kind: 'api-key' | 'oidc';
  credential: string;
  access: ServiceAccess;
  /** The credential's own end (an OIDC access token's expiry): the session ends no later. */
  notAfter?: Date | null;
}

/** Creates, finds and ends sessions. Ids are 32 random bytes, issued fresh at every login (no fixation). */
@Injectable()
export class SessionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionService.name);
  private readonly seal: CredentialSeal;
  private sweep?: NodeJS.Timeout;

  constructor(
    private readonly sessions: SessionRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
  ) {
    const configured =
      config.CONSOLE_SESSION_KEY === undefined ? null : decodeKey(config.CONSOLE_SESSION_KEY);
    this.seal = new CredentialSeal(configured ?? randomBytes(32));
  }

  onModuleInit(): void {
    this.sweep = setInterval(() => void this.removeExpired(), SWEEP_EVERY_MS);
    this.sweep.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweep);
  }

  /** Stores a new session; returns the cookie value (the only place the id exists) and the session. */
  async create(input: NewSession): Promise<{ cookie: string; session: ConsoleSession }> {
    const id = randomBytes(32).toString('base64url');
    const idHash = hashId(id);
    const ttlEnd = Date.now() + this.config.CONSOLE_SESSION_TTL_MS;
    const expiresAt = new Date(Math.min(ttlEnd, input.notAfter?.getTime() ?? ttlEnd));
    const csrfToken = randomBytes(32).toString('base64url');
    await this.sessions.insert(idHash, {
      principal: input.principal,
      kind: input.kind,
      credential: this.seal.seal(input.credential, idHash.toString('hex')),
      access: input.access,
      csrf_token: csrfToken,
      expires_at: expiresAt,
    });
    this.logger.log({ principal: input.principal, kind: input.kind }, 'console session started');
    const { notAfter: _notAfter, ...session } = input;
    return {
      cookie: id,
      session: { ...session, idHash: idHash.toString('hex'), csrfToken, expiresAt },
    };
  }

  /** The live session of a cookie value, or null (unknown, ended, idle too long, or sealed by another key). */
  async find(cookie: string): Promise<ConsoleSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(cookie)) return null;
    const idHash = hashId(cookie);
    const row = await this.sessions.find(idHash);
    if (row === null) return null;
    const now = Date.now();
    if (
      row.expires_at.getTime() <= now ||
      row.last_seen_at.getTime() + this.config.CONSOLE_SESSION_IDLE_MS <= now
    ) {
      await this.sessions.delete(idHash);
      return null;
    }
    const credential = this.seal.open(row.credential, idHash.toString('hex'));
    if (credential === null) return null;
    if (now - row.last_seen_at.getTime() > TOUCH_EVERY_MS) await this.sessions.touch(idHash);
    return {
      idHash: idHash.toString('hex'),
      principal: row.principal,
      kind: row.kind,
      credential,
      access: row.access,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    };
  }

  /** Ends a session: its cookie opens nothing afterwards, even if it was copied. */
  async end(session: ConsoleSession): Promise<void> {
    await this.sessions.delete(Buffer.from(session.idHash, 'hex'));
    this.logger.log({ principal: session.principal }, 'console session ended');
  }

  /** Ends every session of the same person (sign out everywhere); returns how many ended. */
  async endAll(session: ConsoleSession): Promise<number> {
    const ended = await this.sessions.deleteByPrincipal(session.principal);
    this.logger.log({ principal: session.principal, ended }, 'console sessions ended everywhere');
    return ended;
  }

  private async removeExpired(): Promise<void> {
    try {
      const removed = await this.sessions.deleteExpired(
        new Date(Date.now() - this.config.CONSOLE_SESSION_IDLE_MS),
      );
      if (removed > 0) this.logger.log({ removed }, 'expired console sessions removed');
    } catch (error) {
      this.logger.warn({ err: error }, 'expired console sessions not removed');
    }
  }
}

function hashId(id: string): Buffer {
  return createHash('sha256').update(id).digest();
}
