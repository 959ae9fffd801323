import type { LabelSet } from '../model/alert';
import { compileAnchoredRegex, RegexSyntaxError, type AnchoredRegex } from './anchored-regex';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** One Alertmanager label matcher: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`. */
export interface LabelMatcher {
  name: string;
  type: MatchType;
  value: string;
}

/** A matcher ready to test label sets: regexes are compiled once, anchored as Alertmanager does. */
export interface CompiledMatcher extends LabelMatcher {
  test(value: string): boolean;
}

export class MatcherSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MatcherSyntaxError';
  }
}

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Compiles a matcher; a regex that RE2 refuses is a MatcherSyntaxError naming the matcher. */
export function compileMatcher(matcher: LabelMatcher): CompiledMatcher {
  if (!NAME.test(matcher.name)) throw new MatcherSyntaxError(`invalid label name "${matcher.name}"`);
  switch (matcher.type) {
    case '=':
      return { ...matcher, test: (value) => value === matcher.value };
    case '!=':
      return { ...matcher, test: (value) => value !== matcher.value };
    case '=~':
    case '!~': {
      let re: AnchoredRegex;
      try {
        re = compileAnchoredRegex(matcher.value);
      } catch (error) {
        if (!(error instanceof RegexSyntaxError)) throw error;
        throw new MatcherSyntaxError(
          `invalid regular expression in ${formatMatcher(matcher)}: ${error.message}`,
        );
      }
      const negate = matcher.type === '!~';
      return { ...matcher, test: (value) => re.test(value) !== negate };
    }
  }
}

/** A missing label matches as the empty string, as in Alertmanager and Prometheus. */
export function matchesAll(matchers: readonly CompiledMatcher[], labels: LabelSet): boolean {
  return matchers.every((m) => m.test(labels[m.name] ?? ''));
}

/**
 * Parses Alertmanager's matcher syntax, as amtool sends it in `filter=` and configs use in
 * `matchers:`: `name=value`, `name=~"re.*"`, or a list `{a="b", c!~"d"}`. Quoted values may contain
 * commas and escaped quotes.
 */
export function parseMatchers(input: string): LabelMatcher[] {
  let text = input.trim();
  if (text.startsWith('{')) {
    if (!text.endsWith('}')) throw new MatcherSyntaxError(`missing closing "}" in ${input}`);
    text = text.slice(1, -1);
  }
  const matchers: LabelMatcher[] = [];
  let pos = 0;
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  skipSpace();
  while (pos < text.length) {
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(pos));
    if (!nameMatch) throw new MatcherSyntaxError(`expected a label name at "${text.slice(pos)}" in ${input}`);
    const name = nameMatch[0];
    pos += name.length;
    skipSpace();
    const opMatch = /^(=~|!~|!=|=)/.exec(text.slice(pos));
    if (!opMatch) throw new MatcherSyntaxError(`expected =, !=, =~ or !~ after "${name}" in ${input}`);
    const type = opMatch[0] as MatchType;
    pos += type.length;
    skipSpace();
    let value = '';
    if (text[pos] === '"') {
      pos++;
      let closed = false;
      while (pos < text.length) {
        const ch = text[pos++];
        if (ch === '\\' && pos < text.length) {
          const next = text[pos++];
          value += next === 'n' ? '\n' : next;
        } else if (ch === '"') {
          closed = true;
          break;
        } else value += ch;
      }
      if (!closed) throw new MatcherSyntaxError(`unterminated quoted value for "${name}" in ${input}`);
    } else {
      const end = text.indexOf(',', pos);
      value = (end === -1 ? text.slice(pos) : text.slice(pos, end)).trim();
      pos = end === -1 ? text.length : end;
    }
    matchers.push({ name, type, value });
    skipSpace();
    if (pos < text.length) {
      if (text[pos] !== ',') throw new MatcherSyntaxError(`expected "," at "${text.slice(pos)}" in ${input}`);
      pos++;
      skipSpace();
    }
  }
  return matchers;
}

/** `name="value"` in Alertmanager's display form. */
export function formatMatcher(matcher: LabelMatcher): string {
  return `${matcher.name}${matcher.type}${JSON.stringify(matcher.value)}`;
}
