import { pointsChange, relativeChange } from './figure-change';
import { formatCount, formatPercent } from './number-format';

describe('week-over-week changes', () => {
  it('says up or down in words beside the arrow, with the previous value', () => {
    expect(relativeChange(59_136, 53_760, 'neither', formatCount)).toEqual({
      direction: 'up',
      tone: 'neutral',
      text: '▲ up 10.0 % from 53,760',
      short: '▲ up 10.0 %',
    });
    expect(relativeChange(3, 4, 'lower', formatCount)).toMatchObject({
      direction: 'down',
      tone: 'good',
      text: '▼ down 25.0 % from 4',
    });
    expect(relativeChange(5, 4, 'lower', formatCount)).toMatchObject({ direction: 'up', tone: 'bad' });
    expect(relativeChange(5, 4, 'higher', formatCount)).toMatchObject({ direction: 'up', tone: 'good' });
  });

  it('has no percentage from a previous zero, and calls zero to zero unchanged', () => {
    expect(relativeChange(7, 0, 'lower', formatCount)).toMatchObject({
      direction: 'up',
      tone: 'bad',
      text: '▲ up from 0',
      short: '▲ up',
    });
    expect(relativeChange(0, 0, 'lower', formatCount)).toMatchObject({
      direction: 'unchanged',
      text: '= unchanged from 0',
    });
    expect(relativeChange(0, 5, 'lower', formatCount).text).toBe('▼ down 100.0 % from 5');
  });

  it('says "no figure" without a previous value (null, undefined or a missing current one)', () => {
    for (const [now, before] of [
      [5, null],
      [5, undefined],
      [null, 5],
    ] as const) {
      expect(relativeChange(now, before, 'lower', formatCount)).toEqual({
        direction: 'unknown',
        tone: 'neutral',
        text: '– no figure for the period before',
        short: '– n/a',
      });
    }
  });

  it('calls a move that rounds to 0.0 % unchanged', () => {
    expect(relativeChange(100_040, 100_000, 'neither', formatCount).direction).toBe('unchanged');
    expect(relativeChange(100_060, 100_000, 'neither', formatCount).text).toBe('▲ up 0.1 % from 100,000');
  });

  it('moves percentages in points', () => {
    expect(pointsChange(1.39, 3.33, 'lower', formatPercent)).toMatchObject({
      direction: 'down',
      tone: 'good',
      text: '▼ down 1.94 points from 3.33 %',
    });
    expect(pointsChange(99.9, 99.95, 'higher', formatPercent)).toMatchObject({
      direction: 'down',
      tone: 'bad',
    });
    expect(pointsChange(99.951, 99.95, 'higher', formatPercent).direction).toBe('unchanged');
    expect(pointsChange(1, null, 'lower', formatPercent).direction).toBe('unknown');
  });
});
