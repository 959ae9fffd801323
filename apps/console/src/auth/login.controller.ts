import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';

import { Public } from '@vigil/platform';

import { ConsoleExceptionFilter } from '../access/console-exception.filter';
import { html } from '../render/html';
import { homeOf, layout } from '../render/layout';
import { safeLocalPath, sendPage } from '../render/page-response';
import { readCookie, SessionCookie } from '../session/session-cookie';
import { SessionService } from '../session/session.service';
import { ConsoleRoute, CurrentSession } from '../access/console-route';
import type { ConsoleSession } from '../session/console-session';
import { AccessProbe } from './access-probe';

/** Before sign-in there is no session: the login form is protected by a double-submit cookie instead. */
const LOGIN_CSRF_COOKIE = 'vigil_login_csrf';

interface LoginForm {
  api_key?: unknown;
  next?: unknown;
  _csrf?: unknown;
}

@Controller()
@UseFilters(ConsoleExceptionFilter)
export class LoginController {
  constructor(
    private readonly sessions: SessionService,
    private readonly cookie: SessionCookie,
    private readonly probe: AccessProbe,
  ) {}

  @Get('login')
  @Public('the sign-in form')
  showLogin(@Query('next') next: unknown, @Res() response: Response): void {
    this.renderLogin(response, safeLocalPath(next, '/'));
  }

  @Post('login')
  @Public('signs in with an API key; the form carries a double-submit CSRF token')
  async login(@Body() form: LoginForm, @Req() request: Request, @Res() response: Response): Promise<void> {
    const next = safeLocalPath(form.next, '/');
    const cookieToken = readCookie(request, LOGIN_CSRF_COOKIE) ?? '';
    if (!sameToken(cookieToken, typeof form._csrf === 'string' ? form._csrf : '')) {
      this.renderLogin(response, next, 'The sign-in form expired. Please try again.', 403);
      return;
    }
    const key = typeof form.api_key === 'string' ? form.api_key.trim() : '';
    if (key.length === 0 || key.length > 4096) {
      this.renderLogin(response, next, 'Enter an API key.', 400);
      return;
    }
    const probed = await this.probe.probe(key);
    if (probed.principal === null) {
      const down = probed.unreachable.length > 0 ? ` (not reachable: ${probed.unreachable.join(', ')})` : '';
      this.renderLogin(response, next, `No Vigil service accepts this key${down}.`, 401);
      return;
    }
    const { cookie, session } = await this.sessions.create({
      principal: probed.principal,
      kind: 'api-key',
      credential: key,
      access: probed.access,
    });
    this.cookie.set(response, cookie, session.expiresAt.getTime() - Date.now());
    response.append('Set-Cookie', `${LOGIN_CSRF_COOKIE}=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0`);
    response.redirect(303, next === '/' ? homeOf(session) : next);
  }

  @Post('logout')
  @ConsoleRoute()
  async logout(@CurrentSession() session: ConsoleSession, @Res() response: Response): Promise<void> {
    await this.sessions.end(session);
    this.cookie.clear(response);
    response.redirect(303, '/login');
  }

  private renderLogin(response: Response, next: string, error?: string, status = 200): void {
    const token = randomBytes(24).toString('base64url');
    response.append(
      'Set-Cookie',
      `${LOGIN_CSRF_COOKIE}=${token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600`,
    );
    const body = html`<h1>Sign in to Vigil</h1>
      <form method="post" action="/login" class="card narrow">
        <input type="hidden" name="_csrf" value="${token}" />
        <input type="hidden" name="next" value="${next}" />
        <label for="api_key">API key</label>
        <input
          id="api_key"
          name="api_key"
          type="password"
          autocomplete="current-password"
          required
          autofocus
        />
        <p class="hint">
          The key is kept encrypted in your session and sent only to Vigil's services, which decide what you
          may see.
        </p>
        <button type="submit">Sign in</button>
      </form>`;
    sendPage(response, layout({ title: 'Sign in', session: null, body, error }), status);
  }
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length > 0 && left.length === right.length && timingSafeEqual(left, right);
}
