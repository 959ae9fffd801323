import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';
import { z } from 'zod';

import { findUnstorable, severitySchema } from '@vigil/contracts';
import { errorMessage } from '@vigil/platform';

/** The rules file shipped with the service (apps/audit/detector-rules.yaml). */
export const DEFAULT_RULES_FILE = path.resolve(__dirname, '..', '..', 'detector-rules.yaml');

const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,127}$/, 'name must be an alert name (letters, digits, _)');
const action = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'action must be dot.case');

export const detectorRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    name,
    kind: z.literal('field_change'),
    severity: severitySchema,
    action,
    fields: z.array(z.string().min(1)).min(1),
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
    action,
    private_field: z.string().min(1),
    private_value: z.union([z.string(), z.boolean()]),
    section_suffix: z.string().min(1),
    public_value: z.union([z.string(), z.boolean()]),
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
  let document: unknown;
  try {
    document = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${errorMessage(error)}`, { cause: error });
  }
  const unstorable = findUnstorable(document);
  if (unstorable) throw new Error(`${file}: ${unstorable.path}: ${unstorable.message}`);
  const result = detectorRulesFileSchema.safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data.rules;
}
