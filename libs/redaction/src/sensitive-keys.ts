import type { KeyKind } from './entities';
import { MULTILINGUAL_KEY_RULES } from './surfaces/multilingual-keys';

/**
 * Sensitive key phrases and the entity each one names. A key is split into lower-case words
 * (camelCase, snake_case, kebab-case, spaces, dots) and is sensitive when its last words spell one
 * of these phrases, separators ignored: `x-api-key`, `apiKey` and `API_KEY` all end with "api key";
 * `password_changed_at` (ends with "at"), `token_type` and `max_tokens` do not.
 */
export const DEFAULT_KEY_RULES: Readonly<Record<string, KeyKind>> = {
  // credentials (with Sentry Relay's default `@password` fields: password, secret, passwd, api_key,
  // apikey, auth, credentials, mysql_pwd, privatekey, private_key, token, session id; and the Django
  // form fields that hold one: password1/password2 (a trailing number is ignored), old_password, ...)
  password: 'secret',
  'password hash': 'secret',
  'password confirm': 'secret',
  'password confirmation': 'secret',
  'password again': 'secret',
  'password repeat': 'secret',
  // `pass` names a password alone (`WHOLE_KEY_RULES`) and where an owner comes before it; not at the end
  // of other words (`boarding_pass`).
  'db pass': 'secret',
  'user pass': 'secret',
  'admin pass': 'secret',
  'root pass': 'secret',
  'smtp pass': 'secret',
  'mail pass': 'secret',
  'email pass': 'secret',
  'host pass': 'secret',
  'redis pass': 'secret',
  'mysql pass': 'secret',
  'postgres pass': 'secret',
  'ftp pass': 'secret',
  'login pass': 'secret',
  pw: 'secret',
  credential: 'secret',
  'client secret': 'secret',
  'csrf token': 'secret',
  'xsrf token': 'secret',
  'csrf middleware token': 'secret',
  'remember token': 'secret',
  'session key': 'secret',
  'connect sid': 'secret',
  phpsessid: 'secret',
  jsessionid: 'secret',
  'auth key': 'secret',
  'master key': 'secret',
  'secret access key': 'secret',
  'mysql pwd': 'secret',
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
  // vendors' names for their keys: Laravel `APP_KEY`, Datadog `application_key`, New Relic
  // `license_key`, LaunchDarkly `sdk_key`; Rails `secret_key_base`; the id of a GCP service-account
  // key (`private_key_id`: with the file's other fields it names the key to use, and it is only ever
  // written next to the key itself)
  'app key': 'secret',
  'application key': 'secret',
  'license key': 'secret',
  'sdk key': 'secret',
  'secret key base': 'secret',
  'private key id': 'secret',
  // API gateways' and clouds' header names: Azure API Management's `Ocp-Apim-Subscription-Key`, AWS's
  // `X-Amz-Security-Token`; the signatures of presigned S3 and GCS URLs (`X-Amz-Signature`,
  // `X-Goog-Signature`: anyone holding the URL reads the object); Redis' `requirepass`/`masterauth`.
  'subscription key': 'secret',
  'security token': 'secret',
  'amz signature': 'secret',
  'goog signature': 'secret',
  requirepass: 'secret',
  masterauth: 'secret',
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
  // An id named with its number word (`nid_number`, `nidNo`, `nhs_number`, `ni_number`): the word alone
  // (`number`, `no`) is not sensitive, so each id spells its own.
  'nid number': 'national_id',
  'nid no': 'national_id',
  'national id no': 'national_id',
  'id number': 'national_id',
  'id no': 'national_id',
  'id card number': 'national_id',
  'identity number': 'national_id',
  'birth registration number': 'national_id',
  'birth registration': 'national_id',
  'birth reg': 'national_id',
  'tax file number': 'national_id',
  'tax file no': 'national_id',
  'voter id': 'national_id',
  'driving licence': 'national_id',
  'driving license': 'national_id',
  'driver license': 'national_id',
  'drivers license': 'national_id',
  'driver licence': 'national_id',
  tfn: 'national_id',
  'nhs number': 'national_id',
  'nhs no': 'national_id',
  'ni number': 'national_id',
  nino: 'national_id',
  'national insurance number': 'national_id',
  aadhaar: 'national_id',
  'aadhaar number': 'national_id',
  'aadhaar no': 'national_id',
  aadhar: 'national_id',
  'aadhar number': 'national_id',
  'pan number': 'national_id',
  'pan no': 'national_id',
  nric: 'national_id',
  uinfin: 'national_id',
  'nric number': 'national_id',
  'fin number': 'national_id',
  'codice fiscale': 'national_id',
  'fiscal code': 'national_id',
  'itin number': 'national_id',
  'ssn number': 'national_id',
  // payment and accounts
  'card number': 'card',
  'credit card': 'card',
  'debit card': 'card',
  'card no': 'card',
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
  'rocket no': 'account_number',
  'account no': 'account_number',
  'acct no': 'account_number',
  'wallet no': 'account_number',
  // A wallet provider's account (`bkash_account`, `rocketAccount`); `account` alone, `account_type` and
  // `account_id` are not.
  'bkash account': 'account_number',
  'nagad account': 'account_number',
  'rocket account': 'account_number',
  'upay account': 'account_number',
  'bkash wallet': 'account_number',
  'nagad wallet': 'account_number',
  'wallet address': 'account_number',
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
  'middle name': 'name',
  'given name': 'name',
  'family name': 'name',
  'maiden name': 'name',
  // A named person's name (`customer_name`, `cardholderName`); `name`, `display_name`, `username`,
  // `plan_name` and `service_name` name other things too and stay.
  'customer name': 'name',
  'cardholder name': 'name',
  'card holder name': 'name',
  'account holder name': 'name',
  'holder name': 'name',
  'beneficiary name': 'name',
  'recipient name': 'name',
  'receiver name': 'name',
  'sender name': 'name',
  'payer name': 'name',
  'payee name': 'name',
  'nominee name': 'name',
  'patient name': 'name',
  'employee name': 'name',
  'applicant name': 'name',
  'father name': 'name',
  'fathers name': 'name',
  'mother name': 'name',
  'mothers name': 'name',
  'spouse name': 'name',
  'guardian name': 'name',
  'contact name': 'name',
  // the same fields in our users' and other common languages (the ambiguous `nombre`, `nom`, `নাম` are
  // decided by their record: src/detectors/record-fields.ts)
  'nombre completo': 'name',
  apellido: 'name',
  apellidos: 'name',
  vorname: 'name',
  nachname: 'name',
  familienname: 'name',
  prénom: 'name',
  prenom: 'name',
  'nom de famille': 'name',
  cognome: 'name',
  'nome completo': 'name',
  sobrenome: 'name',
  'পুরো নাম': 'name',
  'পিতার নাম': 'name',
  'মাতার নাম': 'name',
  'account holder': 'name',
  'card holder': 'name',
  cardholder: 'name',
  'date of birth': 'date_of_birth',
  'birth date': 'date_of_birth',
  birthday: 'date_of_birth',
  dob: 'date_of_birth',
  'emergency contact': 'emergency_contact',
  'emergency contact name': 'emergency_contact',
  ...MULTILINGUAL_KEY_RULES,
};

/**
 * Keys sensitive only as a whole (numbered copies included). `pass` is a password in `{"user": …,
 * "pass": …}` and a count in `pass=10 fail=2`: a number under it is kept (`isCountOfPassed`).
 */
export const WHOLE_KEY_RULES: Readonly<Record<string, KeyKind>> = { pass: 'secret' };

/** The default phrases (every key of `DEFAULT_KEY_RULES`). */
export const DEFAULT_SENSITIVE_KEYS: readonly string[] = Object.keys(DEFAULT_KEY_RULES);

// Scripts written without spaces between words: each character is a word, so a compound key
// (`用户密码`, "user password") still ends with its phrase (`密码`).
const UNSPACED_CHARACTER = /([\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}])/gu;
// Zero-width joiners inside Indic words are spelling, not separators.
const JOINERS = /[\u200c\u200d]/g;

/**
 * Lower-case words of a key: `xApiKey` / `X-API-KEY` / `x_api key` → ['x', 'api', 'key']. Letters,
 * marks and digits of every script make words (`contraseña`, `পাসওয়ার্ড`, `Passwort`), after NFC
 * normalization so precomposed and decomposed spellings are the same key.
 */
export function splitKeyWords(key: string): string[] {
  return (
    key
      .normalize('NFC')
      .replace(JOINERS, '')
      .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
      // Before the last capital of an acronym (`APIKey` → `API Key`). Written as lookarounds: `([A-Z]+)([A-Z][a-z])`
      // re-read a run of capitals from each of its letters, quadratic on a long all-capital key.
      .replace(/(?<=\p{Lu})(?=\p{Lu}\p{Ll})/gu, ' ')
      .replace(UNSPACED_CHARACTER, ' $1 ')
      .toLowerCase()
      .split(/[^\p{L}\p{M}\p{N}]+/u)
      .filter((word) => word.length > 0)
  );
}

/** A phrase or key with separators removed: 'e-mail' and 'Email' are both 'email'. */
export const compactKey = (phrase: string): string => splitKeyWords(phrase).join('');

// Keys written as one word that spell a phrase without naming it: `pincode` is an Indian postal code
// (India Post's spelling), while `pin_code` and `pinCode` hold a PIN.
const NOT_PHRASES = new Set(['pincode']);
// A token that names a place in a list (`page_token`, `next_page_token`, `pagination token`,
// `cursor_token`, AWS's `NextToken`): it pages through results and grants nothing.
const PAGING_WORDS = new Set(['page', 'pagination', 'cursor', 'continuation', 'next']);
const isPagingToken = (words: readonly string[]): boolean =>
  words.length > 1 && words[words.length - 1] === 'token' && PAGING_WORDS.has(words[words.length - 2]);
const PROSE_VERBS = new Set(['is', 'was', 'are']);
// `passport_no`, `phone_num`, `tin_nr`, `rocket_account_number`: an id or account phrase and a number word.
const NUMBER_WORDS = new Set(['no', 'num', 'nr', 'number']);
const NUMBERED_KINDS = new Set(['national_id', 'account_number', 'card', 'phone']);

const CACHE_LIMIT = 10_000;
// A word ending in up to 3 digits: the letters before them (empty for a number alone).
const TRAILING_NUMBER = /^(\p{L}*)\p{N}{1,3}$/u;
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

  const whole = new Map<string, string>(
    Object.entries(WHOLE_KEY_RULES).filter(([phrase]) => !allowed.has(compactKey(phrase))),
  );
  const wholeKey = (words: readonly string[]): string | null =>
    words.length === 1 ? (whole.get(words[0]) ?? null) : null;

  const endsWithPhrase = (words: readonly string[]): string | null => {
    let suffix = '';
    for (let i = words.length - 1; i >= 0; i--) {
      suffix = words[i] + suffix;
      if (suffix.length > longest) return null;
      const kind = phrases.get(suffix);
      if (kind !== undefined) return kind;
    }
    return null;
  };

  const decide = (key: string): string | null => {
    const words = splitKeyWords(key);
    if (words.length === 0 || allowed.has(words.join('')) || NOT_PHRASES.has(words[words.length - 1]))
      return null;
    // Prose puts a verb between the phrase and its value: `Your temporary password is: Zebra!31`.
    if (words.length > 1 && PROSE_VERBS.has(words[words.length - 1])) words.pop();
    if (isPagingToken(words)) return null;
    const kind = endsWithPhrase(words) ?? wholeKey(words);
    if (kind !== null) return kind;
    if (words.length > 1 && NUMBER_WORDS.has(words[words.length - 1])) {
      const numbered = endsWithPhrase(words.slice(0, -1));
      if (numbered !== null && NUMBERED_KINDS.has(numbered)) return numbered;
    }
    // Numbered copies of a field (Django's `password1`/`password2`, `new_password_2`): the phrase
    // without its number (`cvv2` is a phrase of its own and was matched above).
    const last = words[words.length - 1];
    const stem = TRAILING_NUMBER.exec(last)?.[1];
    if (stem === undefined) return null;
    const unnumbered = stem === '' ? words.slice(0, -1) : [...words.slice(0, -1), stem];
    return endsWithPhrase(unnumbered) ?? wholeKey(unnumbered);
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

const COUNT = /^\d{1,4}$/;
const PASS = /^[_-]*pass[_-]*$/i;

/**
 * Whether `value` under `key` is a count of passed tests rather than a password: a number (in text,
 * up to 4 digits) under `pass`.
 */
export function isCountOfPassed(key: string, value: unknown): boolean {
  const count = typeof value === 'number' || (typeof value === 'string' && COUNT.test(value));
  return count && PASS.test(key);
}

// Kinds whose values are at least 6 digits long: an account or wallet number, a phone number, a card,
// a national id. A shorter number under such a key is a count or an amount (`{"bkash": 812}`).
const LONG_NUMBER_KINDS = new Set(['account_number', 'phone', 'card', 'national_id']);
const SHORT_NUMBER = /^\d{1,5}$/;

/** Whether `value` is a number too short to be what a key of `kind` names (`"nagad": 403`). */
export function isTooShortFor(kind: string, value: unknown): boolean {
  if (!LONG_NUMBER_KINDS.has(kind)) return false;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value < 100000;
  return typeof value === 'string' && value.length <= 5 && SHORT_NUMBER.test(value);
}
