import { otherDigitValue } from '../string-facts';
import type { PassDetector, PatternDetector } from '../value-detectors';

const OTHER_DIGIT = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\uff10-\uff19]/;

/** The same string with every non-ASCII decimal digit as its ASCII digit: same length, same indexes. */
export function foldDigits(input: string): string {
  const codes = new Uint16Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    const value = c < 0x660 ? -1 : otherDigitValue(c);
    codes[i] = value < 0 ? c : 48 + value;
  }
  return Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength).toString('utf16le');
}

/**
 * Applies `detector` to `input`; a string that holds Bengali (or other non-ASCII) digits is matched on
 * its folded copy and the same spans are replaced in the original (`০১৭১২৩৪৫৬৭৮` is a phone number).
 */
function scanFolding(input: string, detector: PatternDetector): string {
  const folded = OTHER_DIGIT.test(input) ? foldDigits(input) : input;
  const { pattern } = detector;
  pattern.lastIndex = 0;
  let out = '';
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(folded)) !== null) {
    const replacement = detector.replace(match, folded);
    if (replacement !== undefined) {
      out += input.slice(last, match.index) + replacement;
      last = match.index + match[0].length;
    }
    if (match[0].length === 0) pattern.lastIndex++;
  }
  return last === 0 && out === '' ? input : out + input.slice(last);
}

/** A digit detector that also reads non-ASCII digits (its own gate cannot see them, so it passes them). */
export function foldingDigits(detector: PatternDetector): PassDetector {
  const gate = detector.gate;
  return {
    kinds: detector.kinds,
    gate: (input, facts) => facts.otherDigits || gate === undefined || gate(input, facts),
    run: (input) => scanFolding(input, detector),
  };
}
