import { globMatches, severityFor, type AlertRule, type AlertSubject } from './alert-rules';

const subject: AlertSubject = {
  exception_types: ['PrivacySettings.DoesNotExist', 'profile.models.PrivacySettings.DoesNotExist'],
  culprit: 'profile.views in privacy_settings',
  logger: 'django.request',
  level: 'error',
  tags: { handled: 'no', 'server.role': 'web' },
};

const rules: AlertRule[] = [
  { match: { exception_type: '*.DoesNotExist', culprit: '*profile*' }, severity: 'critical' },
  { match: { logger: 'django.*', level: 'fatal' }, severity: 'critical' },
  { match: { tags: { 'server.role': 'worker' } }, severity: 'low' },
  { match: { level: 'warning' }, severity: 'medium' },
];

describe('globMatches', () => {
  it('matches * and ? and takes other characters literally', () => {
    expect(globMatches('*.DoesNotExist', 'PrivacySettings.DoesNotExist')).toBe(true);
    expect(globMatches('*.DoesNotExist', 'DoesNotExist')).toBe(false);
    expect(globMatches('a?c', 'abc')).toBe(true);
    expect(globMatches('a.c', 'abc')).toBe(false);
    expect(globMatches('(x)+', '(x)+')).toBe(true);
  });
});

describe('severityFor', () => {
  it('takes the first matching rule', () => {
    expect(severityFor(rules, subject)).toBe('critical');
  });

  it('needs every field of a rule to match', () => {
    const elsewhere = { ...subject, culprit: 'shop.views in checkout' };
    expect(severityFor(rules, elsewhere)).toBe('high');
    expect(severityFor(rules, { ...elsewhere, level: 'fatal' })).toBe('critical');
  });

  it('matches tags by key and glob', () => {
    const worker = { ...subject, exception_types: ['KeyError'], tags: { 'server.role': 'worker' } };
    expect(severityFor(rules, worker)).toBe('low');
  });

  it('matches the level exactly and defaults to high', () => {
    const other = { ...subject, exception_types: ['KeyError'], culprit: null, tags: {} };
    expect(severityFor(rules, { ...other, level: 'warning' })).toBe('medium');
    expect(severityFor(rules, other)).toBe('high');
    expect(severityFor([], subject)).toBe('high');
  });
});
