import { targetBudget } from './error-budget';

const WEEK_MS = 7 * 86_400_000;

describe('targetBudget', () => {
  it('gives a week at 99.9 % 10m 4.8s of budget', () => {
    expect(targetBudget(100, 99.9, WEEK_MS)).toEqual({
      downtime_s: 0,
      budget_s: expect.any(Number),
      left_s: expect.any(Number),
    });
    expect(targetBudget(100, 99.9, WEEK_MS).budget_s).toBeCloseTo(604.8, 6);
    expect(targetBudget(100, 99.9, WEEK_MS).left_s).toBeCloseTo(604.8, 6);
  });

  it('counts downtime from uptime, and a missed objective as negative budget left', () => {
    const missed = targetBudget(99.5, 99.9, WEEK_MS);
    expect(missed.downtime_s).toBeCloseTo(3024, 6);
    expect(missed.left_s).toBeCloseTo(-2419.2, 6);
    const day = targetBudget(99.95, 99.9, 86_400_000);
    expect(day.downtime_s).toBeCloseTo(43.2, 6);
    expect(day.left_s).toBeCloseTo(43.2, 6);
  });

  it('never counts negative downtime from an uptime rounding above 100 %', () => {
    expect(targetBudget(100.0000001, 99.9, WEEK_MS).downtime_s).toBe(0);
  });
});
