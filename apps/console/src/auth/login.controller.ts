import { Body, Controller, Get, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';

import { Public } from '@vigil/platform';

import { ConsoleExceptionFilter } from '../access/console-exception.filter';
import { homeOf } from '../render/layout';
import { safeLocalPath } from '../render/page-response';
import { readCookie, SessionCookie } from '../session/session-cookie';
import { SessionService } from '../session/session.service';
import { ConsoleRoute, CurrentSession } from '../access/console-route';
import type { ConsoleSession } from '../session/console-session';
import { AccessProbe } from './access-probe';
import { LOGIN_CSRF_COOKIE, LoginPage, sameToken } from './login-page';

/** Fixed notices the login page shows for `?ended=` (never text from the URL: no injected messages). */
const ENDED_NOTICES: Record<string, string> = {
  '1': 'Your session ended. Please sign in again.',
  everywhere: 'You are signed out of every session.',
};

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
    private readonly page: LoginPage,
  ) {}

  @Get('login')
  @Public('the sign-in form')
  showLogin(@Query('next') next: unknown, @Query('ended') ended: unknown, @Res() response: Response): void {
    const notice =
      typeof ended === 'string' && Object.hasOwn(ENDED_NOTICES, ended) ? ENDED_NOTICES[ended] : undefined;
    this.page.render(response, { next: safeLocalPath(next, '/'), notice });
  }

  @Post('login')
  @Public('signs in with an API key; the form carries a double-submit CSRF token')
  async login(@Body() form: LoginForm, @Req() request: Request, @Res() response: Response): Promise<void> {
    const next = safeLocalPath(form.next, '/');
    const cookieToken = readCookie(request, LOGIN_CSRF_COOKIE) ?? '';
    if (!sameToken(cookieToken, typeof form._csrf === 'string' ? form._csrf : '')) {
      this.page.render(response, { next, error: 'The sign-in form expired. Please try again.', status: 403 });
      return;
    }
    const key = typeof form.api_key === 'string' ? form.api_key.trim() : '';
    if (key.length === 0 || key.length > 4096) {
      this.page.render(response, { next, error: 'Enter an API key.', status: 400 });
      return;
    }
    const probed = await this.probe.probe(key);
    if (probed.principal === null) {
      const down = probed.unreachable.length > 0 ? ` (not reachable: ${probed.unreachable.join(', ')})` : '';
      this.page.render(response, { next, error: `No Vigil service accepts this key${down}.`, status: 401 });
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

  /** Ends every session of this person (a lost laptop, a cookie that may have been copied), this one too. */
  @Post('logout/everywhere')
  @ConsoleRoute()
  async logoutEverywhere(
    @CurrentSession() session: ConsoleSession,
    @Res() response: Response,
  ): Promise<void> {
    await this.sessions.endAll(session);
    this.cookie.clear(response);
    response.redirect(303, '/login?ended=everywhere');
  }
}
