/**
 * Downtime and error budget of a health target over a period, from its uptime: against a 99.9 %
 * objective a week allows 10m 5s of downtime; a target at 99.5 % used 50m 24s, 40m 19s over.
 */
export interface TargetBudget {
  /** Seconds the target was down in the period. */
  downtime_s: number;
  /** Seconds of downtime the objective allows in the period. */
  budget_s: number;
  /** Budget minus downtime: negative when the objective was missed. */
  left_s: number;
}

export function targetBudget(uptimePct: number, sloPct: number, periodMs: number): TargetBudget {
  const periodS = periodMs / 1000;
  const downtime = Math.max(0, ((100 - uptimePct) / 100) * periodS);
  const budget = ((100 - sloPct) / 100) * periodS;
  return { downtime_s: downtime, budget_s: budget, left_s: budget - downtime };
}
