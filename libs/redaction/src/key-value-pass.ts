import { isFilePath } from './detectors/path-values';
import { isMarker } from './markers';
import { isCountOfPassed, isTooShortFor, type KeyMatcher } from './sensitive-keys';
import type { Replacer } from './strategies';
import { cookieSpans, isCookieKey, type SecretSpan } from './surfaces/cookies';
import { holdsNoSecret, isNoValue, isPlaceholder } from './surfaces/masked';

// The opening quote of a quoted value, escaped up to three times (JSON in JSON in JSON), after a
// Python string prefix (`b'…'` bytes, `u'…'`, `r'…'`).
const OPENING_QUOTE = /[bBuUrR]?(\\{0,3}["'])/y;
// A bare value runs up to whitespace, a quote or a separator of the formats above, or the full-width
// comma, semicolon, full stop and the ideographic comma of CJK text (`密码：…，用户名：…`).
const BARE_VALUE = /[^\s"'&,;<>()[\]{}\\\uff0c\uff1b\u3001\u3002]+/y;
// Typographic quotes and the quote that closes each: guillemets (`«…»`, `»…«`, `‹…›`), German and
// English curly quotes (`„…“`, `“…”`, `‘…’`), CJK corner brackets (`「…」`, `『…』`).
const CLOSING_QUOTES: ReadonlyMap<string, string> = new Map([
  ['\u00ab', '\u00bb'],
  ['\u00bb', '\u00ab'],
  ['\u2039', '\u203a'],
  ['\u201e', '\u201c\u201d'],
  ['\u201c', '\u201d'],
  ['\u2018', '\u2019'],
  ['\u300c', '\u300d'],
  ['\u300e', '\u300f'],
]);
// Up to this many items of a list value are read (`'password': ['hunter2']` in a Django QueryDict).
const MAX_LIST_ITEMS = 64;

/** Where a value lies in the input: `[start, end)`, and where scanning goes on after it. */
interface ValueSpan {
  start: number;
  end: number;
  next: number;
}

/**
 * A quoted value: up to the same (equally escaped) quote on the same line. Without one the value runs
 * to the end of the line: a cut or malformed line must not let the secret after its key through.
 */
function quotedValue(input: string, from: number): ValueSpan | undefined {
  const closing = CLOSING_QUOTES.get(input.charAt(from));
  if (closing !== undefined) return typographicValue(input, from + 1, closing);
  OPENING_QUOTE.lastIndex = from;
  const opening = OPENING_QUOTE.exec(input);
  if (opening === null) return undefined;
  const quote = opening[1];
  const start = from + opening[0].length;
  let i = start;
  for (; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (input.startsWith(quote, i)) return { start, end: i, next: i + quote.length };
  }
  return { start, end: i, next: i };
}

/** A value in typographic quotes: up to one of `closing` on the same line, else to the line's end. */
function typographicValue(input: string, start: number, closing: string): ValueSpan {
  let i = start;
  for (; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (closing.includes(input.charAt(i))) return { start, end: i, next: i + 1 };
  }
  return { start, end: i, next: i };
}

// Calls that make a value in a Python repr (`date_of_birth=datetime.date(1990, 1, 2)`), with the
// arguments they take there: numbers, quotes, commas, spaces, signs and dots.
const VALUE_CALL = /^(?:datetime\.)?(?:date|datetime)$|^Decimal$/;
const CALL_ARGUMENTS = /\([\w '".,:+-]{0,64}\)/y;
// A variable in braces (`${DB_PASSWORD}`, `${{ secrets.TOKEN }}`): read whole, so that it is seen as one.
const BRACED_VARIABLE = /\$\{\{?[ \t]*[\w.]{1,64}[ \t]*\}?\}/y;
// Keys whose value may be `Scheme token` (`authorization`, `proxy_authorization`, `x-auth`).
const AUTH_KEY = /auth/i;
// The schemes of an `Authorization` value (`Bearer <token>`): the value is the scheme and its token.
const AUTH_SCHEME = /^(?:bearer|basic|token|bot|digest|negotiate|ntlm|hmac)$/i;
const SCHEME_PREFIX = /^(?:bearer|basic|token|bot|digest|negotiate|ntlm|hmac) (?=[^\s])/i;

/** The length of the `Scheme ` before a credential (`Basic dXNl…`), kept in place; 0 without one. */
export const schemePrefixLength = (value: string): number => SCHEME_PREFIX.exec(value)?.[0].length ?? 0;

/**
 * The replacement of a sensitive key's value; an `Authorization` value keeps its scheme
 * (`{"Authorization": "Basic [REDACTED]"}`), as in text.
 */
export function keyedCredential(key: string, kind: string, value: unknown, replacer: Replacer): unknown {
  if (typeof value !== 'string' || value.length > 4200 || !AUTH_KEY.test(key))
    return replacer.keyed(kind, value);
  const scheme = schemePrefixLength(value);
  return scheme === 0
    ? replacer.keyed(kind, value)
    : value.slice(0, scheme) + replacer.keyed(kind, value.slice(scheme));
}
// The token: RFC 7235's token68 up to a space, a quote or a separator (`auth=basic mode=x` has none),
// or a variable that holds it (`Bearer $TOKEN`, `Bearer ${TOKEN}`).
const SCHEME_TOKEN = /[ \t](?:\$\{?)?[\w.~+/-]{1,4096}\}?={0,2}(?=$|[\s"'<>,;&])/y;

/**
 * A bare value up to a separator. One followed by `(` or `[` is code, not a value (`password =
 * request.POST['password']`, `token = get_token()` in a traceback's source lines): it is skipped,
 * unless it is a call that makes a value (`datetime.date(…)`), which is the value with its arguments.
 * An auth scheme takes its token (`authorization=Bearer abc` loses `Bearer abc`).
 */
function bareValue(input: string, from: number, schemeKey = false): ValueSpan | undefined {
  const DOLLAR = 36;
  if (input.charCodeAt(from) === DOLLAR) {
    BRACED_VARIABLE.lastIndex = from;
    if (BRACED_VARIABLE.test(input))
      return { start: from, end: BRACED_VARIABLE.lastIndex, next: BRACED_VARIABLE.lastIndex };
  }
  BARE_VALUE.lastIndex = from;
  if (!BARE_VALUE.test(input)) return undefined;
  let end = andInValue(input, BARE_VALUE.lastIndex);
  const next = input.charCodeAt(end);
  if (next === 40 || next === 91) {
    CALL_ARGUMENTS.lastIndex = end;
    if (next === 40 && VALUE_CALL.test(input.slice(from, end)) && CALL_ARGUMENTS.test(input)) {
      end = CALL_ARGUMENTS.lastIndex;
      return { start: from, end, next: end };
    }
    return { start: from, end: from, next: end };
  }
  if (schemeKey && end - from <= 9 && AUTH_SCHEME.test(input.slice(from, end))) {
    SCHEME_TOKEN.lastIndex = end;
    // The scheme stays (`Authorization: Basic [REDACTED]`): it says how, not what.
    if (SCHEME_TOKEN.test(input))
      return { start: end + 1, end: SCHEME_TOKEN.lastIndex, next: SCHEME_TOKEN.lastIndex };
    // Its token already replaced (`Basic [REDACTED:basic_auth]`): nothing is left to remove.
    if (isMarker(input.slice(end + 1, end + 11))) return { start: from, end: from, next: end };
  }
  return { start: from, end, next: end };
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

// The leaves of an audit log's change object (django-simple-history, django-auditlog, PaperTrail):
// `"old": …`, `"new": …`, `before`/`after`, `from`/`to`, `value`, each a quoted string or a number.
const CHANGE_LEAF =
  /[ \t]{0,4}\\{0,3}["']?(?:old|new|before|after|from|to|value|previous|current)\\{0,3}["']?[ \t]{0,4}[:=][ \t]{0,4}(?:\\{0,3}(["'])([^"'\\\n{}]{0,256})\\{0,3}\1|(-?\d{1,32}(?:\.\d{1,16})?)|null|None|true|false)[ \t]{0,4},?/y;

/**
 * The change leaves of the flat object that starts at `open` (its `{`) under a sensitive key, added to
 * `spans`; where scanning goes on (after the object, or at its `{` when it is not one of these).
 */
function changeLeafSpans(input: string, open: number, kind: string, spans: SecretSpan[]): number {
  let at = open + 1;
  const found: SecretSpan[] = [];
  for (;;) {
    CHANGE_LEAF.lastIndex = at;
    const leaf = CHANGE_LEAF.exec(input);
    if (leaf === null) break;
    const text = leaf[2] ?? leaf[3];
    if (text !== undefined && text.length > 0 && !isMarker(text) && !isTooShortFor(kind, text)) {
      // The value comes after the separator (a key holds no `:` or `=`): `"new": "new"` finds the second.
      const separator = Math.max(leaf[0].indexOf(':'), leaf[0].indexOf('='));
      const start = leaf.index + leaf[0].indexOf(text, separator + 1);
      found.push({ start, end: start + text.length, kind });
    }
    at = CHANGE_LEAF.lastIndex;
  }
  if (input.charCodeAt(at) !== 125) return open + 1; // }
  spans.push(...found);
  return at + 1;
}

/**
 * Where a bare value ending at `end` really ends: an `&` separates query parameters only when a
 * `name=` follows it (`?token=abc&page=2`); otherwise it is part of the value (`Orbit&mango4011`).
 * Linear: each part after an `&` is read once.
 */
function andInValue(input: string, end: number): number {
  let at = end;
  while (input.charCodeAt(at) === 38) {
    BARE_VALUE.lastIndex = at + 1;
    if (!BARE_VALUE.test(input)) return at;
    const partEnd = BARE_VALUE.lastIndex;
    if (input.charCodeAt(partEnd) === 61 || input.slice(at + 1, partEnd).includes('=')) return at; // =
    at = partEnd;
  }
  return at;
}

function skipSpaces(input: string, from: number): number {
  let i = from;
  while (i < input.length && isSpace(input.charCodeAt(i))) i++;
  return i;
}

// Word characters of a key: ASCII word characters, `.` and `-`, and the letters and marks of other
// scripts by block (Latin-1 to Greek/Cyrillic/Arabic/Indic up to U+1FFF, kana,
// CJK, Hangul). Punctuation blocks (U+2000–U+2BFF, U+3000–U+303F, full-width forms) are left out.
const OTHER_SCRIPTS = '\\u00C0-\\u1FFF\\u3040-\\u9FFF\\uAC00-\\uD7FF';
const KEY_CHARS = `\\w.\\-${OTHER_SCRIPTS}`;
const isLetterOfKey = (c: number): boolean =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  c === 95 ||
  (c >= 0xc0 && c <= 0x1fff) ||
  (c >= 0x3040 && c <= 0x9fff) ||
  (c >= 0xac00 && c <= 0xd7ff);
// Words a key phrase may have before its last word (`fecha de nacimiento` has 2).
const MAX_WORDS_BEFORE = 3;
const MAX_WORD = 32;

/**
 * The start of up to 3 words of letters, each after one space or tab, that come right before
 * `keyStart` (`date of` before `birth`); `keyStart` itself when there are none. Bounded: at most
 * 3 × 33 characters are read back.
 */
function wordsBefore(input: string, keyStart: number): number {
  let start = keyStart;
  for (let words = 0; words < MAX_WORDS_BEFORE; words++) {
    const space = input.charCodeAt(start - 1);
    if (space !== 32 && space !== 9) break;
    let i = start - 1;
    while (i > 0 && start - 1 - i < MAX_WORD && isLetterOfKey(input.charCodeAt(i - 1))) i--;
    if (i === start - 1) break;
    start = i;
  }
  return start;
}

// The markup between a label and its value in HTML e-mails and pages: `<b>OTP:</b> 123456`,
// `<th>PIN:</th><td>1234</td>`, `<dt>Password:</dt><dd>…</dd>`.
const CLOSING_TAG =
  /<\/(?:b|strong|span|em|i|label|th|td|dt)>[ \t]*(?:<(?:td|dd|span|code)(?:[ \t][^<>]{0,64})?>[ \t]*)?/y;

function afterClosingTag(input: string, from: number): number {
  if (input.charCodeAt(from) !== 60) return from; // <
  CLOSING_TAG.lastIndex = from;
  return CLOSING_TAG.test(input) ? CLOSING_TAG.lastIndex : from;
}

// A bare value of letters only: a word of a sentence when its key has several words.
const WORD = /^\p{L}+$/u;

/**
 * A bare value, except a lone word after a key of several words: `Invalid account number: must be 10
 * digits` is a sentence, `mot de passe: hunter2` and `date of birth: 1990-01-02` are not.
 */
function proseSafeBareValue(input: string, from: number, key: string): ValueSpan | undefined {
  const span = bareValue(input, from, AUTH_KEY.test(key));
  if (span === undefined || !key.includes(' ') || !WORD.test(input.slice(span.start, span.end))) return span;
  return { ...span, end: span.start };
}

/**
 * The quoted items of a list value (`['hunter2']`, `["a", "b"]`, Django's QueryDict and
 * MultiValueDict reprs); `undefined` when the list holds something else (numbers, objects).
 */
function listValues(input: string, from: number): ValueSpan[] | undefined {
  const items: ValueSpan[] = [];
  let i = from + 1;
  while (items.length < MAX_LIST_ITEMS) {
    const item = quotedValue(input, skipSpaces(input, i));
    if (item === undefined || item.next === item.end) return undefined;
    items.push(item);
    i = skipSpaces(input, item.next);
    const c = input.charCodeAt(i);
    if (c === 93) {
      items[items.length - 1] = { ...item, next: i + 1 }; // ]
      return items;
    }
    if (c !== 44) return undefined; // ,
    i++;
  }
  return items;
}

/** The end of a Cookie header value written bare: its line, or the quote that opened its name. */
function cookieLineEnd(input: string, keyStart: number, from: number): number {
  const before = input.charCodeAt(keyStart - 1);
  const quote = before === 39 || before === 34 ? String.fromCharCode(before) : undefined;
  let i = from;
  for (; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 10 || c === 13 || (quote !== undefined && c === before)) break;
  }
  return i;
}

// An OAuth 2 authorization code in a redirect's query (`/callback?code=…&state=…`, RFC 6749 4.1.2):
// a credential until it is exchanged. Only a generated-looking value of 16+ characters with a letter
// and a digit: `?code=404`, `?code=SUMMER24` and `?code=ERR_TIMEOUT` are other codes.
const AUTHORIZATION_CODE =
  /(?=[\w./~+-]{0,511}\d)(?=[\w./~+-]{0,511}[A-Za-z])[\w./~+-]{16,512}(?=$|[&#\s"'])/y;

function isAuthorizationCode(input: string, keyStart: number, valueStart: number): boolean {
  const before = input.charCodeAt(keyStart - 1);
  if ((before !== 63 && before !== 38) || input.charCodeAt(valueStart - 1) !== 61) return false; // ? & =
  AUTHORIZATION_CODE.lastIndex = valueStart;
  return AUTHORIZATION_CODE.test(input);
}

/**
 * Whether a key before a comma is the first item of a pair in a list of pairs (`[('password',
 * 'hunter2'), …]` of `request.POST.items()`, WSGI header lists `[('Set-Cookie', '…')]`, JSON's
 * `[["x-api-key", "…"]]`): quoted, right after a `(` or `[` that follows `[` or `,`, its value quoted or a list of quoted items, and the matching `)` or `]`
 * right after it. A tuple of names (`fields = ('username', 'password', 'email')`), an SQL column list (`INSERT
 * INTO "users" ("email", "password")`) and a call (`print('token', x)`) are not pairs.
 */
function isPairKey(input: string, keyStart: number, valueStart: number): boolean {
  const quote = input.charCodeAt(keyStart - 1);
  const pairOpener = input.charCodeAt(keyStart - 2);
  if ((quote !== 39 && quote !== 34) || (pairOpener !== 40 && pairOpener !== 91)) return false; // ' " ( [
  let before = keyStart - 3;
  while (before > 0 && isSpace(input.charCodeAt(before))) before--;
  const opener = input.charCodeAt(before);
  if (opener !== 91 && opener !== 44) return false; // [ ,
  const value =
    input.charCodeAt(valueStart) === 91 // [
      ? listValues(input, valueStart)?.at(-1)
      : quotedValue(input, valueStart);
  return (
    value !== undefined && input.charCodeAt(skipSpaces(input, value.next)) === (pairOpener === 40 ? 41 : 93)
  ); // ) ]
}

const PASS_KEY = /^pass\d{0,3}$/i;

// Adjectives written after a password phrase (`contraseña nueva`, `mot de passe actuel`, `senha atual`,
// `كلمة المرور الجديدة`, `password (new)` aside): new, old, current, temporary, confirmed. Before the
// phrase they already work (`neues Passwort`, `new password`): a key phrase is matched by its last words.
const PASSWORD_MODIFIERS = new Set(
  (
    'new old current temporary temp confirm confirmation repeat again ' +
    'nueva nuevo actual anterior antigua antiguo temporal provisional confirmación confirmacion ' +
    'nouveau nouvel nouvelle actuel actuelle ancien ancienne temporaire provisoire confirmation ' +
    'neu neues neue alt altes alte aktuell aktuelles temporär bestätigung wiederholung ' +
    'nova novo atual antiga antigo temporária temporaria provisória provisoria confirmação confirmacao ' +
    'الجديدة الحالية القديمة المؤقتة السابقة الجديد'
  ).split(' '),
);

/**
 * The kind of a password phrase followed by an adjective (`contraseña nueva: …`): the words before
 * the adjective decide, and only a secret counts (`teléfono nuevo` is a phone, matched as any value).
 */
function modifiedPasswordKind(
  input: string,
  phraseStart: number,
  lastWordStart: number,
  lastWord: string,
  keyKindOf: KeyMatcher,
): string | undefined {
  if (lastWord.length > 16 || !PASSWORD_MODIFIERS.has(lastWord.toLowerCase())) return undefined;
  const kind = keyKindOf(input.slice(phraseStart, lastWordStart - 1));
  return kind === 'secret' ? kind : undefined;
}

/**
 * Whether a key is the class name of a Python/Django object repr (`<GamePassport: valorant#9021>`,
 * `<QuerySet [<UserToken: 42>]>`): right after `<` and capitalised, it names a model, not a field.
 */
function isReprClassName(input: string, keyStart: number, key: string): boolean {
  const first = key.charCodeAt(0);
  const second = key.charCodeAt(1);
  // `<` A-Z a-z: `<TOKEN: …>` in capitals is a placeholder's label, not a class.
  return input.charCodeAt(keyStart - 1) === 60 && first >= 65 && first <= 90 && second >= 97 && second <= 122;
}

/**
 * Whether a sensitive one-word key ends a phrase that is not (`pagination token: page_2`, `next page
 * token = …`): the words before it decide.
 */
function isPagingPhrase(input: string, keyStart: number, key: string, keyKindOf: KeyMatcher): boolean {
  if (key.length !== 5 || key.toLowerCase() !== 'token') return false;
  const phraseStart = wordsBefore(input, keyStart);
  return phraseStart !== keyStart && keyKindOf(input.slice(phraseStart, keyStart + 5)) === undefined;
}

// A capitalised word, a space and a word in lower case after ` : `: a sentence, as in MongoDB's
// `bad auth : Authentication failed.`, not a value.
const SENTENCE = /\p{Lu}\p{Ll}{1,31} \p{Ll}/uy;

function isSentenceAfter(input: string, from: number, separator: string): boolean {
  if (!separator.startsWith(' ') || !separator.includes(':')) return false;
  SENTENCE.lastIndex = from;
  return SENTENCE.test(input);
}

/**
 * Already the output of a strategy (a second pass changes nothing), masked by its writer, a
 * placeholder of a SQL statement whose parameters are printed after it, or a reference to a variable
 * (`$TOKEN`, `{{ api_key }}`) that holds the value elsewhere.
 */
const holdsNothing = (value: string): boolean =>
  isMarker(value) || holdsNoSecret(value) || isPlaceholder(value);

/** A bare `None`, `null` or flag (`token=None` in a repr), or the count of a `pass=10 fail=2` line. */
const bareHoldsNothing = (key: string, value: string): boolean =>
  isNoValue(value) || isCountOfPassed(key, value);

/**
 * Values of sensitive keys written inside text (`?token=…&`, `api_key=…`, `{\"password\":\"…\"}`,
 * `password: …`, `'password': ['…']`, `Passwort: …`, `mot de passe : …`, `密码：…`), as spans in order.
 * Linear: scanning resumes after the separator of a key that is not sensitive (a URL value may hold
 * `?token=`) and after the value of one that is, so no character is read from more than a bounded
 * number of starts.
 */
export function keyValueSpans(keyKindOf: KeyMatcher): (input: string) => SecretSpan[] {
  // A key and its separator: JSON (`"key": `), escaped JSON (`\"key\":`), query and form (`key=`),
  // logfmt, YAML-ish (`key: `), full-width colon, `:=` and `=>`, and the comma of a quoted pair. A
  // label may name its value again in parentheses (`গোপন নম্বর (পিন): …`, `Password (temporary): …`):
  // the label before them decides (`if (token): …` is code).
  // A
  // Ruby symbol is a key (`:password => …`, `:token: …`); a word after another `:` is not (`u:p`).
  // Only this part is a regex: each start costs at most the 64 letters of a key and the separator,
  // and the value is read only after a sensitive key. One per pass: its `lastIndex` is the pass's
  // position. Letters of other scripts are matched by code
  // point blocks rather than `\p{L}` (which made every string pay a Unicode property test per
  // character); `splitKeyWords` decides what a word is.
  const keySeparator = new RegExp(
    `(?<![${KEY_CHARS}])(?<![^\\s{(,[]:)([A-Za-z_${OTHER_SCRIPTS}][${KEY_CHARS}]{0,63})(?:[ \\t]\\([${KEY_CHARS} ]{1,32}\\))?(\\\\{0,3}(?:["'][ \\t]*,|["']?[ \\t]*(?::=|=>|[:=\\uff1a]))[ \\t]*)`,
    'g',
  );
  return (input) => {
    const spans: SecretSpan[] = [];
    keySeparator.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = keySeparator.exec(input)) !== null) {
      const separator = match[2];
      let key = match[1];
      let kind = keyKindOf(key);
      if (kind !== undefined && isPagingPhrase(input, match.index, key, keyKindOf)) continue;
      if (kind !== undefined && isReprClassName(input, match.index, key)) continue;
      if (
        kind === undefined &&
        key === 'code' &&
        isAuthorizationCode(input, match.index, keySeparator.lastIndex)
      ) {
        const end = AUTHORIZATION_CODE.lastIndex;
        spans.push({ start: keySeparator.lastIndex, end, kind: 'secret' });
        keySeparator.lastIndex = end;
        continue;
      }
      if (kind === undefined) {
        // A phrase of several words ending in this one (`date of birth: …`, `mot de passe : …`).
        const phraseStart = wordsBefore(input, match.index);
        if (phraseStart === match.index) continue;
        key = input.slice(phraseStart, match.index + key.length);
        kind = keyKindOf(key) ?? modifiedPasswordKind(input, phraseStart, match.index, match[1], keyKindOf);
        if (kind === undefined) continue;
      }
      const from = afterClosingTag(input, keySeparator.lastIndex);
      if (separator.trimEnd().endsWith(',') && !isPairKey(input, match.index, from)) continue;
      if (isCookieKey(key)) {
        const quoted = quotedValue(input, from);
        const end = quoted?.end ?? cookieLineEnd(input, match.index, from);
        spans.push(...cookieSpans(input, quoted?.start ?? from, end, keyKindOf));
        keySeparator.lastIndex = Math.max(from, quoted?.next ?? end);
        continue;
      }
      if (input.charCodeAt(from) === 123) {
        // `{` An object under the key: its change-log leaves (`{"old": null, "new": "0162…"}`).
        keySeparator.lastIndex = changeLeafSpans(input, from, kind, spans);
        continue;
      }
      const quoted = quotedValue(input, from);
      const list = input.charCodeAt(from) === 91; // [
      // `=>` separates a key from its value in Ruby, PHP and Perl hashes, always quoted there; a bare
      // value after it is code (`token => token.trim()`).
      if (!list && quoted === undefined && separator.includes('=>')) continue;
      if (quoted === undefined && isSentenceAfter(input, from, separator)) continue;
      const values = list ? listValues(input, from) : [quoted ?? proseSafeBareValue(input, from, key)];
      const bare = !list && quoted === undefined;
      // `pass` is also a word of code (`const pass = await …`, `pass: string`): bare only in `pass=…`.
      if (bare && separator !== '=' && PASS_KEY.test(key)) continue;
      let next = from;
      for (const span of values ?? []) {
        if (span === undefined) continue;
        next = span.next;
        const value = input.slice(span.start, span.end);
        if (
          span.end === span.start ||
          holdsNothing(value) ||
          (bare && bareHoldsNothing(key, value)) ||
          isTooShortFor(kind, value)
        )
          continue;
        const scheme = quoted !== undefined && AUTH_KEY.test(key) ? schemePrefixLength(value) : 0;
        spans.push({ start: span.start + scheme, end: span.end, kind });
      }
      keySeparator.lastIndex = next;
    }
    return spans;
  };
}

/** Replaces each span with the keyed replacement of its kind; the input as is when there is none. */
export function replaceSpans(input: string, spans: readonly SecretSpan[], replacer: Replacer): string {
  if (spans.length === 0) return input;
  let out = '';
  let last = 0;
  for (const span of spans) {
    if (span.start < last) continue;
    out += input.slice(last, span.start) + replacer.keyed(span.kind, input.slice(span.start, span.end));
    last = span.end;
  }
  return out + input.slice(last);
}

/**
 * Values of sensitive keys written inside text, replaced (see `keyValueSpans`). A value that is a
 * file's path (`GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json`) says where a credential
 * is kept, not what it is: it stays.
 */
export function keyValuePass(keyKindOf: KeyMatcher, replacer: Replacer): (input: string) => string {
  const find = keyValueSpans(keyKindOf);
  const notAPath = (input: string) => (span: SecretSpan) => !isFilePath(input.slice(span.start, span.end));
  return (input) => {
    const spans = find(input);
    return replaceSpans(input, spans.length === 0 ? spans : spans.filter(notAPath(input)), replacer);
  };
}
