import type { KeyKind } from './entities';

/**
 * Sensitive key phrases and the entity each one names. A key is split into lower-case words
 * (camelCase, snake_case, kebab-case, spaces, dots) and is sensitive when its last words spell one
 * of these phrases, separators ignored: `x-api-key`, `apiKey` and `API_KEY` all end with "api key";
 * `password_changed_at` (ends with "at"), `token_type` and `max_tokens` do not.
 */
export const DEFAULT_KEY_RULES: Readonly<Record<string, KeyKind>> = {
  // credentials
  password: 'secret',
  'password hash': 'secret',
  passphrase: 'secret',
  passwd: 'secret',
  pwd: 'secret',
  passcode: 'secret',
  secret: 'secret',
  'secret key': 'secret',
  token: 'secret',
  'access token': 'secret',
  'refresh token': 'secret',
  'id token': 'secret',
  'session token': 'secret',
  'auth token': 'secret',
  'session id': 'secret',
  'api key': 'secret',
  'access key': 'secret',
  'private key': 'secret',
  'signing key': 'secret',
  'encryption key': 'secret',
  authorization: 'secret',
  auth: 'secret',
  credentials: 'secret',
  cookie: 'secret',
  cookies: 'secret',
  'set cookie': 'secret',
  otp: 'secret',
  'otp code': 'secret',
  totp: 'secret',
  'one time code': 'secret',
  'one time password': 'secret',
  'verification code': 'secret',
  'mfa code': 'secret',
  pin: 'secret',
  'pin code': 'secret',
  cvv: 'secret',
  cvv2: 'secret',
  cvc: 'secret',
  'security code': 'secret',
  // identity documents
  ssn: 'national_id',
  'social security number': 'national_id',
  'tax id': 'national_id',
  'tax number': 'national_id',
  tin: 'national_id',
  'national id': 'national_id',
  'national id number': 'national_id',
  nid: 'national_id',
  passport: 'national_id',
  'passport number': 'national_id',
  // payment and accounts
  'card number': 'card',
  'credit card': 'card',
  'debit card': 'card',
  'account number': 'account_number',
  'bank account': 'account_number',
  'wallet number': 'account_number',
  'wallet account': 'account_number',
  iban: 'account_number',
  bkash: 'account_number',
  'bkash number': 'account_number',
  nagad: 'account_number',
  'nagad number': 'account_number',
  'rocket number': 'account_number',
  // contact and person
  phone: 'phone',
  'phone number': 'phone',
  'mobile number': 'phone',
  telephone: 'phone',
  msisdn: 'phone',
  email: 'email',
  'email address': 'email',
  'full name': 'name',
  'real name': 'name',
  'legal name': 'name',
  'first name': 'name',
  'last name': 'name',
  surname: 'name',
  'date of birth': 'date_of_birth',
  'birth date': 'date_of_birth',
  birthday: 'date_of_birth',
  dob: 'date_of_birth',
  'emergency contact': 'emergency_contact',
  'emergency contact name': 'emergency_contact',
};

/** The default phrases (every key of `DEFAULT_KEY_RULES`). */
export const DEFAULT_SENSITIVE_KEYS: readonly string[] = Object.keys(DEFAULT_KEY_RULES);

/** Lower-case words of a key: `xApiKey` / `X-API-KEY` / `x_api key` → ['x', 'api', 'key']. */
export function splitKeyWords(key: string): string[] {
  return (
    key
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      // Before the last capital of an acronym (`APIKey` → `API Key`). Written as lookarounds: `([A-Z]+)([A-Z][a-z])`
      // re-read a run of capitals from each of its letters, quadratic on a long all-capital key.
      .replace(/(?<=[A-Z])(?=[A-Z][a-z])/g, ' ')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((word) => word.length > 0)
  );
}

/** A phrase or key with separators removed: 'e-mail' and 'Email' are both 'email'. */
export const compactKey = (phrase: string): string => splitKeyWords(phrase).join('');

const CACHE_LIMIT = 10_000;
// Longer keys are not remembered: they are unique (generated or hostile) and the cache would hold them.
export const CACHED_KEY_LENGTH = 256;

export interface KeyMatcherOptions {
  /** More phrases to treat as sensitive (same word matching as the defaults), with their kind. */
  extraKeys?: Readonly<Record<string, string>>;
  /** Phrases removed from the sensitive set, or whole keys that are never sensitive. */
  allowKeys?: readonly string[];
}

/** The kind a key names, or `undefined` when its value is not sensitive by name. */
export type KeyMatcher = (key: string) => string | undefined;

/** Compiles the phrase set once; decisions are cached per key (bounded). */
export function compileKeyMatcher(options: KeyMatcherOptions = {}): KeyMatcher {
  const allowed = new Set((options.allowKeys ?? []).map(compactKey));
  const phrases = new Map<string, string>();
  for (const [phrase, kind] of [
    ...Object.entries(DEFAULT_KEY_RULES),
    ...Object.entries(options.extraKeys ?? {}),
  ]) {
    const compact = compactKey(phrase);
    if (compact && !allowed.has(compact)) phrases.set(compact, kind);
  }
  const longest = Math.max(0, ...[...phrases.keys()].map((p) => p.length));
  const cache = new Map<string, string | null>();

  const decide = (key: string): string | null => {
    const words = splitKeyWords(key);
    if (allowed.has(words.join(''))) return null;
    let suffix = '';
    for (let i = words.length - 1; i >= 0; i--) {
      suffix = words[i] + suffix;
      if (suffix.length > longest) return null;
      const kind = phrases.get(suffix);
      if (kind !== undefined) return kind;
    }
    return null;
  };

  return (key: string): string | undefined => {
    let kind = cache.get(key);
    if (kind === undefined) {
      kind = decide(key);
      if (key.length > CACHED_KEY_LENGTH) return kind ?? undefined;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, kind);
    }
    return kind ?? undefined;
  };
}
