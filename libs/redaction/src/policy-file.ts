import { readFileSync } from 'node:fs';

import {
  compilePolicy,
  type CustomRule,
  policyError,
  type RedactionPolicy,
  RedactionPolicyError,
} from './policy';

/**
 * A policy as written in a file or an environment variable: `createRedactor`'s fields, with each rule's
 * pattern as a string (`{ kind, pattern, flags?, strategy? }`) and no `hashKey`, which is a secret and
 * comes from `REDACTION_HASH_KEY` (or its file) instead.
 */
export interface RedactionPolicyText {
  /** JSON text of the policy. */
  text: string;
  /** Where it came from, named in errors: a path or `REDACTION_POLICY`. */
  source: string;
}

// `g` is added by the redactor; `y` would stop the scan at the first non-match, `d` only costs.
const RULE_FLAGS = /^(?:([imsu])(?!.*\1)){0,4}$/;
const RULE_FIELDS = new Set(['kind', 'pattern', 'flags', 'strategy']);
/** The largest count a quantifier in a policy rule may allow. */
export const MAX_REPEAT = 1024;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(path: string, problem: string): never {
  throw policyError(path, problem);
}

/** A group being read: whether it can match one text in several ways (then repeating it backtracks). */
interface Group {
  /** Holds an alternation or a quantifier with a range (`?`, `{1,9}`); `{4}` alone is exact. */
  variable: boolean;
}

const QUANTIFIER = /^(?:[*+?]|\{(\d{1,9})(,(\d{0,9}))?\})/;
const GROUP_OPENING = /^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]{0,63}>))?/;
const ESCAPE_BODY =
  /^(?:[pP]\{[\w=]{1,64}\}|u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z])/;

/** Index just past the escape at `i` (a backslash), or a problem when it is a backreference. */
function skipEscape(source: string, i: number): number | string {
  const next = source[i + 1];
  if (next === undefined) return 'ends with a lone backslash';
  if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<'))
    return `has a backreference (\\${next}) at ${i}: backreferences can make matching exponential`;
  const long = ESCAPE_BODY.exec(source.slice(i + 1, i + 72));
  return i + 1 + (long ? long[0].length : 1);
}

/** Index just past the character class that opens at `i`. */
function skipClass(source: string, i: number): number | string {
  let j = i + 1;
  while (j < source.length && source[j] !== ']') {
    if (source[j] === '\\') {
      const end = skipEscape(source, j);
      if (typeof end === 'string') return end;
      j = end;
    } else j++;
  }
  return j < source.length ? j + 1 : `has an unclosed [ at ${i}`;
}

/** What one quantifier allows: `undefined` for an unbounded one. */
function quantifierRange(text: string): { min: number; max: number | undefined } {
  if (text === '*') return { min: 0, max: undefined };
  if (text === '+') return { min: 1, max: undefined };
  if (text === '?') return { min: 0, max: 1 };
  const [, min, comma, max] = QUANTIFIER.exec(text) ?? [];
  if (comma === undefined) return { min: Number(min), max: Number(min) };
  return { min: Number(min), max: max === '' ? undefined : Number(max) };
}

/**
 * Why a rule's pattern could cost more than linear time on hostile input, or `undefined` when it
 * cannot. A rule runs on every string the redactor sees, in V8's backtracking engine, so it is held to
 * what keeps the work per start position bounded (the approach of RE2-style "safe regex" linters):
 * - every quantifier has an upper bound of at most `MAX_REPEAT` (`{1,64}`, not `+`, `*` or `{2,}`):
 *   `\w+@x` re-reads a whole run of letters from each of its starts, quadratic on a megabyte of them;
 * - a group repeated more than once matches in one way only (no alternation, no quantifier with a
 *   range inside): `(a|a){1,30}`, `(a{1,2}){1,30}` and `(\w+\s?)*` try exponentially many splits;
 * - no backreferences (`\1`, `\k<name>`).
 * Left to the author: adjacent runs over the same characters (`\w{1,64}\w{1,64}`) cost the product
 * of their bounds at each start; a literal anchor (`EMP-`) keeps a rule cheap.
 */
export function linearPatternProblem(source: string): string | undefined {
  const stack: Group[] = [{ variable: false }];
  // The group just closed (what a quantifier would repeat), or `null` for a single character.
  let last: Group | null | undefined;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const quantifier = QUANTIFIER.exec(source.slice(i, i + 24));
    if (quantifier) {
      if (last === undefined) return `has a quantifier with nothing to repeat at ${i}`;
      const { min, max } = quantifierRange(quantifier[0]);
      if (max === undefined)
        return `has an unbounded quantifier "${quantifier[0]}" at ${i}: give it a bound such as {1,64}`;
      if (max > MAX_REPEAT) return `repeats up to ${max} times at ${i} (at most ${MAX_REPEAT})`;
      if (last?.variable && max > 1)
        return `repeats a group that can match in several ways at ${i} (an alternation or a range inside): matching may backtrack exponentially`;
      if (min !== max) stack[stack.length - 1].variable = true;
      i += quantifier[0].length;
      if (source[i] === '?') i++;
      last = undefined;
      continue;
    }
    let next: number | string = i + 1;
    last = null;
    if (c === '\\') next = skipEscape(source, i);
    else if (c === '[') next = skipClass(source, i);
    else if (c === '(') {
      stack.push({ variable: false });
      next = i + (GROUP_OPENING.exec(source.slice(i, i + 70))?.[0].length ?? 1);
      last = undefined;
    } else if (c === ')') {
      if (stack.length === 1) return `has an unopened ) at ${i}`;
      last = stack.pop();
      if (last?.variable) stack[stack.length - 1].variable = true;
    } else if (c === '|') {
      stack[stack.length - 1].variable = true;
      last = undefined;
    } else if (c === '^' || c === '$') last = undefined;
    if (typeof next === 'string') return next;
    i = next;
  }
  return stack.length === 1 ? undefined : 'has an unclosed (';
}

/** Index just past the group that opens at `i`, or `undefined` when it does not close. */
function skipGroup(source: string, i: number): number | undefined {
  let depth = 0;
  let j = i;
  while (j < source.length) {
    const c = source[j];
    const next = c === '\\' ? skipEscape(source, j) : c === '[' ? skipClass(source, j) : j + 1;
    if (typeof next === 'string') return undefined;
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return next;
    j = next;
  }
  return undefined;
}

const SPECIAL = new Set('\\^$.|?*+()[]{}');

/**
 * The longest run of literal characters every match of `source` contains (outside groups, classes and
 * quantified atoms), or `undefined`: with it, a rule is ruled out for most strings by one `includes`
 * instead of running its regex at every position.
 */
export function requiredLiteral(source: string): string | undefined {
  let best = '';
  let run = '';
  const end = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    let literal: string | undefined;
    let next: number;
    if (c === '|') return undefined;
    if (c === '\\') {
      const after = skipEscape(source, i);
      if (typeof after === 'string') return undefined;
      literal = after === i + 2 && /[^\w\s]/.test(source[i + 1]) ? source[i + 1] : undefined;
      next = after;
    } else if (c === '[') {
      const after = skipClass(source, i);
      if (typeof after === 'string') return undefined;
      next = after;
    } else if (c === '(') {
      const after = skipGroup(source, i);
      if (after === undefined) return undefined;
      next = after;
    } else {
      literal = SPECIAL.has(c) ? undefined : c;
      next = i + 1;
    }
    // A quantified atom may be absent or repeated: it ends the run and is not part of it.
    const quantified = QUANTIFIER.test(source.slice(next, next + 24));
    if (literal === undefined || quantified) end();
    else run += literal;
    i = next;
    if (quantified) i += QUANTIFIER.exec(source.slice(i, i + 24))?.[0].length ?? 0;
  }
  end();
  return best === '' ? undefined : best;
}

/** A gate for a rule: whether `input` can hold a match, by the literal every match contains. */
export function literalGate(pattern: RegExp): ((input: string) => boolean) | undefined {
  const literal = requiredLiteral(pattern.source);
  if (literal === undefined) return undefined;
  if (!pattern.flags.includes('i')) return (input) => input.includes(literal);
  const folded = new RegExp(
    literal.replace(/[\\^$.|?*+()[\]{}-]/g, '\\$&'),
    pattern.flags.includes('u') ? 'iu' : 'i',
  );
  return (input) => folded.test(input);
}

function parseRule(rule: unknown, i: number): CustomRule {
  const path = `rules[${i}]`;
  if (!isRecord(rule)) fail(path, 'must be { kind, pattern, flags?, strategy? }');
  for (const field of Object.keys(rule))
    if (!RULE_FIELDS.has(field))
      fail(`${path}.${field}`, 'is not a rule field (known: kind, pattern, flags, strategy)');
  if (typeof rule.pattern !== 'string' || rule.pattern === '')
    fail(`${path}.pattern`, 'must be a regular expression as a string');
  const flags = rule.flags ?? '';
  if (typeof flags !== 'string' || !RULE_FLAGS.test(flags))
    fail(`${path}.flags`, `must be made of i, m, s, u (got ${JSON.stringify(flags)})`);
  const problem = linearPatternProblem(rule.pattern);
  if (problem !== undefined) fail(`${path}.pattern`, problem);
  let pattern: RegExp;
  try {
    pattern = new RegExp(rule.pattern, flags);
  } catch (error) {
    fail(`${path}.pattern`, `is not a regular expression: ${(error as Error).message}`);
  }
  // kind and strategy are checked with the rest of the policy, by compilePolicy.
  return { ...(rule as Omit<CustomRule, 'pattern'>), pattern };
}

/**
 * A policy from its JSON text, checked the way `createRedactor` checks one (plus the patterns'
 * linearity), with `hashKey` added from the caller's secret. Throws a `RedactionPolicyError` naming the
 * field and the source.
 */
export function parseRedactionPolicy(
  { text, source }: RedactionPolicyText,
  hashKey?: string | Uint8Array,
): RedactionPolicy {
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      fail('policy', `is not JSON: ${(error as Error).message}`);
    }
    if (!isRecord(parsed)) fail('policy', 'must be a JSON object');
    if ('hashKey' in parsed)
      fail('hashKey', 'must not be written in a policy: set REDACTION_HASH_KEY (or REDACTION_HASH_KEY_FILE)');
    const { rules, ...rest } = parsed;
    if (rules !== undefined && !Array.isArray(rules)) fail('rules', 'must be a list of { kind, pattern }');
    const policy: RedactionPolicy = {
      ...(rest as RedactionPolicy),
      ...(rules === undefined ? {} : { rules: (rules as unknown[]).map(parseRule) }),
      ...(hashKey === undefined ? {} : { hashKey }),
    };
    compilePolicy(policy);
    return policy;
  } catch (error) {
    if (error instanceof RedactionPolicyError)
      throw new RedactionPolicyError(`${error.message} (${source})`, error.field);
    throw error;
  }
}

/**
 * The text of a policy setting: inline JSON when it starts with `{`, otherwise the path of a JSON file.
 * An unreadable file throws a `RedactionPolicyError` naming it.
 */
export function readRedactionPolicy(
  setting: string,
  source: string,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): RedactionPolicyText {
  if (setting.trimStart().startsWith('{')) return { text: setting, source };
  try {
    return { text: readFile(setting), source: setting };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new RedactionPolicyError(`invalid redaction policy: cannot read ${setting} (${reason})`);
  }
}
