import { isIPv6 } from 'node:net';

import { ibanValid, luhnValid, ssnPossible } from './checksums';
import { notAnAddress } from './detectors/address-lookalikes';
import { productCodeBefore } from './detectors/context';
import { identityCandidate, identityDetectors } from './detectors/identity';
import { foldingDigits } from './detectors/folding';
import { messageIdHeaderTest } from './detectors/message-ids';
import { secretCandidates, secretDetectors } from './detectors/secrets';
import { versionBesideQuad } from './detectors/version-quads';
import { keyValuePass } from './key-value-pass';
import type { KeyMatcher } from './sensitive-keys';
import type { Replacer } from './strategies';
import type { StringFacts } from './string-facts';
import { userPathPass } from './surfaces/command-line';
import { headerLinePass } from './surfaces/header-line';
import { mayHoldSurface, surfacePass } from './surfaces/surface-pass';

interface DetectorBase {
  /** Its name in `explain` findings (`email`, `key-value`); without one, its kinds. */
  rule?: string;
  /** The kinds this detector reports; it runs while any of them is enabled. */
  kinds: readonly string[];
  /** A cheap test that rules most strings out; with `bit`, a second test after the bit's. */
  gate?: (input: string, facts: StringFacts) => boolean;
  /** Built-in detectors: their bit in `builtInCandidates`, which decides for all of them at once. */
  bit?: number;
}

/**
 * One pass over a string: `gate` is a cheap test that rules most strings out before `pattern` (global,
 * precompiled) runs; `replace` returns the replacement of a match, or `undefined` to keep it.
 */
export interface PatternDetector extends DetectorBase {
  pattern: RegExp;
  replace(match: RegExpExecArray, input: string): string | undefined;
  run?: undefined;
}

/**
 * A hand-written pass used where a regex would be super-linear on hostile text (it would re-read the
 * same run of characters from every start position inside it): each character is read a bounded
 * number of times.
 */
export interface PassDetector extends DetectorBase {
  /** `facts` are those of the string before the earlier detectors' replacements (which add only markers). */
  run: (input: string, facts: StringFacts) => string;
}

export type Detector = PatternDetector | PassDetector;

/** Applies `replace` to every match of a global regex; the input is returned as is when nothing changed. */
export function scan(input: string, detector: PatternDetector): string {
  const { pattern } = detector;
  pattern.lastIndex = 0;
  let out = '';
  let last = 0;
  let changed = false;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(input)) !== null) {
    const replacement = detector.replace(match, input);
    if (replacement !== undefined) {
      out += input.slice(last, match.index) + replacement;
      last = match.index + match[0].length;
      changed = true;
    }
    if (match[0].length === 0) pattern.lastIndex++;
  }
  return changed ? out + input.slice(last) : input;
}

const digitsOf = (text: string): string => text.replace(/\D/g, '');

const BEARER_OR_BASIC = /bearer|basic/i;
const CREDENTIAL_HEADER = /authorization|cookie|api-key|auth-token/i;

// Four dotted numbers right after one of these words are a version, not an address.
const VERSION_BEFORE = /(?:\bv|version|ver|release|build|rev)[\s:=]*$/i;

function basicCredentials(token: string): boolean {
  const decoded = Buffer.from(token, 'base64').toString('latin1');
  return decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded);
}

function bearerLike(token: string): boolean {
  return /\d/.test(token) || (token.length >= 24 && /[a-z]/.test(token) && /[A-Z]/.test(token));
}

/** One bit per built-in detector; bits 0, 2–5 and 16 are the secret detectors' (`SecretBit`). */
const Bit = {
  AUTH_SCHEME: 1 << 1,
  JWT: 1 << 6,
  EMAIL: 1 << 7,
  CARD: 1 << 8,
  IBAN: 1 << 9,
  SSN: 1 << 10,
  IPV6: 1 << 11,
  IPV4: 1 << 12,
  IDENTITY: 1 << 13,
  HEADER_LINE: 1 << 14,
  KEY_VALUE: 1 << 15,
  // Surfaces beyond key=value (SQL values, HTML cells, encoded text, curl, home paths): one bit for all.
  SURFACES: 1 << 20,
} as const;

/**
 * Which built-in detectors may find something in `s`, from its facts and a few substring tests: one
 * straight-line function instead of a call per detector. Each line is the cheapest condition its
 * pattern cannot match without.
 */
export function builtInCandidates(s: string, f: StringFacts): number {
  const length = s.length;
  let bits = secretCandidates(s, f);
  if (f.space && length >= 14 && BEARER_OR_BASIC.test(s)) bits |= Bit.AUTH_SCHEME;
  if (f.upper > 0 && length >= 30 && s.includes('eyJ')) bits |= Bit.JWT;
  if (f.at || (f.percent && (s.includes('%40') || s.includes('%2540')))) bits |= Bit.EMAIL;
  // Bengali and other digits are not counted in the facts: card, IBAN and SSN then run on a folded copy.
  if (f.digitGroup >= 13 || f.otherDigits) bits |= Bit.CARD;
  if (f.otherDigits ? f.upper >= 2 : f.capitalsThenDigits && f.digits >= 10 && length >= 15) bits |= Bit.IBAN;
  if (f.digitGroup >= 9 || f.otherDigits) bits |= Bit.SSN;
  if (f.colons >= 7 || (f.colons >= 2 && s.includes('::'))) bits |= Bit.IPV6;
  if (f.dottedDigits >= 3) bits |= Bit.IPV4;
  if (identityCandidate(s, f)) bits |= Bit.IDENTITY;
  if (mayHoldSurface(s, f)) bits |= Bit.SURFACES;
  if (f.keyValue) {
    bits |= Bit.KEY_VALUE;
    if (f.colons > 0 && CREDENTIAL_HEADER.test(s)) bits |= Bit.HEADER_LINE;
  }
  return bits;
}

// The e-mail pass finds what /[A-Za-z0-9._%+-]{1,64}(?:@|%40|%2540)(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}/gi
// would, from each separator outwards.
const EMAIL_SEPARATOR = /@|%40|%2540/g;
const EMAIL_DOMAIN = /(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,63}/y;

function isLocalPartChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === 46 || // .
    c === 95 || // _
    c === 37 || // %
    c === 43 || // +
    c === 45 // -
  );
}

/**
 * E-mail addresses, found from each separator outwards instead of trying a 64-character local part
 * at every position of the string.
 */
function scrubEmails(input: string, replace: (text: string) => string): string {
  let out = '';
  let last = 0;
  const inMessageIdHeader = messageIdHeaderTest(input);
  EMAIL_SEPARATOR.lastIndex = 0;
  let separator: RegExpExecArray | null;
  while ((separator = EMAIL_SEPARATOR.exec(input)) !== null) {
    const at = separator.index;
    // The domain first: it fails at once on most text, and `%40%40…` would otherwise walk 64
    // characters back from every separator.
    EMAIL_DOMAIN.lastIndex = at + separator[0].length;
    if (!EMAIL_DOMAIN.test(input)) continue;
    const end = EMAIL_DOMAIN.lastIndex;
    let start = at;
    while (start > last && at - start < 64 && isLocalPartChar(input.charCodeAt(start - 1))) start--;
    if (start === at || inMessageIdHeader(start) || notAnAddress(input, start, at, end)) continue;
    out += input.slice(last, start) + replace(input.slice(start, end));
    last = end;
    EMAIL_SEPARATOR.lastIndex = end;
  }
  return last === 0 ? input : out + input.slice(last);
}

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
const isBase64UrlChar = (c: number): boolean => isWordChar(c) || c === 45;

/** Index of the first character at or after `from` that is not base64url. */
function base64UrlRunEnd(input: string, from: number): number {
  let i = from;
  while (i < input.length && isBase64UrlChar(input.charCodeAt(i))) i++;
  return i;
}

/**
 * JWTs: `eyJ` + 4 or more, `.`, 2 or more, `.`, any (base64url segments). As one regex this was
 * quadratic: `-eyJa-eyJa-…` starts a match at every `eyJ` and each runs to the end of the same
 * segment. Here a failed segment is skipped whole: every `eyJ` inside it ends at the same place.
 */
function scrubJwts(input: string, replace: (text: string) => string): string {
  let out = '';
  let last = 0;
  let from = 0;
  let at: number;
  while ((at = input.indexOf('eyJ', from)) !== -1) {
    if (at > 0 && isWordChar(input.charCodeAt(at - 1))) {
      from = at + 1;
      continue;
    }
    const header = base64UrlRunEnd(input, at + 3);
    if (header - at < 7 || input.charCodeAt(header) !== 46) {
      from = header;
      continue;
    }
    const payload = base64UrlRunEnd(input, header + 1);
    if (payload - header < 3 || input.charCodeAt(payload) !== 46) {
      from = payload;
      continue;
    }
    const end = base64UrlRunEnd(input, payload + 1);
    out += input.slice(last, at) + replace(input.slice(at, end));
    last = end;
    from = end;
  }
  return last === 0 ? input : out + input.slice(last);
}

/** The built-in detectors, in the order they run (most specific first). */
export function builtInDetectors(replacer: Replacer, keyKindOf: KeyMatcher): Detector[] {
  const keyValue: Detector = {
    rule: 'key-value',
    kinds: ['secret'],
    bit: Bit.KEY_VALUE,
    run: keyValuePass(keyKindOf, replacer),
  };

  return [
    ...secretDetectors(replacer),
    {
      rule: 'auth-scheme',
      kinds: ['bearer_token', 'basic_auth'],
      bit: Bit.AUTH_SCHEME,
      pattern: /\b(Bearer|Basic)([ \t]+)([A-Za-z0-9\-._~+/]{8,}=*)(?![\w\-.~+/=:[])/gi,
      replace(m) {
        const basic = m[1].toLowerCase() === 'basic';
        if (basic ? !basicCredentials(m[3]) : !bearerLike(m[3])) return undefined;
        return m[1] + m[2] + replacer.value(basic ? 'basic_auth' : 'bearer_token', m[3]);
      },
    },
    {
      rule: 'jwt',
      kinds: ['jwt'],
      bit: Bit.JWT,
      run: (input) => scrubJwts(input, (text) => replacer.value('jwt', text)),
    },
    {
      rule: 'email',
      kinds: ['email'],
      bit: Bit.EMAIL,
      run: (input) => scrubEmails(input, (text) => replacer.value('email', text)),
    },
    foldingDigits({
      rule: 'card',
      kinds: ['card'],
      bit: Bit.CARD,
      pattern: /(?<![\w.,+-])\d(?:[ -]?\d){12,18}(?!\w|[.,-]\d)/g,
      replace(m) {
        const digits = digitsOf(m[0]);
        if (digits.length < 13 || digits.length > 19 || digits[0] < '2' || digits[0] > '6') return undefined;
        if (!luhnValid(digits) || productCodeBefore(m.input, m.index)) return undefined;
        return replacer.value('card', m[0]);
      },
    }),
    foldingDigits({
      rule: 'iban',
      kinds: ['iban'],
      bit: Bit.IBAN,
      pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g,
      replace: (m) => (ibanValid(m[0].replace(/ /g, '')) ? replacer.value('iban', m[0]) : undefined),
    }),
    foldingDigits({
      rule: 'ssn',
      kinds: ['ssn'],
      bit: Bit.SSN,
      pattern: /(?<![\w-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\w-])/g,
      replace: (m) => (ssnPossible(m[1], m[3], m[4]) ? replacer.value('ssn', m[0]) : undefined),
    }),
    {
      rule: 'ipv6',
      kinds: ['ipv6'],
      bit: Bit.IPV6,
      pattern:
        /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w:.])/g,
      replace(m) {
        const ip = m[0];
        if (ip === '::' || ip === '::1' || !/\d/.test(ip) || !isIPv6(ip)) return undefined;
        return replacer.value('ipv6', ip);
      },
    },
    {
      rule: 'ipv4',
      kinds: ['ipv4'],
      bit: Bit.IPV4,
      pattern:
        /(?<![\w.@]|[A-Za-z0-9]\/)(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)/g,
      replace(m, input) {
        const ip = m[0];
        if (ip.startsWith('127.') || ip === '0.0.0.0' || ip === '255.255.255.255') return undefined;
        if (VERSION_BEFORE.test(input.slice(Math.max(0, m.index - 12), m.index))) return undefined;
        if (versionBesideQuad(input, m.index, ip.length)) return undefined;
        return replacer.value('ipv4', ip);
      },
    },
    ...identityDetectors(replacer),
    {
      rule: 'surfaces',
      kinds: ['secret'],
      bit: Bit.SURFACES,
      run: surfacePass(keyKindOf, replacer),
    },
    { rule: 'user-path', kinds: ['user_path'], bit: Bit.SURFACES, run: userPathPass(replacer) },
    { rule: 'header-line', kinds: ['secret'], bit: Bit.HEADER_LINE, run: headerLinePass(replacer) },
    keyValue,
  ];
}

/** A custom value rule from a policy, compiled once. */
export function customDetector(kind: string, source: RegExp, replacer: Replacer): Detector {
  const flags = source.flags.includes('g') ? source.flags : `${source.flags}g`;
  return {
    kinds: [kind],
    pattern: new RegExp(source.source, flags),
    replace: (m) => replacer.value(kind, m[0]),
  };
}
