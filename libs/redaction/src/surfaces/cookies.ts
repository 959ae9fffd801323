import { isMarker } from '../markers';
import type { KeyMatcher } from '../sensitive-keys';

/** A value to replace: `[start, end)` of the input and the kind its name gave it. */
export interface SecretSpan {
  start: number;
  end: number;
  kind: string;
}

// Set-Cookie attributes (RFC 6265 §4.1.1, SameSite, Priority, Partitioned): never a credential.
const ATTRIBUTES = new Set([
  'path',
  'expires',
  'max-age',
  'domain',
  'secure',
  'httponly',
  'samesite',
  'priority',
  'partitioned',
  'version',
  'comment',
]);
// Cookie names that carry a session or a credential though no key phrase ends them: Rails
// `_app_session`, `connect.sid`, `laravel_session`, `XSRF-TOKEN`, `remember_web_<hash>`, `__Host-auth`.
const SESSION_COOKIE = /sess|sid$|csrf|xsrf|auth|token|remember|jwt|secret|login/i;
// A value of 24+ letters and digits without a dot: a random session token whatever the cookie is
// called. Analytics ids (`GA1.2.1234.5678`, `fb.1.1596.1116`) have dots and short values are flags.
const TOKEN_VALUE = /^[A-Za-z0-9_\-+/%]{24,4096}={0,2}$/;
const HAS_DIGIT = /\d/;
const HAS_LETTER = /[A-Za-z]/;
// What may close a cookie value when a header was printed as an HTML string.
const VALUE_WRAPPING = /(?:&#x27;|&#39;|&quot;|["'])$/;

// A cookie name is an RFC 7230 token; the run of token characters before `=` is the name, so the
// quotes and parentheses of a printed header (`('csrftoken=…; '`) are not part of it.
const isNameChar = (c: number): boolean =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  (c >= 48 && c <= 57) ||
  c === 95 ||
  c === 45 ||
  c === 46 ||
  c === 36;
// A value ends at a space, a quote or a backslash (none of them a cookie-octet) or the separator.
const endsValue = (c: number): boolean =>
  c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 92 || c === 59;

/** Whether a cookie's value is a credential: by its name, or by looking like a random token. */
export function sensitiveCookie(name: string, value: string, keyKindOf: KeyMatcher): boolean {
  if (keyKindOf(name) !== undefined || SESSION_COOKIE.test(name)) return true;
  return TOKEN_VALUE.test(value) && HAS_DIGIT.test(value) && HAS_LETTER.test(value);
}

/** Whether a key names a Cookie or Set-Cookie header (`Cookie`, `HTTP_COOKIE`, `set-cookie`, `cookies`). */
export function isCookieKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.endsWith('cookie') || lower.endsWith('cookies');
}

/**
 * The values of sensitive cookies in a Cookie or Set-Cookie header value `input[from, to)`: pairs
 * split at `;`, attributes and harmless cookies (theme, lang, analytics ids) kept. A cookie value
 * has no space (RFC 6265 cookie-octet), so a value ends at the first space too.
 */
export function cookieSpans(input: string, from: number, to: number, keyKindOf: KeyMatcher): SecretSpan[] {
  const spans: SecretSpan[] = [];
  let i = from;
  while (i < to) {
    let end = input.indexOf(';', i);
    if (end === -1 || end > to) end = to;
    const equals = input.indexOf('=', i);
    if (equals !== -1 && equals < end) {
      let nameStart = equals;
      while (nameStart > i && isNameChar(input.charCodeAt(nameStart - 1))) nameStart--;
      const name = input.slice(nameStart, equals);
      let valueEnd = equals + 1;
      while (valueEnd < end && !endsValue(input.charCodeAt(valueEnd))) valueEnd++;
      const wrapped = VALUE_WRAPPING.exec(input.slice(equals + 1, valueEnd));
      if (wrapped !== null) valueEnd -= wrapped[0].length;
      const value = input.slice(equals + 1, valueEnd);
      if (
        value.length > 0 &&
        !ATTRIBUTES.has(name.toLowerCase()) &&
        !isMarker(value) &&
        sensitiveCookie(name, value, keyKindOf)
      )
        spans.push({ start: equals + 1, end: valueEnd, kind: 'secret' });
    }
    i = end + 1;
  }
  return spans;
}
