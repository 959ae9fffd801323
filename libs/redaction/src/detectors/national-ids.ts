import {
  abnValid,
  hetuValid,
  itFiscalCodeValid,
  krRrnValid,
  medicareValid,
  nhsValid,
  nifLetter,
  nricValid,
  verhoeffValid,
} from '../checksums';
import type { Replacer } from '../strategies';
import type { PatternDetector } from '../value-detectors';
import { notPersonalBefore, phoneBefore } from './context';

const digitsOf = (text: string): string => text.replace(/\D/g, '');

/**
 * Identity numbers whose shape and check character say what they are without a context word, as in
 * Presidio's recognizers of the same names. One regex, one group per format (the order of
 * `STRUCTURED_KINDS`); each match is then validated by its checksum.
 */
const STRUCTURED = new RegExp(
  [
    String.raw`\b([STFGM]\d{7}[A-Z])\b`, // SG NRIC/FIN (sg_fin_recognizer)
    String.raw`\b((?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b`, // UK NINO
    String.raw`\b([A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z])\b`, // IN PAN (4th letter: holder type)
    String.raw`\b(\d{8}-?[A-Z]|[XYZ]-?\d{7}-?[A-Z])\b`, // ES NIF / NIE
    String.raw`\b([A-Z]{6}[\dLMNP-V]{2}[A-EHLMPR-T][\dLMNP-V]{2}[A-Z][\dLMNP-V]{3}[A-Z])\b`, // IT codice fiscale
    String.raw`(?<![\w-])(\d{6}[-+A-FU-Y]\d{3}[\dA-Y])(?![\w-])`, // FI HETU
    String.raw`(?<![\w-])(\d{6}-[1-8]\d{6})(?![\w-])`, // KR RRN
    String.raw`(?<![\w-])(9\d{2}([- ])(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])\9\d{4})(?![\w-])`, // US ITIN
    String.raw`(?<![\w-])([2-9]\d{3}([ -])\d{4}\11\d{4})(?![\w-])`, // IN Aadhaar, grouped 4-4-4
    String.raw`(?<![\w-])(?<!\+\d{1,3} )(\d{3} \d{3} \d{4})(?![\w-])`, // UK NHS (not `+1 415 555 2671`), grouped 3-3-4 with spaces
    String.raw`(?<![\w-])(\d{2} \d{3} \d{3} \d{3})(?![\w-])`, // AU ABN
    String.raw`(?<![\w-])([2-6]\d{3} \d{5} \d)(?![\w-])`, // AU Medicare
  ].join('|'),
  'g',
);

type Check = (text: string) => string | undefined;

const NIE_PREFIX: Record<string, string> = { X: '0', Y: '1', Z: '2' };

function spanishId(text: string): string | undefined {
  const compact = text.replace(/-/g, '');
  const number = (NIE_PREFIX[compact[0]] ?? compact[0]) + compact.slice(1, -1);
  if (nifLetter(Number(number)) !== compact.slice(-1)) return undefined;
  return compact[0] in NIE_PREFIX ? 'es_nie' : 'es_nif';
}

const when =
  (kind: string, valid: (text: string) => boolean): Check =>
  (text) =>
    valid(text) ? kind : undefined;
const onDigits = (valid: (digits: string) => boolean) => (text: string) => valid(digitsOf(text));
const NINO_PREFIX_LETTERS = /^[A-Z]{2}/;

// One entry per capture group of STRUCTURED that holds the whole id (groups 9 and 11 are separators: the backreferences `\\9` and `\\11`).
const STRUCTURED_CHECKS: [group: number, check: Check, reference: boolean][] = [
  [1, when('sg_nric', nricValid), false],
  [2, when('uk_nino', (t) => NINO_PREFIX_LETTERS.test(t)), false],
  [3, () => 'in_pan', false],
  [4, spanishId, false],
  [5, when('it_fiscal_code', itFiscalCodeValid), false],
  [6, when('fi_hetu', hetuValid), false],
  [7, when('kr_rrn', onDigits(krRrnValid)), true],
  [8, () => 'us_itin', false],
  [10, when('in_aadhaar', onDigits(verhoeffValid)), true],
  [12, when('uk_nhs', onDigits(nhsValid)), true],
  [13, when('au_abn', onDigits(abnValid)), true],
  [14, when('au_medicare', onDigits(medicareValid)), true],
];

export const STRUCTURED_ID_KINDS = [
  'sg_nric',
  'uk_nino',
  'in_pan',
  'es_nif',
  'es_nie',
  'it_fiscal_code',
  'fi_hetu',
  'kr_rrn',
  'us_itin',
  'in_aadhaar',
  'uk_nhs',
  'au_abn',
  'au_medicare',
] as const;

export function structuredIdDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'national-id',
    kinds: STRUCTURED_ID_KINDS,
    // The shortest of these ids has 9 characters. Those with letters have a capital and a run of 6+
    // digits (PAN and the fiscal code: 4+ digits among 5+ capitals); the digit-only ones are grouped
    // (`2345 6789 0124`) by a space, `-` or `+`, so a plain run (`+8801712345678`, an id) or a dotted
    // one (an IPv4 address, a version) rules them out.
    gate: (input, f) =>
      input.length >= 9 &&
      (f.upper > 0
        ? f.digitGroup >= 6 || (f.upper >= 5 && f.digits >= 4)
        : f.digitGroup >= 9 && f.digitGroup > f.digitRun && (f.space || f.dash || f.plus)),
    pattern: STRUCTURED,
    replace(m, input) {
      for (const [group, check, digitsOnly] of STRUCTURED_CHECKS) {
        const text = m[group];
        if (text === undefined) continue;
        // An id after order/invoice/ticket/… belongs to that word (`invoice INVCA2024B`); a number made
        // only of digits after a phone word is left to the phone detector.
        if (notPersonalBefore(input, m.index) || (digitsOnly && phoneBefore(input, m.index)))
          return undefined;
        const kind = check(text);
        return kind === undefined ? undefined : replacer.value(kind, m[0]);
      }
      return undefined;
    },
  };
}

/**
 * The ids with letters whose check letter makes them safe to take in lower case too, as people type
 * them (`t2825862z`, `rssmra85t10a562s`): SG NRIC/FIN and the IT codice fiscale, checked upper-cased.
 * Other ids (NINO, PAN) have no check character and stay upper-case only.
 */
const LOWER_CASE_ID =
  /\b(?:([stfgm]\d{7}[a-z])|([a-z]{6}[\dlmnp-v]{2}[a-ehlmpr-t][\dlmnp-v]{2}[a-z][\dlmnp-v]{3}[a-z]))\b/g;

export function lowerCaseIdDetector(replacer: Replacer): PatternDetector {
  return {
    rule: 'national-id',
    kinds: ['sg_nric', 'it_fiscal_code'],
    // Both have 7 digits (the fiscal code's may be letters only in the rare omocodia form) and at least
    // two lower-case letters (upper-case ids are the structured detector's). The NRIC's 7 digits follow
    // a lower-case letter; the fiscal code is a run of 16 letters and digits.
    gate: (input, f) =>
      f.digits >= 7 && input.length >= 9 && f.lower >= 2 && (f.digitRunAfterLower >= 7 || f.base64Run >= 16),
    pattern: LOWER_CASE_ID,
    replace(m, input) {
      if (notPersonalBefore(input, m.index)) return undefined;
      const upper = m[0].toUpperCase();
      if (m[1] !== undefined) return nricValid(upper) ? replacer.value('sg_nric', m[0]) : undefined;
      return itFiscalCodeValid(upper) ? replacer.value('it_fiscal_code', m[0]) : undefined;
    },
  };
}
