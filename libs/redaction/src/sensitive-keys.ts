/**
 * Sensitive key phrases. A key is split into lower-case words (camelCase, snake_case, kebab-case,
 * spaces, dots) and is sensitive when its last words spell one of these phrases, separators
 * ignored: `x-api-key`, `apiKey` and `API_KEY` all end with "api key"; `password_changed_at`
 * (ends with "at"), `token_type` and `max_tokens` do not.
 */
export const DEFAULT_SENSITIVE_KEYS: readonly string[] = [
  // credentials
  'password',
  'password hash',
  'passphrase',
  'passwd',
  'pwd',
  'secret',
  'secret key',
  'token',
  'access token',
  'refresh token',
  'id token',
  'session token',
  'auth token',
  'api key',
  'access key',
  'private key',
  'authorization',
  'auth',
  'credentials',
  'cookie',
  'cookies',
  'set cookie',
  'otp',
  'otp code',
  'pin',
  'pin code',
  // personal data
  'ssn',
  'social security number',
  'card number',
  'cvv',
  'cvc',
  'phone',
  'phone number',
  'mobile number',
  'email',
  'email address',
  'full name',
  'real name',
  'date of birth',
  'birth date',
  'dob',
  'emergency contact',
  'emergency contact name',
  'account number',
  'wallet number',
  'iban',
];

/** Lower-case words of a key: `xApiKey` / `X-API-KEY` / `x_api key` → ['x', 'api', 'key']. */
export function splitKeyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** A phrase or key with separators removed: 'e-mail' and 'Email' are both 'email'. */
const compact = (phrase: string): string => splitKeyWords(phrase).join('');

const CACHE_LIMIT = 10_000;

export interface KeyMatcherOptions {
  /** More phrases to treat as sensitive (same word matching as the defaults). */
  extraKeys?: readonly string[];
  /** Phrases removed from the sensitive set, or whole keys that are never sensitive. */
  allowKeys?: readonly string[];
}

/** Compiles the phrase set once; decisions are cached per key (bounded). */
export function compileKeyMatcher(options: KeyMatcherOptions = {}): (key: string) => boolean {
  const allowed = new Set((options.allowKeys ?? []).map(compact));
  const phrases = new Set(
    [...DEFAULT_SENSITIVE_KEYS, ...(options.extraKeys ?? [])]
      .map(compact)
      .filter((p) => p && !allowed.has(p)),
  );
  const longest = Math.max(0, ...[...phrases].map((p) => p.length));
  const cache = new Map<string, boolean>();

  const decide = (key: string): boolean => {
    const words = splitKeyWords(key);
    if (allowed.has(words.join(''))) return false;
    let suffix = '';
    for (let i = words.length - 1; i >= 0; i--) {
      suffix = words[i] + suffix;
      if (suffix.length > longest) return false;
      if (phrases.has(suffix)) return true;
    }
    return false;
  };

  return (key: string): boolean => {
    let sensitive = cache.get(key);
    if (sensitive === undefined) {
      sensitive = decide(key);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, sensitive);
    }
    return sensitive;
  };
}
