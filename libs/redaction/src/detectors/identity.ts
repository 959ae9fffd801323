import type { StringFacts } from '../string-facts';
import type { Replacer } from '../strategies';
import type { Detector } from '../value-detectors';
import { brCpfDetector } from './br-cpf';
import { contextNumberDetector } from './context-numbers';
import { cryptoWalletDetector } from './crypto-wallets';
import { foldingDigits } from './folding';
import { linkTokenDetector } from './link-tokens';
import { lowerCaseIdDetector, structuredIdDetector } from './national-ids';
import { BIRTH_WORD, birthDateDetector, personNameDetector } from './people';
import { phoneDetector } from './phones';
import { taskArgsDetector } from './task-args';

export { IDENTITY_ENTITY_DOCS } from './identity-docs';

/**
 * Whether any identity detector may find something in `s`: the union of their gates, so that a string
 * none of them can match skips them all (`builtInCandidates` sets one bit from this).
 */
export const identityCandidate = (s: string, f: StringFacts): boolean =>
  f.digitGroup >= 7 ||
  (f.digitGroup >= 5 && s.length >= f.digitGroup + 3) ||
  (f.upper >= 2 && (f.space || s.includes('\n'))) ||
  f.nonAscii ||
  (s.length >= 26 && (f.upper >= 3 || s.includes('0x') || s.includes('bc1'))) ||
  (f.upper >= 5 && f.digits >= 4) ||
  // a lower-case NRIC or fiscal code (`t2825862z`) has 7 digits and may have no capital
  (f.digits >= 7 && s.length >= 9) ||
  // a one-time link's token in a path
  (f.base64Run >= 20 && f.slash) ||
  // `born 1/3/90` has no run of 5 digits and may have no capital.
  (f.digits >= 4 && f.lower + f.upper >= 3 && BIRTH_WORD.test(s));

/**
 * Personal data detectors, most specific first: wallets, numbers named by a word, ids with a checksum,
 * phone numbers, birth dates, names. The digit detectors also read Bengali and other digits.
 */
export function identityDetectors(replacer: Replacer): Detector[] {
  return [
    cryptoWalletDetector(replacer),
    // A word before a number names it best (`NID: 943 476 5919` is not an NHS number).
    foldingDigits(contextNumberDetector(replacer)),
    foldingDigits(structuredIdDetector(replacer)),
    brCpfDetector(replacer),
    taskArgsDetector(replacer),
    lowerCaseIdDetector(replacer),
    foldingDigits(phoneDetector(replacer)),
    foldingDigits(birthDateDetector(replacer)),
    personNameDetector(replacer),
    linkTokenDetector(replacer),
  ];
}
