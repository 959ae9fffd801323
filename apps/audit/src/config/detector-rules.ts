import path from 'node:path';

import { z } from 'zod';

import { ACTOR_TYPES, severitySchema } from '@vigil/contracts';
import { loadYamlFile } from './yaml-file';

/** The rules file shipped with the service (apps/audit/detector-rules.yaml). */
export const DEFAULT_RULES_FILE = path.resolve(__dirname, '..', '..', 'detector-rules.yaml');

const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, 'name must be an alert name (letters, digits, _)');
const action = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'action must be dot.case');
const field = z.string().min(1);
/** A setting value as apps write it: `PRIVATE`, `True`, `1`, `public`... (compared normalised). */
const settingValue = z.union([z.string().min(1), z.boolean(), z.number()]);
/** `show_*`, `*_visibility` or a plain field name; `*` stands for any characters. */
const fieldPattern = z.string().regex(/^[A-Za-z0-9_*]+$/, 'must be a field name, * for any characters');

export const detectorRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    name,
    kind: z.literal('field_change'),
    severity: severitySchema,
    /** Fires on an event whose `changes` touch one of these, whatever its action... */
    fields: z.array(field).min(1),
    /** ...by one of these actor types (absent: any)... */
    actor_types: z.array(z.enum(ACTOR_TYPES)).min(1).optional(),
    /** ...and on any event with one of these actions, whose name already says such a field changed. */
    actions: z.array(action).default([]),
  }),
  z.strictObject({
    name,
    kind: z.literal('bulk_threshold'),
    severity: severitySchema,
    action,
    threshold: z.number().int().min(0).default(10),
    count_fields: z.array(z.string().min(1)).min(1).default(['affected_count']),
  }),
  z.strictObject({
    name,
    kind: z.literal('access_rate'),
    severity: severitySchema,
    resource_types: z.array(z.string().min(1)).min(1),
    threshold: z.number().int().min(0),
    window_minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
  }),
  z.strictObject({
    name,
    kind: z.literal('contradictory_privacy'),
    severity: severitySchema,
    /** Checked on events whose `changes` touch the private field or a public field, or with one of these actions. */
    actions: z.array(action).default([]),
    private_field: field,
    private_values: z.array(settingValue).min(1),
    public_fields: z.array(fieldPattern).min(1),
    public_values: z.array(settingValue).min(1),
  }),
]);

export const detectorRulesFileSchema = z.strictObject({
  rules: z.array(detectorRuleSchema).superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      if (seen.has(rule.name))
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate rule ${rule.name}` });
      seen.add(rule.name);
    });
  }),
});

export type DetectorRule = z.infer<typeof detectorRuleSchema>;

/** Reads and validates a rules file; the error names the file and the first bad field. */
export function loadDetectorRules(file: string): DetectorRule[] {
  return loadYamlFile(file, detectorRulesFileSchema).rules;
}
