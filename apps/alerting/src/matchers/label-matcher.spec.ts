import { compileMatcher, matchesAll, MatcherSyntaxError, parseMatchers } from './label-matcher';

describe('parseMatchers', () => {
  it('reads amtool filters and config matchers, bare or quoted, single or in braces', () => {
    expect(parseMatchers('alertname=Foo')).toEqual([{ name: 'alertname', type: '=', value: 'Foo' }]);
    expect(parseMatchers('{severity=~"crit.*", service!="a,b", env!~"dev|test", x = "q\\"uote"}')).toEqual([
      { name: 'severity', type: '=~', value: 'crit.*' },
      { name: 'service', type: '!=', value: 'a,b' },
      { name: 'env', type: '!~', value: 'dev|test' },
      { name: 'x', type: '=', value: 'q"uote' },
    ]);
  });

  it.each(['=foo', 'name', 'name="open', '{a="b"', '1abc="x"'])('rejects %s', (text) => {
    expect(() => parseMatchers(text)).toThrow(MatcherSyntaxError);
  });
});

describe('compileMatcher', () => {
  const labels = { alertname: 'HighErrorRate', severity: 'critical' };

  it('anchors regexes and treats a missing label as the empty string', () => {
    expect(matchesAll([compileMatcher({ name: 'severity', type: '=~', value: 'crit' })], labels)).toBe(false);
    expect(matchesAll([compileMatcher({ name: 'severity', type: '=~', value: 'crit.*' })], labels)).toBe(
      true,
    );
    expect(matchesAll([compileMatcher({ name: 'team', type: '=', value: '' })], labels)).toBe(true);
    expect(matchesAll([compileMatcher({ name: 'team', type: '!~', value: '.+' })], labels)).toBe(true);
    expect(
      matchesAll([compileMatcher({ name: 'alertname', type: '!=', value: 'HighErrorRate' })], labels),
    ).toBe(false);
  });

  it('rejects a regex RE2 cannot compile, naming the matcher', () => {
    expect(() => compileMatcher({ name: 'a', type: '=~', value: '(' })).toThrow(
      /invalid regular expression in a=~"\(": error parsing regexp: missing closing \)/,
    );
  });

  // JavaScript accepted these; RE2 (Alertmanager's syntax) has no backtracking features.
  it.each([
    ['a backreference', '(a)\\1'],
    ['a lookahead', '(?=a)a'],
    ['a lookbehind', '(?<=a)b'],
    ['a possessive quantifier', 'a++'],
    ['a JavaScript \\u escape', '\\u00e9'],
    ['a repeat over 1000', 'a{1001}'],
  ])('rejects %s', (_, value) => {
    expect(() => compileMatcher({ name: 'a', type: '=~', value })).toThrow(MatcherSyntaxError);
  });

  it('rejects a pattern whose program is too large to match in bounded time', () => {
    expect(() => compileMatcher({ name: 'a', type: '=~', value: '(?:.*a.*){300}' })).toThrow(
      /expression too large/,
    );
    expect(() => compileMatcher({ name: 'a', type: '=~', value: '.{0,400}' })).not.toThrow();
  });

  it('accepts RE2 syntax JavaScript lacks: (?i), (?P<name>), \\x{...}, \\z, Unicode classes', () => {
    const test = (value: string, label: string) =>
      compileMatcher({ name: 'a', type: '=~', value }).test(label);
    expect(test('(?i)critical', 'CRITICAL')).toBe(true);
    expect(test('(?P<sev>crit)ical', 'critical')).toBe(true);
    expect(test('caf\\x{E9}', 'café')).toBe(true);
    expect(test('\\p{Greek}+', 'αβγ')).toBe(true);
    expect(test('\\p{Greek}+', 'abc')).toBe(false);
  });
});

describe('regex matcher semantics (as Alertmanager: ^(?:re)$ in RE2)', () => {
  const test = (value: string, label: string, type: '=~' | '!~' = '=~') =>
    compileMatcher({ name: 'a', type, value }).test(label);

  it('matches the whole value, never a part of it', () => {
    expect(test('api', 'api')).toBe(true);
    expect(test('api', 'api-gateway')).toBe(false);
    expect(test('api', 'my-api')).toBe(false);
    expect(test('api|web', 'web')).toBe(true);
    expect(test('api|web', 'webapi')).toBe(false);
    expect(test('a.c', 'abc')).toBe(true);
    expect(test('a.c', 'abcd')).toBe(false);
    expect(test('api', 'api\n')).toBe(false);
  });

  it('keeps the wrapping literal: a pattern closing the group early stays a search in its other branch', () => {
    // Go's regexp.MatchString("^(?:a)|(b)$", "ab") is true: Alertmanager matches the same way.
    expect(test('a)|(b', 'xb')).toBe(true);
    expect(test('a)|(b', 'ax')).toBe(true);
    expect(test('a)|(b', 'xa')).toBe(false);
  });

  it('lets an empty pattern or .* match the empty string, and .+ not', () => {
    expect(test('', '')).toBe(true);
    expect(test('', 'x')).toBe(false);
    expect(test('.*', '')).toBe(true);
    expect(test('.+', '')).toBe(false);
    expect(test('.+', '', '!~')).toBe(true);
  });

  it('reads values as Unicode code points', () => {
    expect(test('.', 'é')).toBe(true);
    expect(test('.', '😀')).toBe(true);
    expect(test('..', '😀')).toBe(false);
    expect(test('[😀-😂]+', '😁😀')).toBe(true);
    expect(test('zürich-.*', 'zürich-1')).toBe(true);
    expect(test('.*', 'a\nb')).toBe(false);
    expect(test('(?s).*', 'a\nb')).toBe(true);
  });
});
