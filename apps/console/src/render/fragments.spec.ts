import { durationText, percentText, timeTag } from './fragments';

describe('fragments', () => {
  it('writes durations as people read them', () => {
    expect([0, 59.6, 61, 3600, 3725, 86_400 * 2 + 3600 * 4, null].map(durationText)).toEqual([
      '0s',
      '1m 0s',
      '1m 1s',
      '1h 0m',
      '1h 2m',
      '2d 4h',
      '—',
    ]);
  });

  it('writes percentages and UTC times', () => {
    expect(percentText(99.5)).toBe('99.50 %');
    expect(percentText(null)).toBe('—');
    expect(timeTag('2026-12-08T01:02:03.456Z').value).toBe(
      '<time datetime="2026-12-08T01:02:03.456Z">2026-12-08T01:02:03Z</time>',
    );
    expect(timeTag(null).value).toContain('never');
  });
});
