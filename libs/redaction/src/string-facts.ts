/**
 * What one pass over the characters of a string tells the detectors, so each can rule itself out
 * without running a regex: most log strings (words, ids, paths, timestamps) leave after this pass.
 */
export interface StringFacts {
  at: boolean;
  percent: boolean;
  plus: boolean;
  space: boolean;
  underscore: boolean;
  colons: number;
  digits: number;
  upper: number;
  /** a–z letters: context words (`nid`, `born`, `account`) need some. */
  lower: number;
  /** Most digits in one run of digits and separators (space - . ( ) +): phone, card and SSN candidates. */
  digitGroup: number;
  /** Most digits in a row with nothing between them: `digitGroup > digitRun` means a grouped number. */
  digitRun: number;
  /** Most dots in one run of digits and dots: IPv4 candidates have 3. */
  dottedDigits: number;
  /** Two capitals then two digits somewhere: IBAN candidates. */
  capitalsThenDigits: boolean;
  /** A `:` or `=` after a letter, `_` or a quote (spaces skipped): `key=value` or `"key":` candidates. */
  keyValue: boolean;
  /** A decimal digit outside ASCII (Bengali ০-৯, Devanagari, Arabic-Indic, fullwidth): the digit detectors run on a folded copy. */
  otherDigits: boolean;
  /** Any character past ASCII (Bengali names and context words). */
  nonAscii: boolean;
  /** Longest run of base64 and base64url characters (letters, digits, `+/-_`): encoded payload candidates. */
  base64Run: number;
}

const isUpper = (c: number): boolean => c >= 65 && c <= 90;

// One object reused by every call: facts are read right away by the gates and never kept.
const facts: StringFacts = {
  at: false,
  percent: false,
  plus: false,
  space: false,
  underscore: false,
  colons: 0,
  digits: 0,
  upper: 0,
  lower: 0,
  digitGroup: 0,
  digitRun: 0,
  dottedDigits: 0,
  capitalsThenDigits: false,
  keyValue: false,
  otherDigits: false,
  nonAscii: false,
  base64Run: 0,
};

// Arabic-Indic, extended Arabic-Indic, Devanagari, Bengali, fullwidth.
const OTHER_ZEROS = [0x660, 0x6f0, 0x966, 0x9e6, 0xff10];

/** Any of those digits. */
const range = (zero: number): string => `${String.fromCharCode(zero)}-${String.fromCharCode(zero + 9)}`;
export const OTHER_DIGIT = new RegExp(`[${OTHER_ZEROS.map(range).join('')}]`);

/** ASCII value of a non-ASCII decimal digit (each of these scripts has ten in a row), or -1. */
export function otherDigitValue(c: number): number {
  if (c < 0x660) return -1;
  for (const zero of OTHER_ZEROS) if (c >= zero && c <= zero + 9) return c - zero;
  return -1;
}

export function factsOf(input: string): StringFacts {
  let at = false;
  let percent = false;
  let plus = false;
  let space = false;
  let underscore = false;
  let colons = 0;
  let digits = 0;
  let upper = 0;
  let lower = 0;
  let group = 0;
  let digitGroup = 0;
  let run = 0;
  let digitRun = 0;
  let dots = 0;
  let dottedDigits = 0;
  let capitalsThenDigits = false;
  let keyValue = false;
  let otherDigits = false;
  let nonAscii = false;
  // Whether the last character that is not a space could end a key (letter, `_`, quote).
  let keyEnd = false;
  let previousDigit = false;
  let base64Run = 0;
  let runStart = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      // a–z, the common case
      lower++;
      group = 0;
      dots = 0;
      keyEnd = true;
      previousDigit = false;
      continue;
    }
    if (c >= 48 && c <= 57) {
      digits++;
      if (++group > digitGroup) digitGroup = group;
      run = previousDigit ? run + 1 : 1;
      if (run > digitRun) digitRun = run;
      if (previousDigit && !capitalsThenDigits && i >= 3) {
        capitalsThenDigits = isUpper(input.charCodeAt(i - 2)) && isUpper(input.charCodeAt(i - 3));
      }
      keyEnd = false;
      previousDigit = true;
      continue;
    }
    if (c >= 65 && c <= 90) {
      upper++;
      group = 0;
      dots = 0;
      keyEnd = true;
      previousDigit = false;
      continue;
    }
    // Letters and digits continue a base64 run without a test (they `continue` above).
    if (c !== 43 && c !== 45 && c !== 47 && c !== 95) {
      if (i - runStart > base64Run) base64Run = i - runStart;
      runStart = i + 1;
    }
    switch (c) {
      case 32: // space
      case 9: // tab: `key = value`, the character before the spaces counts
        space = true;
        dots = 0;
        previousDigit = false;
        continue;
      case 45: // -
      case 40: // (
        dots = 0;
        keyEnd = false;
        break;
      case 41: // ) may close a label's alias: `গোপন নম্বর (পিন): …`
        dots = 0;
        keyEnd = true;
        break;
      case 46: // .
        if (previousDigit && ++dots > dottedDigits) dottedDigits = dots;
        keyEnd = false;
        break;
      case 43: // +
        plus = true;
        dots = 0;
        keyEnd = false;
        break;
      case 58: // :
      case 61: // =
      case 0xff1a: // full-width colon (`密码：…`)
        if (c === 58) colons++;
        if (keyEnd) keyValue = true;
        group = 0;
        dots = 0;
        keyEnd = false;
        break;
      case 95: // _
      case 34: // "
      case 39: // '
        if (c === 95) underscore = true;
        group = 0;
        dots = 0;
        keyEnd = true;
        break;
      case 64: // @
        at = true;
        group = 0;
        dots = 0;
        keyEnd = false;
        break;
      case 37: // %
        percent = true;
        group = 0;
        dots = 0;
        keyEnd = false;
        break;
      default:
        if (c >= 128) {
          nonAscii = true;
          if (!otherDigits && c >= 0x660) otherDigits = otherDigitValue(c) >= 0;
        }
        group = 0;
        dots = 0;
        // A letter of another script may end a key (`contraseña=`, `пароль:`, `密码：`).
        keyEnd = c > 127;
    }
    previousDigit = false;
  }
  facts.at = at;
  facts.percent = percent;
  facts.plus = plus;
  facts.space = space;
  facts.underscore = underscore;
  facts.colons = colons;
  facts.digits = digits;
  facts.upper = upper;
  facts.lower = lower;
  facts.digitGroup = digitGroup;
  facts.digitRun = digitRun;
  facts.dottedDigits = dottedDigits;
  facts.capitalsThenDigits = capitalsThenDigits;
  facts.keyValue = keyValue;
  facts.otherDigits = otherDigits;
  facts.nonAscii = nonAscii;
  facts.base64Run = Math.max(base64Run, input.length - runStart);
  return facts;
}
