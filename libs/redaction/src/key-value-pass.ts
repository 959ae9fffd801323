import { isMarker } from './markers';
import type { KeyMatcher } from './sensitive-keys';
import type { Replacer } from './strategies';

// The opening quote of a quoted value, escaped up to three times (JSON in JSON in JSON).
const OPENING_QUOTE = /\\{0,3}["']/y;
// A bare value runs up to whitespace, a quote or a separator of the formats above.
const BARE_VALUE = /[^\s"'&,;<>()[\]{}\\]+/y;

/** Where a value lies in the input: `[start, end)`, and where scanning goes on after it. */
interface ValueSpan {
  start: number;
  end: number;
  next: number;
}

/**
 * A quoted value: up to the same (equally escaped) quote on the same line. Without one the value runs
 * to the end of the line: a cut or malformed line must not let the secret after its key through.
 */
function quotedValue(input: string, from: number): ValueSpan | undefined {
  OPENING_QUOTE.lastIndex = from;
  const opening = OPENING_QUOTE.exec(input);
  if (opening === null) return undefined;
  const quote = opening[0];
  const start = from + quote.length;
  let i = start;
  for (; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (input.startsWith(quote, i)) return { start, end: i, next: i + quote.length };
  }
  return { start, end: i, next: i };
}

function bareValue(input: string, from: number): ValueSpan | undefined {
  BARE_VALUE.lastIndex = from;
  if (!BARE_VALUE.test(input)) return undefined;
  return { start: from, end: BARE_VALUE.lastIndex, next: BARE_VALUE.lastIndex };
}

/**
 * Values of sensitive keys written inside text (`?token=…&`, `api_key=…`, `{\"password\":\"…\"}`,
 * `password: …`). Linear: scanning resumes after the separator of a key that is not sensitive (a URL
 * value may hold `?token=`) and after the value of one that is, so no character is read from more
 * than a bounded number of starts.
 */
export function keyValuePass(keyKindOf: KeyMatcher, replacer: Replacer): (input: string) => string {
  // A key and its separator: JSON (`"key": `), escaped JSON (`\"key\":`), query and form (`key=`),
  // logfmt, YAML-ish (`key: `). Only this part is a regex: each start costs at most the 64 letters of
  // a key and the separator, and the value is read only after a sensitive key. One per pass: its
  // `lastIndex` is the pass's position.
  const keySeparator = /(?<![\w.:-])([A-Za-z_][\w.-]{0,63})(\\{0,3}["']?[ \t]*[:=][ \t]*)/g;
  return (input) => {
    let out = '';
    let last = 0;
    keySeparator.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = keySeparator.exec(input)) !== null) {
      const kind = keyKindOf(match[1]);
      if (kind === undefined) continue;
      const from = keySeparator.lastIndex;
      const span = quotedValue(input, from) ?? bareValue(input, from);
      if (span === undefined || span.end === span.start) continue;
      const value = input.slice(span.start, span.end);
      // Already the output of a strategy: a second pass changes nothing.
      if (isMarker(value)) continue;
      out += input.slice(last, span.start) + replacer.keyed(kind, value);
      last = span.end;
      keySeparator.lastIndex = span.next;
    }
    return last === 0 ? input : out + input.slice(last);
  };
}
