import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';

import { html } from '../render/html';
import { layout } from '../render/layout';
import { sendPage } from '../render/page-response';
import type { OidcClient } from './oidc-client';

/** Before sign-in there is no session: the login form is protected by a double-submit cookie instead. */
export const LOGIN_CSRF_COOKIE = 'vigil_login_csrf';
/** Injection token of the OidcClient, or null when OIDC_CLIENT_ID is unset. */
export const OIDC_CLIENT = Symbol('OIDC_CLIENT');

export interface LoginPageInput {
  next: string;
  error?: string;
  notice?: string;
  status?: number;
}

/** The sign-in page: the API-key form and, with OIDC configured, "Sign in with <issuer>". */
@Injectable()
export class LoginPage {
  constructor(@Inject(OIDC_CLIENT) private readonly oidc: OidcClient | null) {}

  render(response: Response, input: LoginPageInput): void {
    const token = randomBytes(24).toString('base64url');
    response.append(
      'Set-Cookie',
      `${LOGIN_CSRF_COOKIE}=${token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600`,
    );
    const oidc =
      this.oidc === null
        ? null
        : html`<p class="card narrow">
            <a class="button" href="/login/oidc?next=${encodeURIComponent(input.next)}"
              >Sign in with ${this.oidc.issuerName}</a
            >
          </p>`;
    const body = html`<h1>Sign in to Vigil</h1>
      ${oidc}
      <form method="post" action="/login" class="card narrow">
        <input type="hidden" name="_csrf" value="${token}" />
        <input type="hidden" name="next" value="${input.next}" />
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
    sendPage(
      response,
      layout({ title: 'Sign in', session: null, body, error: input.error, notice: input.notice }),
      input.status ?? 200,
    );
  }
}

/** Constant-time equality of two non-empty tokens (form vs cookie, callback state vs cookie). */
export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length > 0 && left.length === right.length && timingSafeEqual(left, right);
}
