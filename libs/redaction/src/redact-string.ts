export const REDACTED = '[REDACTED]';
export const REDACTED_EMAIL = '[REDACTED:email]';

// Cheap gate: strings without '@', '%40', 'bearer' or '://' (most log text) skip all patterns.
const MAY_CONTAIN_SECRET = /@|%40|bearer|:\/\//i;
// Lengths are bounded so the cost stays linear in the string length.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}(?:@|%40)(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}/gi;
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/?#@]{0,256}:)[^\s/?#@]{1,256}@/gi;

/**
 * Scrubs secrets found inside free text: e-mail addresses (also `%40`-encoded) become
 * `[REDACTED:email]`, `Bearer <token>` becomes `Bearer [REDACTED]`, and the password of a URL
 * (`postgres://user:pw@host`) becomes `[REDACTED]`. Everything else is returned unchanged.
 */
export function redactString(value: string): string {
  if (!MAY_CONTAIN_SECRET.test(value)) return value;
  return value
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(EMAIL, REDACTED_EMAIL)
    .replace(BEARER, `$1 ${REDACTED}`);
}
