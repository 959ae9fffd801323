import { RE2JS } from 're2js';

/** A capture pattern RE2 refuses, or one without exactly one group, with the reason. */
export class CaptureRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureRegexError';
  }
}

/**
 * Compiles a synthetic step's `capture.regex` on RE2JS: a linear-time engine, so a pattern with nested
 * quantifiers cannot backtrack exponentially on a response body (which the checked target controls).
 * RE2 syntax, as Alertmanager's matchers: no backreferences or lookaround. The pattern searches the
 * body (unanchored) and must have exactly one capturing group, the captured value.
 */
export function compileCaptureRegex(pattern: string): RE2JS {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (error) {
    throw new CaptureRegexError(`must be a valid RE2 regular expression: ${(error as Error).message}`);
  }
  if (re.groupCount() !== 1) {
    throw new CaptureRegexError(`must have exactly one capturing group, not ${re.groupCount()}`);
  }
  return re;
}

/** The first group of the first match of `re` in `text`, or null when it does not match. */
export function firstGroup(re: RE2JS, text: string): string | null {
  const match = re.matcher(text);
  return match.find() ? match.group(1) : null;
}
