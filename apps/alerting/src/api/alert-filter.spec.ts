import { compileMatcher } from '../matchers/label-matcher';
import { requiredLabelsOf, type AlertFilter } from './alert-filter';

const filterOf = (...matchers: [string, '=' | '!=' | '=~' | '!~', string][]): AlertFilter => ({
  active: true,
  silenced: true,
  inhibited: true,
  receiver: null,
  matchers: matchers.map(([name, type, value]) => compileMatcher({ name, type, value })),
});

describe('requiredLabelsOf', () => {
  it('takes the name="value" matchers, the only ones every listed alert must carry as they are', () => {
    expect(
      requiredLabelsOf(
        filterOf(['alertname', '=', 'HighErrorRate'], ['env', '!=', 'dev'], ['service', '=~', 'shop|cart']),
      ),
    ).toEqual({ alertname: 'HighErrorRate' });
  });

  it('narrows nothing on an empty value (it also matches an absent label) or on contradicting values', () => {
    expect(requiredLabelsOf(filterOf(['team', '=', '']))).toEqual({});
    expect(requiredLabelsOf(filterOf(['alertname', '=', 'A'], ['alertname', '=', 'B']))).toEqual({});
    expect(requiredLabelsOf(filterOf())).toEqual({});
  });
});
