import { z } from 'zod';

import { SEVERITIES, type Severity } from '@vigil/contracts';

import { maintenanceWindowsSchema } from './maintenance-window';

const LABEL_KEY = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the alert path sets itself (alert-identity.ts): a target's own labels may not replace them. */
export const RESERVED_LABEL_KEYS: readonly string[] = ['alertname', 'severity', 'service', 'target', 'kind'];

/** A target's severity as written in the file. A kind with another default spreads `severity: severityField.default('high')` after `...common`. */
export const severityField = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` });

const labelsField = z
  .record(z.string(), z.string({ error: 'must be a string' }), {
    error: 'must be a mapping of label names to strings',
  })
  .superRefine((labels, ctx) => {
    for (const key of Object.keys(labels)) {
      if (!LABEL_KEY.test(key))
        ctx.addIssue({ code: 'custom', path: [key], message: 'label names are letters, digits and _' });
      else if (RESERVED_LABEL_KEYS.includes(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'is set by the alert itself; choose another name',
        });
    }
  })
  .default({});

const thresholdField = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(100, 'must be at most 100');

/** Fields every kind of target has besides name and timing (spread into `common` of target-definition.ts). */
export const alertRuleFields = {
  /** N: down when N of the last M outcomes failed (default 2). `failures_to_alert` is its alias. */
  failure_threshold: thresholdField.optional(),
  failures_to_alert: thresholdField.optional(),
  /** M (default N). */
  failure_window: thresholdField.optional(),
  severity: severityField.default('critical'),
  labels: labelsField,
  depends_on: z
    .array(z.string({ error: 'must be a target name' }), { error: 'must be a list of target names' })
    .default([]),
  maintenance: maintenanceWindowsSchema,
};

export const DEFAULT_FAILURE_THRESHOLD = 2;

type AlertRuleEntry = z.infer<z.ZodObject<typeof alertRuleFields>>;

/** The rule fields of a validated entry, as TargetBase holds them. */
export interface AlertRules {
  failureThreshold: number;
  failureWindow: number;
  severity: Severity;
  labels: Record<string, string>;
  dependsOn: string[];
  maintenance: z.infer<typeof maintenanceWindowsSchema>;
}

/** `field: problem` when the entry's rule fields contradict each other (checked after the schema), else null. */
export function alertRulesProblem(entry: AlertRuleEntry & { name: string }): string | null {
  if (entry.failure_threshold !== undefined && entry.failures_to_alert !== undefined)
    return 'failures_to_alert: is another name of failure_threshold; give only one';
  const threshold = entry.failures_to_alert ?? entry.failure_threshold ?? DEFAULT_FAILURE_THRESHOLD;
  if (entry.failure_window !== undefined && entry.failure_window < threshold)
    return `failure_window: must be at least failure_threshold (${threshold})`;
  if (entry.depends_on.includes(entry.name)) return 'depends_on: a target cannot depend on itself';
  return null;
}

/** The rules of a target that sets none of the fields (fixtures, synthetic steps' requests). */
export function defaultAlertRules(failureThreshold = DEFAULT_FAILURE_THRESHOLD): AlertRules {
  return {
    failureThreshold,
    failureWindow: failureThreshold,
    severity: 'critical',
    labels: {},
    dependsOn: [],
    maintenance: [],
  };
}

/** `defaultThreshold` is the kind's N when the entry gives none (heartbeats: 1, see target-definition.ts). */
export function alertRulesOf(
  entry: AlertRuleEntry,
  defaultThreshold = DEFAULT_FAILURE_THRESHOLD,
): AlertRules {
  const failureThreshold = entry.failures_to_alert ?? entry.failure_threshold ?? defaultThreshold;
  return {
    failureThreshold,
    failureWindow: entry.failure_window ?? failureThreshold,
    severity: entry.severity,
    labels: entry.labels,
    dependsOn: [...new Set(entry.depends_on)],
    maintenance: entry.maintenance,
  };
}

/**
 * Why the targets' `depends_on` cannot stand: `<index>: depends_on: ...` for a name no target has or a
 * cycle (named along its path), or null. Indexes are positions in `targets`.
 */
export function dependencyProblem(
  targets: readonly { name: string; dependsOn: readonly string[] }[],
): { index: number; message: string } | null {
  const indexOf = new Map(targets.map((t, i) => [t.name, i]));
  for (const [index, target] of targets.entries()) {
    const unknown = target.dependsOn.find((name) => !indexOf.has(name));
    if (unknown !== undefined)
      return { index, message: `depends_on: no target is named ${JSON.stringify(unknown)}` };
  }
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): string[] | null => {
    if (trail.includes(name)) return [...trail.slice(trail.indexOf(name)), name];
    if (done.has(name)) return null;
    for (const next of targets[indexOf.get(name)!].dependsOn) {
      const cycle = visit(next, [...trail, name]);
      if (cycle) return cycle;
    }
    done.add(name);
    return null;
  };
  for (const [index, target] of targets.entries()) {
    const cycle = visit(target.name, []);
    if (cycle) return { index, message: `depends_on: forms a cycle (${cycle.join(' -> ')})` };
  }
  return null;
}
