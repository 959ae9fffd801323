import { OTHER_DIGIT, otherDigitValue, type StringFacts } from '../string-facts';
import type { PassDetector, PatternDetector } from '../value-detectors';

/** The same string with every non-ASCII decimal digit as its ASCII digit: same length, same indexes. */
export function foldDigits(input: string): string {
  // UTF-16LE bytes written one by one and decoded at once: far cheaper than a string built per character.
  const bytes = Buffer.allocUnsafe(input.length * 2);
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    const value = c < 0x660 ? -1 : otherDigitValue(c);
    const code = value < 0 ? c : 48 + value;
    bytes[2 * i] = code & 0xff;
    bytes[2 * i + 1] = code >>> 8;
  }
  return bytes.toString('utf16le');
}

/**
 * Applies `detector` to `input`; a string that holds Bengali (or other non-ASCII) digits is matched on
 * its folded copy and the same spans are replaced in the original (`০১৭১২৩৪৫৬৭৮` is a phone number).
 */
function scanFolding(input: string, detector: PatternDetector, facts: StringFacts): string {
  // Replacements before this pass add only ASCII markers: without such digits at first there are none now.
  const folded = facts.otherDigits && OTHER_DIGIT.test(input) ? foldDigits(input) : input;
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
  // A match is never empty, so `last` moved when anything was replaced.
  return last === 0 ? input : out + input.slice(last);
}

/**
 * A digit detector that also reads non-ASCII digits (its own gate cannot see them, so it passes them;
 * a built-in's candidate bit is kept, and set for such strings by `builtInCandidates`).
 */
export function foldingDigits(detector: PatternDetector): PassDetector {
  const gate = detector.gate;
  return {
    rule: detector.rule,
    kinds: detector.kinds,
    bit: detector.bit,
    gate: (input, facts) => facts.otherDigits || gate === undefined || gate(input, facts),
    run: (input, facts) => scanFolding(input, detector, facts),
  };
}
