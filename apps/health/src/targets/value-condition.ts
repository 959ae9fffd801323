import { z } from 'zod';

/**
 * A condition on one measured number, written as people write it in the targets YAML:
 * `== 0`, `!= 0`, `> 0`, `>= 1`, `< 5`, `<= 5`, `between 1 and 10` (inclusive), or
 * `within 10% of previous` (the monitor's previous value; always true for the first one).
 */
export type ValueCondition =
  | { op: '==' | '!=' | '>' | '>=' | '<' | '<='; value: number }
  | { op: 'between'; min: number; max: number }
  | { op: 'within_pct_of_previous'; pct: number };

export interface ValueVerdict {
  ok: boolean;
  /** For people: what was measured and what was expected, e.g. `value 3 is not <= 2`. */
  reason: string;
}

const NUMBER = String.raw`(-?\d+(?:\.\d+)?)`;
const COMPARISON = new RegExp(String.raw`^(==|!=|>=|<=|>|<)\s*${NUMBER}$`);
const BETWEEN = new RegExp(String.raw`^between\s+${NUMBER}\s+and\s+${NUMBER}$`, 'i');
const WITHIN = new RegExp(String.raw`^within\s+${NUMBER}\s*%\s+of\s+previous$`, 'i');

export const VALUE_CONDITION_HELP =
  "must be '== N', '!= N', '> N', '>= N', '< N', '<= N', 'between A and B' or 'within P% of previous'";

/** Parses a condition; null when the text is not one (the caller reports VALUE_CONDITION_HELP). */
export function parseValueCondition(text: string): ValueCondition | null {
  const trimmed = text.trim();
  const comparison = COMPARISON.exec(trimmed);
  if (comparison) return { op: comparison[1] as '==', value: Number(comparison[2]) };
  const between = BETWEEN.exec(trimmed);
  if (between) {
    const [min, max] = [Number(between[1]), Number(between[2])];
    return min <= max ? { op: 'between', min, max } : null;
  }
  const within = WITHIN.exec(trimmed);
  if (within && Number(within[1]) >= 0) return { op: 'within_pct_of_previous', pct: Number(within[1]) };
  return null;
}

/** The YAML field: a condition string, validated and parsed. */
export const valueConditionSchema = z.string({ error: VALUE_CONDITION_HELP }).transform((text, ctx) => {
  const condition = parseValueCondition(text);
  if (condition === null) {
    ctx.addIssue({ code: 'custom', message: VALUE_CONDITION_HELP });
    return z.NEVER;
  }
  return condition;
});

/** The condition as written, for messages and the status page. */
export function describeValueCondition(condition: ValueCondition): string {
  switch (condition.op) {
    case 'between':
      return `between ${condition.min} and ${condition.max}`;
    case 'within_pct_of_previous':
      return `within ${condition.pct}% of previous`;
    case '==':
    case '!=':
    case '>':
    case '>=':
    case '<':
    case '<=':
      return `${condition.op} ${condition.value}`;
  }
}

/** Checks `value` against `condition`; `previous` is the monitor's previous value (null if none). */
export function evaluateValueCondition(
  condition: ValueCondition,
  value: number,
  previous: number | null,
): ValueVerdict {
  const ok = holds(condition, value, previous);
  const expected = describeValueCondition(condition);
  const against =
    condition.op === 'within_pct_of_previous' && previous !== null ? ` (previous ${previous})` : '';
  return {
    ok,
    reason: ok ? `value ${value} is ${expected}${against}` : `value ${value} is not ${expected}${against}`,
  };
}

function holds(condition: ValueCondition, value: number, previous: number | null): boolean {
  switch (condition.op) {
    case '==':
      return value === condition.value;
    case '!=':
      return value !== condition.value;
    case '>':
      return value > condition.value;
    case '>=':
      return value >= condition.value;
    case '<':
      return value < condition.value;
    case '<=':
      return value <= condition.value;
    case 'between':
      return value >= condition.min && value <= condition.max;
    case 'within_pct_of_previous':
      if (previous === null) return true;
      return Math.abs(value - previous) <= (Math.abs(previous) * condition.pct) / 100;
  }
}
