/**
 * Where a Sentry SDK puts its DSN public key (develop.sentry.dev, "Authentication"): the X-Sentry-Auth
 * header (`Sentry sentry_key=<key>, sentry_version=7, sentry_client=…`; Python, older SDKs), the
 * `sentry_key` query parameter (JavaScript SDKs, browsers) or the envelope header's `dsn`
 * (`https://<key>@host/<project>`). The secret part of old DSNs is ignored: a public key is enough.
 */

const KEY_PATTERN = /^[0-9a-f]{32}$/;

/** The key=value pairs of an X-Sentry-Auth header (with or without its `Sentry ` prefix). */
export function parseSentryAuthHeader(value: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const body = value.trim().replace(/^sentry\s+/i, '');
  for (const part of body.split(',')) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;
    const name = part.slice(0, equals).trim().toLowerCase();
    const text = part.slice(equals + 1).trim();
    if (!pairs.has(name)) pairs.set(name, text);
  }
  return pairs;
}

/** The key a request names, or null: from the header first, then the query string. */
export function keyFromRequest(authHeader: string | undefined, query: URLSearchParams): string | null {
  if (authHeader !== undefined) {
    const key = parseSentryAuthHeader(authHeader).get('sentry_key');
    if (key !== undefined) return key.toLowerCase();
  }
  const fromQuery = query.get('sentry_key');
  return fromQuery === null ? null : fromQuery.trim().toLowerCase();
}

/** The public key in a DSN (`https://<key>[:<secret>]@host/<project>`), or null. */
export function keyFromDsn(dsn: unknown): string | null {
  if (typeof dsn !== 'string' || dsn.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return null;
  }
  return url.username === '' ? null : decodeURIComponent(url.username).toLowerCase();
}

/** Whether `key` has the shape of a DSN public key (32 hex characters). */
export function isDsnKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}
