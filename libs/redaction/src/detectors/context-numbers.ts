import { abnValid, acnValid } from '../checksums';
import type { Replacer } from '../strategies';
import type { PatternDetector } from '../value-detectors';

/**
 * A number right after a word that names it is taken even without a checksum, as Presidio's context
 * words raise a weak pattern to a finding (us_bank_recognizer, us_passport_recognizer, …). Each word
 * says the kind and how many digits (or characters, for letter-and-digit ids) its numbers have.
 */
interface ContextRule {
  words: string;
  kind: string;
  /** Digits for an all-digit value, characters for one with letters. */
  min: number;
  max: number;
  /** Whether a value with letters (`A1234567`, `EB0123456`) is one. */
  letters: boolean;
  /**
   * The check a number must pass, for public company numbers (ABN, ACN): as in Presidio, a failing
   * one after the word is some other number (a personal id is taken on the word alone).
   */
  valid?: (digits: string) => boolean;
}

const RULES: ContextRule[] = [
  { words: String.raw`ssn|social security(?: number| no\.?)?`, kind: 'ssn', min: 9, max: 9, letters: false },
  { words: 'itin', kind: 'us_itin', min: 9, max: 9, letters: false },
  {
    words: 'passport|reisepass|passaporto|pasaporte|passeport|পাসপোর্ট',
    kind: 'passport',
    min: 6,
    max: 10,
    letters: true,
  },
  {
    words: String.raw`driver'?s? licen[cs]e|driving licen[cs]e|dl ?(?:no\.?|number|#)|führerschein|patente|permis de conduire|licencia de conducir|ড্রাইভিং লাইসেন্স`,
    kind: 'driver_license',
    min: 5,
    max: 20,
    letters: true,
  },
  {
    words: String.raw`bank account|account|acct|a/c|wallet|mobile banking|mfs|rocket|dbbl|রকেট|ব্যাংক হিসাব|হিসাব নম্বর`,
    kind: 'account_number',
    min: 8,
    max: 18,
    letters: false,
  },
  {
    // Bangladesh NID (10, 13 or 17 digits; 17 = birth year + 13), birth registration (17), voter ids,
    // tax ids, and the ids of other countries Presidio knows by their words (PESEL, Thai id, CPF, …):
    // without a public checksum (or with one that is not checked here), the word decides.
    words: String.raw`nid|national id(?:entity)?(?: card)?|smart card|জাতীয় পরিচয়পত্র|এনআইডি|birth registration|brn|জন্ম নিবন্ধন|voter id|epic ?(?:no\.?|number|#)|tax id|tin|tax number|ein|pesel|nin|cnic|nic|thai id|personalausweis|steuer-?id|nir|insee|cpf|carta d'identit[aà]`,
    kind: 'national_id',
    min: 6,
    max: 20,
    letters: true,
  },
  // US DEA number (Presidio's medical_license_recognizer), by its words.
  {
    words: String.raw`dea(?: number| no\.?)?|medical licen[cs]e`,
    kind: 'medical_license',
    min: 9,
    max: 9,
    letters: true,
  },
  // US ABA routing number (Presidio's aba_routing_recognizer takes it with these words).
  { words: 'routing(?: number)?|aba|rtn', kind: 'account_number', min: 9, max: 9, letters: false },
  { words: 'aadhaa?r|uidai|आधार', kind: 'in_aadhaar', min: 12, max: 12, letters: false },
  { words: 'nhs', kind: 'uk_nhs', min: 10, max: 10, letters: false },
  { words: 'tfn|tax file', kind: 'au_tfn', min: 8, max: 9, letters: false },
  { words: 'abn', kind: 'au_abn', min: 11, max: 11, letters: false, valid: abnValid },
  { words: 'acn', kind: 'au_acn', min: 9, max: 9, letters: false, valid: acnValid },
  { words: 'medicare', kind: 'au_medicare', min: 10, max: 11, letters: false },
  { words: 'bkash|nagad|upay|বিকাশ|নগদ', kind: 'phone', min: 10, max: 13, letters: false },
  // A one-time code in a message (`Your one-time code is 971924`, `OTP: 4821`): Sentry Relay and
  // detect-secrets take it by its field name; in prose the words before it name it.
  {
    words: String.raw`one[- ]time (?:code|password|passcode|pin)|otp|verification code|security code|login code|sign[- ]in code|confirmation code|authentication code|2fa code|ওটিপি|ভেরিফিকেশন কোড`,
    kind: 'one_time_code',
    min: 4,
    max: 8,
    letters: false,
  },
];

/** Which rule a matched word belongs to: the same alternatives, each anchored on its own. */
const RULE_TESTS = RULES.map((rule) => new RegExp(`^(?:${rule.words})$`, 'iu'));

// A word in parentheses after its long form (`voter id (NID) 4718-2093-65`) names the number after it.
// Spaces are bounded ({0,3}): `\s*` on both sides of an optional `:` re-reads a run of spaces from
// every split of it, quadratic on `nid` and a million spaces.
const CONTEXT_NUMBER = new RegExp(
  String.raw`(?<![\p{L}\p{N}_])(` +
    RULES.map((rule) => rule.words).join('|') +
    String.raw`)(?!\p{L})(\)?(?:[ \t_]{0,3}(?:no\.?|number|num|nr|#|id|নম্বর|নং))?[ \t]{0,3}[:=#-]?[ \t]{0,3}(?:is[ \t]{1,3})?["']?)(\d{1,6}(?:[ .-]\d{1,6}){1,5}|[A-Z]{0,3}\d(?:-?[\dA-Z]){3,18})(?![\p{L}\p{N}_-])`,
  'giu',
);

function fits(rule: ContextRule, value: string): boolean {
  const digits = value.replace(/\D/g, '').length;
  const compact = value.replace(/[ .-]/g, '');
  if (digits === compact.length)
    return digits >= rule.min && digits <= rule.max && (rule.valid === undefined || rule.valid(compact));
  return rule.letters && compact.length >= rule.min && compact.length <= rule.max && digits >= 4;
}

/**
 * The kind of `value` when a word names it (`NID`, `passport`, `Aadhaar`) and it has that id's shape:
 * for records that give the word and the number in separate fields (`{"type": "NID", "number": "…"}`).
 */
export function namedNumberKind(word: string, value: string): string | undefined {
  if (word.length > 40 || value.length > 40) return undefined;
  // A type written as an identifier (`NATIONAL_ID`, `nid-card`, `passport_number`) names the same id.
  const name = word
    .trim()
    .replace(/[_-]+/g, ' ')
    .replace(/ (?:card|number|no)$/i, '');
  const index = RULE_TESTS.findIndex((test) => test.test(name));
  const rule = RULES[index];
  return rule !== undefined && fits(rule, value.trim()) ? rule.kind : undefined;
}

export const CONTEXT_NUMBER_KINDS = [...new Set(RULES.map((rule) => rule.kind))];

export function contextNumberDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'context-number',
    kinds: CONTEXT_NUMBER_KINDS,
    // A word of 2+ letters, a separator and 5+ digits in a row (or 4+ among capitals: `C01X00T47`);
    // a bare number (an id, an amount) is ruled out, and so is one after `+` or `/` (no word names it).
    gate: (input, f) =>
      (f.lower + f.upper >= 2 || f.nonAscii) &&
      ((f.namedDigitGroup >= 5 && input.length >= f.namedDigitGroup + 3) ||
        (f.digits >= 4 && f.upper >= 2 && f.space)),
    pattern: CONTEXT_NUMBER,
    replace(m) {
      const index = RULE_TESTS.findIndex((test) => test.test(m[1]));
      const rule = RULES[index];
      if (rule === undefined || !fits(rule, m[3])) return undefined;
      return m[1] + m[2] + replacer.value(rule.kind, m[3]);
    },
  };
}
