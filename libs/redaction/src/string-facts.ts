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
  /**
   * Most digits in such a run whose first digit follows a letter, a space or one of `_:=#-"'.)`: only
   * those can follow a word that names them (`nid: 123…`, `passport EB01…`, `(NID)123…`); a run after
   * `+`, `(` or `/` (a phone number, a path) cannot.
   */
  namedDigitGroup: number;
  /** Most digits in a row with nothing between them: `digitGroup > digitRun` means a grouped number. */
  digitRun: number;
  /** Most digits in a row right after a lower-case letter (`s1234567d`, a lower-case NRIC). */
  digitRunAfterLower: number;
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
  /** A character past ASCII that is not one of the folded digits: a letter of another script (a name, a word). */
  otherLetter: boolean;
  /** Longest run of base64 and base64url characters (letters, digits, `+/-_`): encoded payload candidates. */
  base64Run: number;
  /**
   * Characters the surface passes' substring tests need (`&quot;`, `</td>`, `/home/`, `('`, `--password`):
   * an ordinary id, amount or sentence has none of them and skips those scans.
   */
  ampersand: boolean;
  lessThan: boolean;
  slash: boolean;
  openParen: boolean;
  dash: boolean;
}

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
  namedDigitGroup: 0,
  digitRun: 0,
  digitRunAfterLower: 0,
  dottedDigits: 0,
  capitalsThenDigits: false,
  keyValue: false,
  otherDigits: false,
  nonAscii: false,
  otherLetter: false,
  base64Run: 0,
  ampersand: false,
  lessThan: false,
  slash: false,
  openParen: false,
  dash: false,
};

const isLower = (c: number): boolean => c >= 97 && c <= 122;

/** A letter (any script), a space, or what may end a name before its number: `_ : = # - " ' . )` */
const mayEndName = (c: number): boolean =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  c > 127 ||
  c === 32 ||
  c === 9 ||
  c === 95 ||
  c === 58 ||
  c === 61 ||
  c === 35 ||
  c === 45 ||
  c === 34 ||
  c === 39 ||
  c === 46 ||
  c === 41;

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
  let namedDigitGroup = 0;
  // Whether the current run of digits and separators may follow a naming word.
  let named = false;
  let run = 0;
  let digitRun = 0;
  let digitRunAfterLower = 0;
  let afterLower = false;
  let dots = 0;
  let dottedDigits = 0;
  let capitalsThenDigits = false;
  let keyValue = false;
  let otherDigits = false;
  let nonAscii = false;
  let otherLetter = false;
  // Whether the last character that is not a space could end a key (letter, `_`, quote).
  let keyEnd = false;
  let previousDigit = false;
  let base64Run = 0;
  let runStart = 0;
  let ampersand = false;
  let lessThan = false;
  let slash = false;
  let openParen = false;
  let dash = false;
  // Capitals right before the current character, and before the current run of digits (IBAN's `GB29`).
  let capitals = 0;
  let capitalsBeforeDigits = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 97 && c <= 122) {
      // a–z, the common case
      lower++;
      group = 0;
      dots = 0;
      keyEnd = true;
      previousDigit = false;
      capitals = 0;
      continue;
    }
    if (c >= 48 && c <= 57) {
      digits++;
      if (group === 0) named = i > 0 && mayEndName(input.charCodeAt(i - 1));
      if (++group > digitGroup) digitGroup = group;
      if (named && group > namedDigitGroup) namedDigitGroup = group;
      if (previousDigit) run++;
      else {
        run = 1;
        capitalsBeforeDigits = capitals;
        capitals = 0;
        afterLower = i > 0 && isLower(input.charCodeAt(i - 1));
      }
      if (run > digitRun) digitRun = run;
      if (afterLower && run > digitRunAfterLower) digitRunAfterLower = run;
      if (run === 2 && capitalsBeforeDigits >= 2) capitalsThenDigits = true;
      keyEnd = false;
      previousDigit = true;
      continue;
    }
    if (c >= 65 && c <= 90) {
      upper++;
      capitals++;
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
    capitals = 0;
    switch (c) {
      case 32: // space
      case 9: // tab: `key = value`, the character before the spaces counts
        space = true;
        dots = 0;
        previousDigit = false;
        continue;
      case 45: // -
      case 40: // (
        if (c === 45) dash = true;
        else openParen = true;
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
      case 38: // &
      case 47: // /
      case 60: // <
        if (c === 38) ampersand = true;
        else if (c === 47) slash = true;
        else lessThan = true;
        group = 0;
        dots = 0;
        keyEnd = false;
        break;
      default:
        if (c >= 128) {
          nonAscii = true;
          if (otherDigitValue(c) >= 0) otherDigits = true;
          else otherLetter = true;
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
  facts.namedDigitGroup = namedDigitGroup;
  facts.digitRun = digitRun;
  facts.digitRunAfterLower = digitRunAfterLower;
  facts.dottedDigits = dottedDigits;
  facts.capitalsThenDigits = capitalsThenDigits;
  facts.keyValue = keyValue;
  facts.otherDigits = otherDigits;
  facts.nonAscii = nonAscii;
  facts.otherLetter = otherLetter;
  facts.base64Run = Math.max(base64Run, input.length - runStart);
  facts.ampersand = ampersand;
  facts.lessThan = lessThan;
  facts.slash = slash;
  facts.openParen = openParen;
  facts.dash = dash;
  return facts;
}
