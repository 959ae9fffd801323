import { RE2JS } from 're2js';

import type { LabelMatcher } from '../matchers/label-matcher';
import { SilenceMatcher, SilenceMatcherCache, type Silence } from './silence';

const silence = (id: string, ...matchers: LabelMatcher[]): Silence => ({
  id,
  matchers,
  startsAt: new Date('2026-01-01T00:00:00Z'),
  endsAt: new Date('2026-01-02T00:00:00Z'),
  createdBy: 'ops',
  comment: 'maintenance',
  updatedAt: new Date('2026-01-01T00:00:00Z'),
});

const byService = silence('s1', { name: 'service', type: '=~', value: 'ledger|search' });
const bySeverity = silence('s2', { name: 'severity', type: '=~', value: 'high|low' });

describe('SilenceMatcherCache', () => {
  afterEach(() => jest.restoreAllMocks());

  it('compiles each regex once while a silence in force uses it, not on every read', () => {
    const compile = jest.spyOn(RE2JS, 'compile');
    const cache = new SilenceMatcherCache();
    cache.matcherFor([byService]);
    cache.matcherFor([byService, bySeverity]);
    const matcher = cache.matcherFor([byService, bySeverity]);
    expect(compile).toHaveBeenCalledTimes(2);
    expect(matcher.silencedBy({ service: 'ledger', severity: 'high' })).toEqual(['s1', 's2']);
    expect(matcher.silencedBy({ service: 'web', severity: 'low' })).toEqual(['s2']);
  });

  it('forgets the regexes of silences no longer in force', () => {
    const compile = jest.spyOn(RE2JS, 'compile');
    const cache = new SilenceMatcherCache();
    cache.matcherFor([byService]);
    cache.matcherFor([bySeverity]);
    cache.matcherFor([byService]);
    expect(compile).toHaveBeenCalledTimes(3);
  });
});

describe('SilenceMatcher', () => {
  it('leaves out, and names, a stored silence whose matcher is not valid RE2, instead of failing every read', () => {
    // A lookahead JavaScript accepted before silences were RE2; a silence like it may still be stored.
    const legacy = silence('s0', { name: 'service', type: '=~', value: '(?=led)\\w+' });
    const matcher = new SilenceMatcher([legacy, byService]);
    expect(matcher.uncompilable).toEqual(['s0']);
    expect(matcher.silencedBy({ service: 'ledger' })).toEqual(['s1']);
  });
});
