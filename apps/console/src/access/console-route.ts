import {
  applyDecorators,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';

import { Public } from '@vigil/platform';

import type { UpstreamName } from '../config/console-config';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { mayUse, type ConsoleSession } from '../session/console-session';
import { ConsoleForbidden, CsrfRejected, LoginRequired } from '../session/console-errors';
import { SessionCookie } from '../session/session-cookie';
import { SessionService } from '../session/session.service';

export interface ConsoleRequest extends Request {
  consoleSession?: ConsoleSession;
}

/** What a page needs: any valid key on a service, or a scope there. */
export interface PageAccess {
  service?: UpstreamName;
  scope?: string;
}

const PAGE_ACCESS = 'vigil:console-page-access';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * A console route: no bearer (the platform's key guard lets it through as public) but a live session
 * cookie, the named service access, and on every write a CSRF token equal to the session's.
 */
export const ConsoleRoute = (access: PageAccess = {}) =>
  applyDecorators(
    Public('console route: authenticated by the session cookie (SessionGuard), CSRF-checked on writes'),
    SetMetadata(PAGE_ACCESS, access),
    UseGuards(SessionGuard),
    // Console routes answer people: pages, not the platform's JSON errors (scripts asking for JSON still get them).
    UseFilters(ConsoleExceptionFilter),
  );

/** The signed-in person of a ConsoleRoute. */
export const CurrentSession = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const session = context.switchToHttp().getRequest<ConsoleRequest>().consoleSession;
  if (session === undefined) throw new LoginRequired();
  return session;
});

@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly cookie: SessionCookie,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const value = this.cookie.read(request);
    const session = value === undefined ? null : await this.sessions.find(value);
    if (session === null) {
      if (value === undefined) throw new LoginRequired();
      // A cookie whose session ended: drop it, and tell the person why they must sign in again.
      this.cookie.clear(context.switchToHttp().getResponse<Response>());
      throw new LoginRequired(true);
    }
    if (!SAFE_METHODS.has(request.method)) checkCsrf(request, session.csrfToken);
    const access =
      this.reflector.getAllAndOverride<PageAccess | undefined>(PAGE_ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? {};
    if (access.service !== undefined && !mayUse(session, access.service, access.scope)) {
      throw new ConsoleForbidden(access.service, access.scope);
    }
    request.consoleSession = session;
    return true;
  }
}

/** The form field or header must equal the session's token (synchronizer token), compared in constant time. */
export function checkCsrf(request: Request, expected: string): void {
  const body: unknown = request.body;
  const field =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['_csrf'] : undefined;
  const header = request.headers['x-csrf-token'];
  const given = typeof field === 'string' ? field : typeof header === 'string' ? header : '';
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new CsrfRejected();
}
