import { RE2JS } from 're2js';

import { errorMessage } from '@vigil/platform';

/**
 * The largest compiled program accepted. Matching costs time proportional to the value's length times
 * the program's size: at this size the worst pattern found (`(?:.*a.*){200}`) takes ~30 ms on a
 * 2 KiB label value, while real matchers (alternations of dozens of names) stay under 100.
 */
export const MAX_REGEX_PROGRAM_SIZE = 1000;

/** A pattern RE2 refuses (or one too large to match in bounded time), with RE2's reason. */
export class RegexSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

/** A regular expression that must match a whole value, compiled once. */
export interface AnchoredRegex {
  test(value: string): boolean;
}

/**
 * Compiles `pattern` as Alertmanager does, `^(?:pattern)$` in RE2 syntax, on RE2JS: a linear-time
 * engine, so a user's pattern cannot backtrack exponentially on a label value (JavaScript's RegExp
 * does, and accepts backreferences and lookaround, which RE2 and Alertmanager refuse).
 */
export function compileAnchoredRegex(pattern: string): AnchoredRegex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(`^(?:${pattern})$`);
  } catch (error) {
    throw new RegexSyntaxError(errorMessage(error));
  }
  if (re.programSize() > MAX_REGEX_PROGRAM_SIZE) {
    throw new RegexSyntaxError(
      `expression too large: ${re.programSize()} instructions, at most ${MAX_REGEX_PROGRAM_SIZE}`,
    );
  }
  // test(), not testExact(): like Go's MatchString on the wrapped pattern, `a)|(b` stays a search.
  return { test: memoized((value) => re.test(value)) };
}

/** Label values a matcher remembers its answer for (they repeat: services, instances, severities). */
const MEMO_ENTRIES = 1024;
const MEMO_VALUE_CHARS = 256;

/**
 * RE2JS matches in linear time but costs about ten times JavaScript's RegExp on short values; a
 * matcher sees the same few label values over and over, so short values' answers are kept (bounded,
 * emptied when full).
 */
function memoized(test: (value: string) => boolean): (value: string) => boolean {
  const answers = new Map<string, boolean>();
  return (value) => {
    if (value.length > MEMO_VALUE_CHARS) return test(value);
    let answer = answers.get(value);
    if (answer === undefined) {
      answer = test(value);
      if (answers.size >= MEMO_ENTRIES) answers.clear();
      answers.set(value, answer);
    }
    return answer;
  };
}
