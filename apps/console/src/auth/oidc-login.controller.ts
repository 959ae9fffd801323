import { Controller, Get, Inject, Logger, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, randomBytes } from 'node:crypto';

import { Public, SERVICE_CONFIG } from '@vigil/platform';

import { ConsoleExceptionFilter } from '../access/console-exception.filter';
import type { ConsoleConfig } from '../config/console-config';
import { homeOf } from '../render/layout';
import { safeLocalPath } from '../render/page-response';
import { readCookie, SessionCookie } from '../session/session-cookie';
import { SessionService } from '../session/session.service';
import { AccessProbe } from './access-probe';
import { LoginPage, OIDC_CLIENT, sameToken } from './login-page';
import { OidcSignInError, type OidcClient } from './oidc-client';
import { PendingLoginRepository } from './pending-login.repository';

/** Holds `<state>.<PKCE verifier>` of the sign-in under way in this browser, only for /login/oidc. */
const OIDC_COOKIE = 'vigil_oidc';
const PENDING_MS = 10 * 60_000;

/**
 * OpenID Connect sign-in: authorization code with PKCE (S256). `state` ties the callback to this browser's
 * cookie, the pending-login row (used once) holds the nonce the ID token must carry, and the PKCE verifier
 * never leaves this browser's cookie and the token request. The access token becomes the session's credential.
 */
@Controller('login/oidc')
@UseFilters(ConsoleExceptionFilter)
export class OidcLoginController {
  private readonly logger = new Logger(OidcLoginController.name);
  private readonly secure: boolean;

  constructor(
    @Inject(OIDC_CLIENT) private readonly oidc: OidcClient | null,
    @Inject(SERVICE_CONFIG) config: ConsoleConfig,
    private readonly pending: PendingLoginRepository,
    private readonly sessions: SessionService,
    private readonly cookie: SessionCookie,
    private readonly probe: AccessProbe,
    private readonly page: LoginPage,
  ) {
    this.secure = config.CONSOLE_PUBLIC_URL.startsWith('https://');
  }

  @Get()
  @Public('starts an OIDC sign-in: redirects to the issuer')
  async start(@Query('next') next: unknown, @Res() response: Response): Promise<void> {
    const oidc = this.enabled(response);
    if (oidc === null) return;
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = randomToken();
    try {
      const location = await oidc.authorizationUrl({ state, nonce, codeVerifier });
      await this.pending.deleteExpired();
      await this.pending.insert(
        hash(state),
        { nonce, nextPath: safeLocalPath(next, '/') },
        new Date(Date.now() + PENDING_MS),
      );
      this.setCookie(response, `${state}.${codeVerifier}`, PENDING_MS);
      response.redirect(303, location);
    } catch (error) {
      this.refuse(response, error);
    }
  }

  @Get('callback')
  @Public('the issuer sends the browser back here with a code; checked against the state cookie')
  async callback(
    @Query() query: Record<string, unknown>,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const oidc = this.enabled(response);
    if (oidc === null) return;
    const [cookieState, codeVerifier] = (readCookie(request, OIDC_COOKIE) ?? '').split('.');
    this.setCookie(response, '', 0);
    try {
      if (typeof query.error === 'string')
        throw new OidcSignInError(`the issuer did not sign you in (${query.error.slice(0, 100)})`, 401);
      const state = typeof query.state === 'string' ? query.state : '';
      const code = typeof query.code === 'string' ? query.code : '';
      if (!cookieState || !codeVerifier)
        throw new OidcSignInError('this sign-in was not started in this browser, or it took too long');
      if (!sameToken(state, cookieState))
        throw new OidcSignInError('this sign-in answer belongs to another sign-in (state mismatch)');
      const login = await this.pending.take(hash(state));
      if (login === null) throw new OidcSignInError('this sign-in answer was already used or has expired');
      if (code.length === 0 || code.length > 2048) throw new OidcSignInError('the issuer sent no code');
      const tokens = await oidc.exchange(code, codeVerifier, login.nonce);
      const probed = await this.probe.probe(tokens.accessToken);
      if (probed.principal === null)
        throw new OidcSignInError(`no Vigil service accepts the token from ${oidc.issuerName}`, 401);
      const { cookie, session } = await this.sessions.create({
        principal: probed.principal,
        kind: 'oidc',
        credential: tokens.accessToken,
        access: probed.access,
        notAfter: tokens.expiresAt,
      });
      this.cookie.set(response, cookie, session.expiresAt.getTime() - Date.now());
      response.redirect(303, login.nextPath === '/' ? homeOf(session) : login.nextPath);
    } catch (error) {
      this.refuse(response, error);
    }
  }

  /** The OIDC client, or null after answering 404 when OIDC sign-in is not configured. */
  private enabled(response: Response): OidcClient | null {
    if (this.oidc === null)
      this.page.render(response, { next: '/', error: 'OIDC sign-in is not configured here.', status: 404 });
    return this.oidc;
  }

  private refuse(response: Response, error: unknown): void {
    if (!(error instanceof OidcSignInError)) throw error;
    this.logger.warn({ reason: error.message }, 'oidc sign-in refused');
    this.page.render(response, {
      next: '/',
      error: `Sign-in refused: ${error.message}.`,
      status: error.status,
    });
  }

  private setCookie(response: Response, value: string, maxAgeMs: number): void {
    response.append(
      'Set-Cookie',
      `${OIDC_COOKIE}=${value}; Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(maxAgeMs / 1000)}${this.secure ? '; Secure' : ''}`,
    );
  }
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function hash(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
