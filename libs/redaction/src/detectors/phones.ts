import type { Replacer } from '../strategies';
import type { PatternDetector } from '../value-detectors';
import { notPersonalBefore, phoneBefore } from './context';

/**
 * A run of digits and phone separators, with an optional `+`, `(+880)` or `(020)` in front; which runs
 * are phone numbers is decided in `isPhone` (a regex for every national plan would be slow and wrong).
 * Bounded: at most 28 characters from each start, and a start never follows a digit or letter. A URL
 * path segment may be one (`/users/01712345678/orders`); a date's next part (`12/03/1990`) may not.
 * A form body's `%2B` is its `+` (Twilio's webhooks post `From=%2B8801712660417`).
 */
const PHONE_CANDIDATE =
  /(?<![\w+\-.,(%]|\d\/)(?:\(\+?\d{1,5}\)[ .-]?|\+ ?|%2[Bb])?\d[\d \-./()]{4,20}\d(?![\w-]|[.,/]\d)/g;
const ENCODED_PLUS = /^%2B/i;

const E164_COMPACT = /^\+[1-9]\d{7,14}$/;
const LOOSE_SEPARATORS = /[ \-./()]{3}/;
// `+100.50` is a signed amount, not a number to call.
const SIGNED_AMOUNT = /^\+\d+\.\d{1,2}$/;
const DATE_LIKE = /^(?:(?:19|20)\d\d[-/. ]\d{1,2}[-/. ]\d{1,2}|\d{1,2}[-/. ]\d{1,2}[-/. ](?:19|20)?\d\d$)/;
// NANP `415-555-2671`, `415.555.2671`, `1-800-555-0199`; French `06 12 34 56 78` / `06.12.34.56.78`.
const NANP = /^(?:1[-. ])?\d{3}([-. ])\d{3}\1\d{4}$/;
const FRENCH = /^0\d([ .])\d\d(?:\1\d\d){3}$/;
// German `030/12345678`.
const AREA_SLASH = /^0\d{1,4}\/\d{5,9}$/;
// Bangladesh mobile: 01[3-9] and 8 digits, or 880 in place of the trunk 0 (any separators).
const BD_MOBILE = /^(?:880|0)1[3-9]\d{8}$/;
const AREA_IN_PARENS = /^\(\d{2,5}\) ?\d/;
// A US ZIP+4 (`02614-6587`) is no phone number's grouping; only a phone word before it says otherwise.
const ZIP_PLUS_4 = /^\d{5}-\d{4}$/;

const digitsOf = (text: string): string => text.replace(/\D/g, '');

/** A trunk-0 national number in groups: `020 7946 0958`, `0151 2345678`, `03-1234567`, `0412 345 678`. */
function trunkGroups(text: string, digits: string): boolean {
  if (digits[0] !== '0' || digits[1] === '0' || digits.length < 9 || digits.length > 12) return false;
  const groups = text.split(/[ -]/);
  return groups.length > 1 && groups[0].length <= 6 && groups.every((group) => group.length >= 2);
}

/**
 * A number dialled with `00` in place of `+` (ITU-T E.164): a Bangladesh mobile after it in any
 * grouping (`00880-1312-660984`, `008801312660984`), others only grouped by spaces (`0044 20 7946 0958`).
 */
function internationalPrefixed(text: string, digits: string): boolean {
  if (text.includes('.') || text.includes('/')) return false;
  if (BD_MOBILE.test(digits.slice(2))) return true;
  return digits.length >= 10 && text.includes(' ');
}

/** Whether the candidate at `index` is a phone number, from its shape and the words before it. */
export function isPhone(candidate: string, input: string, index: number): boolean {
  const text = candidate.replace(ENCODED_PLUS, '+');
  if (E164_COMPACT.test(text)) return true; // the common case in logs, decided at once
  const digits = digitsOf(text);
  const n = digits.length;
  if (n < 7 || n > 15 || LOOSE_SEPARATORS.test(text)) return false;
  if (text.startsWith('+') || text.startsWith('(+')) return n >= 8 && !SIGNED_AMOUNT.test(text);
  if (DATE_LIKE.test(text) || notPersonalBefore(input, index)) return false;
  if (ZIP_PLUS_4.test(text)) return phoneBefore(input, index);
  // Dots group a version or an amount more often than a number, unless a phone word says (`contact: 01536.259.764`).
  if (BD_MOBILE.test(digits)) return !text.includes('.') || NANP.test(text) || phoneBefore(input, index);
  // `00` is the international prefix in place of `+` (ITU-T E.164): `00880-1312-660984`, `0044 20 7946 0958`.
  if (digits.startsWith('00')) return internationalPrefixed(text, digits);
  if (text.includes('/')) return AREA_SLASH.test(text);
  if (text.includes('.')) return NANP.test(text) || FRENCH.test(text);
  if (text.startsWith('(')) return n >= 8 && n <= 12 && AREA_IN_PARENS.test(text);
  if (NANP.test(text) || FRENCH.test(text) || trunkGroups(text, digits)) return true;
  // Bare runs and other groupings (`9876543210`, `9123 4567`) only after a phone word.
  return n >= 8 && n <= 12 && phoneBefore(input, index);
}

export function phoneDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'phone',
    kinds: ['phone'],
    gate: (_input, f) => f.digitGroup >= 7,
    pattern: PHONE_CANDIDATE,
    replace: (m, input) => (isPhone(m[0], input, m.index) ? replacer.value('phone', m[0]) : undefined),
  };
}
