import { endOf, matcherLinesOf, parseMatchers, SilenceFormError, silenceFormOf } from './silence-form';

describe('silence form', () => {
  it('reads the matcher lines it pre-fills, quotes and all', () => {
    const lines = matcherLinesOf({ alertname: 'DiskFull', note: 'say "hi" \\o/' });
    expect(parseMatchers(lines)).toEqual([
      { name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true },
      { name: 'note', value: 'say "hi" \\o/', isRegex: false, isEqual: true },
    ]);
    expect(parseMatchers('job=~"api.*"\nenv!=prod')).toEqual([
      { name: 'job', value: 'api.*', isRegex: true, isEqual: true },
      { name: 'env', value: 'prod', isRegex: false, isEqual: false },
    ]);
  });

  it('names the line it cannot read, and refuses no matcher at all', () => {
    expect(() => parseMatchers('alertname="x"\nnot a matcher')).toThrow(/matcher 2/);
    expect(() => parseMatchers('  \n')).toThrow(SilenceFormError);
  });

  it('ends after a preset or at the custom end, never in the past', () => {
    const now = new Date('2026-12-08T02:00:00Z');
    const form = silenceFormOf({ duration: '4h' }, {});
    expect(endOf(form, now).toISOString()).toBe('2026-12-08T06:00:00.000Z');
    const custom = silenceFormOf({ duration: 'custom', ends: '2026-12-09T08:30' }, {});
    expect(endOf(custom, now).toISOString()).toBe('2026-12-09T08:30:00.000Z');
    expect(() => endOf(silenceFormOf({ duration: 'custom', ends: '2026-12-01T00:00' }, {}), now)).toThrow(
      /past/,
    );
  });
});
