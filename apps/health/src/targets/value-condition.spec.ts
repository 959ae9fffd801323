import {
  evaluateValueCondition,
  parseValueCondition,
  valueConditionSchema,
  VALUE_CONDITION_HELP,
} from './value-condition';

describe('value conditions', () => {
  it.each([
    ['== 0', 0, true],
    ['== 0', 1, false],
    ['!= 0', 0, false],
    ['> 0', 0, false],
    ['> 0', 1, true],
    ['>= 1', 1, true],
    ['>= 1', 0.99, false],
    ['< 5', 5, false],
    ['<= 5', 5, true],
    ['<= 5', 6, false],
    ['between 1 and 10', 1, true],
    ['between 1 and 10', 10, true],
    ['between 1 and 10', 10.5, false],
    ['between 1 and 10', 0, false],
    ['<= -1.5', -1.5, true],
  ])('%s holds for %d: %s', (text, value, ok) => {
    const condition = parseValueCondition(text);
    expect(condition).not.toBeNull();
    expect(evaluateValueCondition(condition!, value, null).ok).toBe(ok);
  });

  it('compares with the previous value within a percentage, on both sides, and passes a first value', () => {
    const condition = parseValueCondition('within 10% of previous')!;
    expect(evaluateValueCondition(condition, 110, 100).ok).toBe(true);
    expect(evaluateValueCondition(condition, 90, 100).ok).toBe(true);
    expect(evaluateValueCondition(condition, 111, 100).ok).toBe(false);
    expect(evaluateValueCondition(condition, 89, 100).ok).toBe(false);
    expect(evaluateValueCondition(condition, 5, null).ok).toBe(true);
  });

  it('says what was measured and expected', () => {
    expect(evaluateValueCondition(parseValueCondition('<= 2')!, 3, null).reason).toBe('value 3 is not <= 2');
    expect(evaluateValueCondition(parseValueCondition('within 10% of previous')!, 50, 100).reason).toBe(
      'value 50 is not within 10% of previous (previous 100)',
    );
  });

  it.each(['=< 3', '> zero', 'between 10 and 1', 'between 1', 'within -5% of previous', ''])(
    'refuses %j with the accepted forms',
    (text) => {
      expect(parseValueCondition(text)).toBeNull();
      const parsed = valueConditionSchema.safeParse(text);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0].message).toBe(VALUE_CONDITION_HELP);
    },
  );
});
