import type { PingKind } from './ping';

/** A ping request the routes cannot take: answered with `status` and `{error, message}`. */
export class PingRequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 413 | 415,
    readonly error: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'PingRequestError';
  }
}

/** What the path and query of a Healthchecks-style ping say (the body's `value` is read later). */
export interface HttpPingForm {
  kind: PingKind;
  exitCode: number | null;
  rid: string | null;
  value: number | null;
}

/** Run ids: Healthchecks sends UUIDs, Sentry 32 hex digits; anything id-like up to 128 characters is kept. */
const RID = /^[A-Za-z0-9._:-]{1,128}$/;
const EXIT_CODE = /^[0-9]{1,3}$/;

/**
 * `/ping/<token>[/<action>]?rid=&value=` as Healthchecks.io reads it: no action is a success, `start`,
 * `fail`, `log` (a note), or an exit code 0-255 (kept as kind `exit`; 0 means success).
 */
export function httpPingForm(action: string | undefined, query: URLSearchParams): HttpPingForm {
  const rid = ridOf(query.get('rid'));
  const value = numberOf(query.get('value'), 'value');
  if (action === undefined || action === '') return { kind: 'success', exitCode: null, rid, value };
  if (action === 'start' || action === 'fail' || action === 'log')
    return { kind: action, exitCode: null, rid, value };
  if (EXIT_CODE.test(action)) {
    const exitCode = Number(action);
    if (exitCode > 255)
      throw new PingRequestError(400, 'bad_request', `exit code ${exitCode} is out of range (0-255)`);
    return { kind: 'exit', exitCode, rid, value };
  }
  throw new PingRequestError(
    404,
    'not_found',
    'unknown ping action: use /start, /fail, /log or an exit code 0-255 after the token',
  );
}

/** The `value` of a JSON object body (`{"value": 12.5}`), or null when the body is not such an object. */
export function bodyValue(body: string): number | null {
  const text = body.trim();
  if (!text.startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null; // a note that merely starts with "{": kept as the body, no value
  }
  if (typeof parsed !== 'object' || parsed === null || !('value' in parsed)) return null;
  const { value } = parsed;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return numberOf(value, 'body value');
  throw new PingRequestError(400, 'bad_request', 'body value must be a number');
}

/** Uptime Kuma's push: `status` up (the default) is a success, anything else a failure; `ping` is ms. */
export interface KumaPingForm {
  kind: 'success' | 'fail';
  message: string | null;
  durationMs: number | null;
}

export function kumaPingForm(query: URLSearchParams): KumaPingForm {
  const status = query.get('status') ?? 'up';
  const message = query.get('msg');
  // Kuma reads `parseFloat(ping) || null`: an unreadable ping is no duration, not an error.
  const ping = Number.parseFloat(query.get('ping') ?? '');
  return {
    kind: status === 'up' ? 'success' : 'fail',
    message: message === null || message === '' ? null : message,
    durationMs: Number.isFinite(ping) && ping >= 0 ? ping : null,
  };
}

function ridOf(raw: string | null): string | null {
  if (raw === null || raw === '') return null;
  if (!RID.test(raw))
    throw new PingRequestError(400, 'bad_request', 'rid must be 1-128 characters of A-Z a-z 0-9 . _ : -');
  return raw;
}

function numberOf(raw: string | null, name: string): number | null {
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new PingRequestError(400, 'bad_request', `${name} must be a number`);
  return value;
}
