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

  it('rejects a regex JavaScript cannot compile', () => {
    expect(() => compileMatcher({ name: 'a', type: '=~', value: '(' })).toThrow(/invalid regular expression/);
  });
});
