import type { Response } from 'express';

import type { SafeHtml } from './html';

/**
 * The console's CSP, stricter than a JSON API needs in one way (no inline anything) and opened in another:
 * its own scripts, styles, images, form posts and fetch/EventSource to itself. No CDN, no frames of it.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sends a whole page: HTML, the console CSP (replacing the platform's API one), never cached. */
export function sendPage(response: Response, page: SafeHtml, status = 200): void {
  response
    .status(status)
    .setHeader('Content-Security-Policy', CONSOLE_CSP)
    .setHeader('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page.value);
}

/** After a successful write: 303 so a reload does not post again (Post/Redirect/Get). */
export function redirectAfterWrite(response: Response, location: string, notice?: string): void {
  const url = notice === undefined ? location : withNotice(location, notice);
  response.redirect(303, url);
}

function withNotice(location: string, notice: string): string {
  return `${location}${location.includes('?') ? '&' : '?'}notice=${encodeURIComponent(notice)}`;
}

/** Only local paths are followed after login or a write (no open redirect). */
export function safeLocalPath(candidate: unknown, fallback: string): string {
  if (typeof candidate !== 'string') return fallback;
  return /^\/(?![/\\])[^\s]*$/.test(candidate) ? candidate : fallback;
}
