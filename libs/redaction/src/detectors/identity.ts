import type { StringFacts } from '../string-facts';
import type { Replacer } from '../strategies';
import type { Detector } from '../value-detectors';
import { contextNumberDetector } from './context-numbers';
import { cryptoWalletDetector } from './crypto-wallets';
import { foldingDigits } from './folding';
import { structuredIdDetector } from './national-ids';
import { birthDateDetector, personNameDetector } from './people';
import { phoneDetector } from './phones';

export { IDENTITY_ENTITY_DOCS } from './identity-docs';

/**
 * Whether any identity detector may find something in `s`: the union of their gates, so that a string
 * none of them can match skips them all (`builtInCandidates` sets one bit from this).
 */
export const identityCandidate = (s: string, f: StringFacts): boolean =>
  f.digitGroup >= 5 ||
  f.otherDigits ||
  f.nonAscii ||
  (f.upper > 0 && f.space) ||
  (s.length >= 26 && (f.upper >= 3 || f.digits >= 6)) ||
  (f.digits >= 4 && BIRTH_WORD.test(s));

// `born 1/3/90` has no run of 5 digits and may have no capital.
const BIRTH_WORD = /born|birth|dob|geb|naci|nasc|née/i;

/** Personal data detectors: national ids, phone numbers, wallets, birth dates and names, in that order. */
export function identityDetectors(replacer: Replacer): Detector[] {
  return [
    cryptoWalletDetector(replacer),
    foldingDigits(structuredIdDetector(replacer)),
    foldingDigits(contextNumberDetector(replacer)),
    foldingDigits(phoneDetector(replacer)),
    foldingDigits(birthDateDetector(replacer)),
    personNameDetector(replacer),
  ];
}
