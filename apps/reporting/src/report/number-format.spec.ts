import {
  formatCount,
  formatDuration,
  formatExactCount,
  formatMilliseconds,
  formatPercent,
  formatShare,
} from './number-format';

describe('number formatting', () => {
  it('writes exact counts to the unit, grouped', () => {
    expect(formatExactCount(1_000_000)).toBe('1,000,000');
    expect(formatExactCount(3_000.4)).toBe('3,000');
  });

  it('groups digits below a million and abbreviates above', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(672)).toBe('672');
    expect(formatCount(1240)).toBe('1,240');
    expect(formatCount(48_384.4)).toBe('48,384');
    expect(formatCount(999_949)).toBe('999,949');
    expect(formatCount(999_950)).toBe('1.0 M');
    expect(formatCount(3_949_000)).toBe('3.9 M');
    expect(formatCount(999_960_000)).toBe('1.0 B');
    expect(formatCount(2_345_000_000)).toBe('2.3 B');
  });

  it('never rounds a shortfall up to a perfect 100 %', () => {
    expect(formatPercent(99.999)).toBe('99.99 %');
    expect(formatPercent(100)).toBe('100.00 %');
    expect(formatPercent(99.954)).toBe('99.95 %');
    expect(formatPercent(99.96, 1)).toBe('99.9 %');
    expect(formatPercent(12.34, 1)).toBe('12.3 %');
  });

  it('shows a tiny share as "< 0.01 %" rather than 0.00 %', () => {
    expect(formatShare(0.0139)).toBe('1.39 %');
    expect(formatShare(0)).toBe('0.00 %');
    expect(formatShare(0.00001)).toBe('< 0.01 %');
    expect(formatShare(null)).toBe('n/a');
  });

  it('formats latencies and durations', () => {
    expect(formatMilliseconds(46)).toBe('46.0 ms');
    expect(formatMilliseconds(249.99)).toBe('250 ms');
    expect(formatMilliseconds(1250)).toBe('1,250 ms');
    expect(formatMilliseconds(null)).toBe('n/a');
    expect(formatDuration(45)).toBe('45s');
    expect(formatDuration(605)).toBe('10m 5s');
    expect(formatDuration(3720)).toBe('1h 2m');
    expect(formatDuration(187_200)).toBe('2d 4h');
  });
});
