import { isMarker } from '../markers';
import { splitKeyWords } from '../sensitive-keys';
import type { Replacer } from '../strategies';
import { isProseAfterOption } from '../surfaces/command-line';
import { isFilePath } from './path-values';

/**
 * detect-secrets' KeywordDetector (`detect_secrets/plugins/keyword.py`: a secret-ish word in the name,
 * an assignment, a value) and gitleaks' `generic-api-key` (the same with a random-looking value), for
 * the assignments the `key=value` pass cannot read or does not look at:
 * - operators it does not know: `password := "…"` (Go), `'password' => '…'` (PHP, Ruby),
 *   `PASSWORD ?= …` (make), `password: str = "…"` (annotated Python);
 * - subscripts and getter defaults: `app.config['SECRET_KEY'] = '…'`, `os.environ["API_TOKEN"] = "…"`,
 *   `os.getenv("DB_PASSWORD", "…")`;
 * - command-line flags: `--password=…`, `--api-token …`;
 * - names with the secret word inside rather than at the end: `DB_PASSWORD_PROD="…"`, `DD_APP_KEY=…`.
 * Never a value alone: without its name a random string is a digest or an id as often as a secret.
 */

/** Words that make a name secret wherever they stand in it (`db_password_prod`). */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'passcode',
  'secret',
  'token',
  'credential',
  'credentials',
  'creds',
  'apikey',
]);

/** `<word> key` names of keys that are secrets (detect-secrets' list, and vendors' names for theirs). */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api',
  'auth',
  'service',
  'account',
  'db',
  'database',
  'priv',
  'private',
  'client',
  'signing',
  'encryption',
  'master',
  'access',
  'secret',
  'app',
  'application',
  'license',
  'sdk',
  'admin',
  'consumer',
  'webhook',
  'hmac',
]);

// The last words of names the default key set (sensitive-keys.ts) already names.
const COVERED_WORDS: ReadonlySet<string> = new Set([
  'auth',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'passcode',
  'secret',
  'token',
  'credentials',
]);
// `app`, `application`, `license` and `sdk` keys are default phrases too, but this pass reads them
// first: a provider's name in them gives the kind (`DATADOG_APPLICATION_KEY`).
const COVERED_KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api',
  'access',
  'private',
  'signing',
  'encryption',
  'secret',
]);
// A secret word only as the last word of a name: `.npmrc`'s `_auth=…` holds credentials, while
// `AUTH_USER_MODEL` and `auth_domain` only name things about authentication.
const LAST_WORDS: ReadonlySet<string> = new Set(['auth']);

/**
 * Words after the secret word that make the name describe the secret rather than hold it:
 * `password_changed_at`, `token_type`, `secret_name`, `api_key_id`, `password_min_length`.
 */
const METADATA_WORDS: ReadonlySet<string> = new Set([
  'at',
  'on',
  'id',
  'ids',
  'name',
  'names',
  'type',
  'types',
  'kind',
  'count',
  'length',
  'len',
  'size',
  'min',
  'max',
  'limit',
  'url',
  'uri',
  'endpoint',
  'path',
  'file',
  'dir',
  'format',
  'version',
  'expires',
  'expiry',
  'expiration',
  'ttl',
  'time',
  'date',
  'timestamp',
  'changed',
  'updated',
  'created',
  'reset',
  'required',
  'enabled',
  'policy',
  'strength',
  'hint',
  'field',
  'label',
  'prefix',
  'status',
  'header',
  'location',
  'mode',
  'algorithm',
  'source',
  'rotation',
  'pattern',
  'error',
  'errors',
  'valid',
  'last4',
  'env',
  'var',
  'variable',
  'stdin',
  // where a secret is kept or how it is fetched, not the secret: `secret_manager_arn`,
  // `credential_process` (AWS config), `token_endpoint`
  'arn',
  'ref',
  'reference',
  'store',
  'vault',
  'provider',
  'backend',
  'manager',
  'engine',
  'scope',
  'mount',
  'process',
  'method',
  'helper',
  'param',
  'parameter',
  'public',
]);

/** Provider names in a secret's name, and the kind its value is reported as. */
const PROVIDER_KINDS: ReadonlyMap<string, string> = new Map([
  ['datadog', 'datadog_key'],
  ['dd', 'datadog_key'],
  ['sentry', 'sentry_token'],
  ['newrelic', 'new_relic_key'],
  ['relic', 'new_relic_key'],
  ['heroku', 'heroku_key'],
  ['mailgun', 'mailgun_key'],
  ['mailchimp', 'mailchimp_key'],
  ['twilio', 'twilio_key'],
  ['sendgrid', 'sendgrid_key'],
  ['discord', 'discord_token'],
  ['telegram', 'telegram_bot_token'],
  ['atlassian', 'atlassian_token'],
  ['jira', 'atlassian_token'],
  ['confluence', 'atlassian_token'],
  ['linear', 'linear_key'],
  ['databricks', 'databricks_token'],
]);

/** Every kind `keywordAssignments` may report. */
export const KEYWORD_KINDS: readonly string[] = ['secret', ...new Set(PROVIDER_KINDS.values())];

// Values that are no secret, and words of code that stand where a value would (`pass = await …`,
// `pass: string`).
const NON_SECRET_VALUE =
  /^(?:true|false|null|none|nil|undefined|yes|no|on|off|\d{1,4}|await|new|typeof|this|self|string|number|boolean|bool|str|int|bytes|any|unknown|void)$/i;
// Templates and references, not values: `${DB_PASSWORD}`, `{{ secret }}`, `%(password)s`, `<password>`.
const PLACEHOLDER = /^(?:\$\{.*\}|\$[A-Z_]+|\{\{.*\}\}|%\(\w+\)s|<[^>]*>|(.)\1*)$/;

/**
 * How much a name says its value is a secret:
 * - `strong`: it ends with a secret word (`db_password`): any value;
 * - `weak`: the word is inside it or is a `<qualifier> key` (`DB_PASSWORD_PROD`, `DD_APP_KEY`): any
 *   quoted value, a bare one only when it looks generated;
 * - `generic`: only `<anything> key` (`ADAFRUIT_IO_KEY`, gitleaks generic-api-key): only a
 *   high-entropy value (a cache key `user:1001` or an idempotency UUID is not one).
 */
type NameStrength = 'strong' | 'weak' | 'generic';

/** What a name says about its value: the kind to report and how strongly it names a secret. */
interface NameVerdict {
  kind: string;
  strength: NameStrength;
  /** The name ends with a phrase of the default key set, so the `key=value` pass reads `name=value`. */
  covered: boolean;
}

// One word that is a known owner and a secret word: `PGPASSWORD`, `authtoken`, `clientsecret` (not any
// word that ends in one: `jsonwebtoken` is a library).
const CONCATENATED =
  /^(?:pg|db|mysql|redis|mongo|amqp|ldap|smtp|auth|api|access|refresh|client|app|admin|root|user|master|bot|session|private|service|account)(?:password|passwd|pwd|secret|token)$/;
// Secret words that are also ordinary words of code (`const pass = await …`): weak even at the end.
const AMBIGUOUS_WORDS: ReadonlySet<string> = new Set(['pass', 'creds', 'credential', 'auth']);
// Names of public values: `public_key`, `publishable_key`, `publicToken`.
const PUBLIC_WORDS: ReadonlySet<string> = new Set(['public', 'publishable', 'pub']);

// Names without any of these letters hold no secret word: most names leave on this test.
const SECRET_LETTERS = /pass|pwd|secret|token|cred|key|auth/i;
const VERDICT_CACHE_LIMIT = 10_000;
// Verdicts per name (bounded): names repeat from line to line; `null` is "not secret".
const verdicts = new Map<string, NameVerdict | null>();

/** Whether a name holds a secret, from its words; `undefined` for names that only describe one. */
export function secretName(name: string): NameVerdict | undefined {
  if (!SECRET_LETTERS.test(name)) return undefined;
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = judgeName(name) ?? null;
    if (verdicts.size >= VERDICT_CACHE_LIMIT) verdicts.clear();
    verdicts.set(name, verdict);
  }
  return verdict ?? undefined;
}

function judgeName(name: string): NameVerdict | undefined {
  const words = splitKeyWords(name);
  if (words.some((word) => PUBLIC_WORDS.has(word))) return undefined;
  const last = words.length - 1;
  let found = -1;
  // For `<qualifier> key` names: the qualifier (`api` of `api_key`, also of one-word `APIKEY`).
  let qualifier: string | undefined;
  let concatenated = false;
  for (let i = last; i >= 0 && found < 0; i--) {
    const word = words[i];
    if (SECRET_WORDS.has(word) || (i === last && LAST_WORDS.has(word))) found = i;
    else if (word === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1])) {
      found = i;
      qualifier = words[i - 1];
    } else if (word.endsWith('key') && KEY_QUALIFIERS.has(word.slice(0, -3))) {
      found = i;
      qualifier = word.slice(0, -3);
    } else if (CONCATENATED.test(word)) {
      found = i;
      concatenated = true;
    }
  }
  const generic = found < 0 && last > 0 && words[last] === 'key';
  if (generic) found = last;
  if (found < 0) return undefined;
  for (let i = found + 1; i < words.length; i++) if (METADATA_WORDS.has(words[i])) return undefined;
  let kind = 'secret';
  for (const word of words) kind = PROVIDER_KINDS.get(word) ?? kind;
  const atEnd = found === last;
  const covered =
    atEnd &&
    !generic &&
    !concatenated &&
    (qualifier === undefined ? COVERED_WORDS.has(words[found]) : COVERED_KEY_QUALIFIERS.has(qualifier));
  const strength: NameStrength = generic
    ? 'generic'
    : qualifier !== undefined || !atEnd || AMBIGUOUS_WORDS.has(words[found])
      ? 'weak'
      : 'strong';
  return { kind, strength, covered };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN_CHARS = /^[A-Za-z0-9+/=_.-]{16,256}$/;
// gitleaks' generic-api-key threshold, in bits per character.
const MIN_ENTROPY = 3.5;

/**
 * A generated value by gitleaks' measure: token characters only, 16 or more, Shannon entropy >= 3.5;
 * and mixed case, or 24 or more without `/` and `.` (paths, file and host names are not keys).
 */
export function highEntropy(value: string): boolean {
  if (!TOKEN_CHARS.test(value) || UUID.test(value) || !/\d/.test(value) || !/[A-Za-z]/.test(value))
    return false;
  const mixedCase = /[a-z]/.test(value) && /[A-Z]/.test(value);
  if (!mixedCase && (value.length < 24 || /[./]/.test(value))) return false;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy >= MIN_ENTROPY;
}

/** Letters and digits of several kinds, long enough: a generated value rather than a word or a path. */
export function looksRandom(value: string): boolean {
  if (value.length < 8 || value.length > 256) return false;
  let lower = 0;
  let upper = 0;
  let digit = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower++;
    else if (c >= 65 && c <= 90) upper++;
    else if (c >= 48 && c <= 57) digit++;
  }
  const classes = (lower > 0 ? 1 : 0) + (upper > 0 ? 1 : 0) + (digit > 0 ? 1 : 0);
  return classes >= 2 && digit > 0 && lower + upper + digit >= value.length * 0.7;
}

// A dotted import path of a class (`django.contrib.auth.hashers.Argon2PasswordHasher` under
// `PASSWORD_HASHERS`, `…backends.smtp.EmailBackend`): lower-case modules, then a capitalised name.
const DOTTED_PATH = /^[a-z_][a-z0-9_]{0,31}(?:\.[a-z_][a-z0-9_]{0,31}){1,8}\.[A-Z][A-Za-z0-9]{1,63}$/;

function keepsValue(value: string): boolean {
  const trimmed = value.trim();
  return (
    trimmed.length === 0 ||
    isMarker(trimmed) ||
    NON_SECRET_VALUE.test(trimmed) ||
    PLACEHOLDER.test(trimmed) ||
    isFilePath(trimmed) ||
    DOTTED_PATH.test(trimmed)
  );
}

/** Where a value lies: `[start, end)`, and whether it was quoted. */
interface ValueSpan {
  start: number;
  end: number;
  quoted: boolean;
}

const BARE_VALUE = /[^\s"'`&,;<>()[\]{}\\]{1,256}/y;

/** The quoted (same quote, same line, at most 256 characters) or bare value at `from`. */
function valueAt(input: string, from: number): ValueSpan | undefined {
  let i = from;
  if (input.charCodeAt(i) === 64) i++; // `@"…"` (Objective-C, C#)
  let escapes = 0;
  while (escapes < 3 && input.charCodeAt(i + escapes) === 92) escapes++;
  const quote = input[i + escapes];
  if (quote === '"' || quote === "'" || quote === '`') {
    const closing = input.slice(i, i + escapes + 1);
    const start = i + escapes + 1;
    const limit = Math.min(input.length, start + 256);
    for (let j = start; j < limit; j++) {
      const c = input.charCodeAt(j);
      if (c === 10 || c === 13) return undefined;
      if (input.startsWith(closing, j)) return { start, end: j, quoted: true };
    }
    return undefined;
  }
  BARE_VALUE.lastIndex = from;
  if (!BARE_VALUE.test(input)) return undefined;
  return { start: from, end: BARE_VALUE.lastIndex, quoted: false };
}

const YAML_TAG = /![\w!:./-]{0,64}[ \t]{1,4}/y;

/** A YAML tag and the value after it (`!!binary cGFzcw==`), as one span: the tag is not the secret. */
function taggedValueAt(input: string, from: number): ValueSpan | undefined {
  YAML_TAG.lastIndex = from;
  if (!YAML_TAG.test(input)) return undefined;
  const value = valueAt(input, YAML_TAG.lastIndex);
  return value === undefined ? undefined : { start: from, end: value.end, quoted: value.quoted };
}

// A name, then an operator: either a flag (group 1, `--name` then `=` or spaces), or a name (group 2),
// the closing quote (and `]`) of a quoted name (group 3) and an operator (group 4), which is empty for
// a name and a quoted value with only spaces between (`password 'x'`). Not after `:`
// (`arn:…:secret:db` is one value) but after `/:` (`.npmrc`'s `//registry/:_authToken=`). Every quantifier
// is bounded, so each start reads at most ~180 characters.
const ASSIGNMENT =
  /(?<![\w.$-]|[^/]:)(?:--?([A-Za-z_][\w.-]{0,63})(?:=|[ \t]{1,4}(?=[^\s=:-]))|([A-Za-z_][\w.-]{0,63})(\\{0,3}["'`]\]?|\])?[ \t]{0,4}(:=|=>|\?=|:[ \t]{0,4}[A-Za-z_][\w.|]{0,40}(?:\[[\w.|, ]{0,40}\])?[ \t]{0,4}=(?!=)|[:=](?!=)|,|(?<=[ \t])(?=\\{0,3}["'])))[ \t]{0,4}/g;

// A name that ends with a password word.
const PASSWORD_WORD = /(?:pass(?:word|wd|phrase)|pwd)$/i;

/** Whether the operator and shape of an assignment are ones the `key=value` pass reads itself. */
const plainOperator = (operator: string, closing: string | undefined): boolean =>
  (operator === '=' || operator === ':') && (closing === undefined || !closing.endsWith(']'));

/**
 * Replaces the values of secret names in the assignment shapes above. Linear: after each name the
 * scan goes on past the operator, or past the value it read (replaced, or bare and kept).
 */
export function keywordAssignments(replacer: Replacer): (input: string) => string {
  return (input) => {
    let out = '';
    let last = 0;
    ASSIGNMENT.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = ASSIGNMENT.exec(input)) !== null) {
      const [, flagName, name, closing, operator] = match;
      const flag = flagName !== undefined;
      // A comma separates only a getter's name from its default.
      if (operator === ',' && !getterBefore(input, match.index, closing)) continue;
      const verdict = secretName(flag ? flagName : name);
      if (verdict === undefined) continue;
      // A word and a quoted value (`(password 'x')` in a driver's error, SQL's `WITH PASSWORD 'x'`):
      // only after a password itself; `secret 'db-creds' not found` names a secret.
      if (operator === '' && !(verdict.strength === 'strong' && PASSWORD_WORD.test(name))) continue;
      const tagged = input.charCodeAt(ASSIGNMENT.lastIndex) === 33; // `!`: a YAML tag
      // Plain `name=value` and `name: value` of a default key name are the `key=value` pass's (which
      // does not read a name right after `:`, as in `.npmrc`'s `//registry/:_authToken=`, nor the
      // value after a YAML tag: `password: !!binary cGFzcw==`). After other `:` (`arn:…:secret:db`)
      // a name is part of a value.
      if (
        verdict.covered &&
        !flag &&
        !tagged &&
        plainOperator(operator, closing) &&
        !input.startsWith('/:', match.index - 2)
      )
        continue;
      const span = tagged ? taggedValueAt(input, ASSIGNMENT.lastIndex) : valueAt(input, ASSIGNMENT.lastIndex);
      if (span === undefined) continue;
      const value = input.slice(span.start, span.end);
      // In code (`:=`, `=>`, subscripts, getter defaults) a bare value is as often a variable as a
      // secret: it counts only when it looks generated, as for a weak name.
      const codeShape = !flag && !plainOperator(operator, closing);
      const kept =
        keepsValue(value) ||
        (flag && !span.quoted && !match[0].includes('=') && isProseAfterOption(value)) ||
        (verdict.strength === 'generic'
          ? !highEntropy(value)
          : !span.quoted && (verdict.strength === 'weak' || codeShape) && !looksRandom(value));
      if (kept) {
        // A bare value kept is not read again from the names inside it (`/:_auth=/:_auth=…` would
        // re-read up to 256 characters from each): the scan goes on after it.
        if (!span.quoted) ASSIGNMENT.lastIndex = span.end;
        continue;
      }
      out += input.slice(last, span.start) + replacer.keyed(verdict.kind, value);
      last = span.end;
      ASSIGNMENT.lastIndex = span.end;
    }
    return last === 0 ? input : out + input.slice(last);
  };
}

// `getenv("NAME", "default")`, `environ.get('NAME', '…')`, `config.get("NAME", …)`, `setdefault(…)`,
// `GetEnvOrDefault("NAME", "…")`.
const GETTER = /(?:get\w{0,24}|env\w{0,24}|\w{0,24}default|fetch)\([ \t]{0,4}\\{0,3}["'`]$/i;

function getterBefore(input: string, nameStart: number, closing: string | undefined): boolean {
  if (closing === undefined || closing.endsWith(']')) return false;
  return GETTER.test(input.slice(Math.max(0, nameStart - 40), nameStart));
}
