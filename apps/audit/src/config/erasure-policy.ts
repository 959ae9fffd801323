import path from 'node:path';

import { z } from 'zod';

import { ACTOR_TYPES } from '@vigil/contracts';

import { AUDIT_CATEGORIES, type AuditCategory } from '../model/audit-category';
import { loadYamlFile } from './yaml-file';

/** The policy shipped with the service (apps/audit/erasure-policy.yaml). */
export const DEFAULT_ERASURE_FILE = path.resolve(__dirname, '..', '..', 'erasure-policy.yaml');

const fieldPath = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be a dot path of field names (a.b.c)');
const names = z.array(z.string().min(1).max(128));

/** Which fields of an event from one source hold personal data. Omitted keys fall back to `"*"`'s. */
const personalFieldsSchema = z.strictObject({
  /** actor.id (and actor.ip) are personal when actor.type is one of these. */
  actor_types: z.array(z.enum(ACTOR_TYPES)).optional(),
  /** resource.id is personal (the resource is a person's) when resource.type is one of these. */
  resource_types: names.optional(),
  /** metadata fields (dot paths) holding personal data of the event's subject. */
  metadata: z.array(fieldPath).optional(),
  /** metadata fields (dot paths) whose value is itself a data subject's id (sealed under that subject). */
  metadata_subject_ids: z.array(fieldPath).optional(),
  /** `changes.<field>` whose before and after are personal data of the event's subject. */
  changes: z.array(fieldPath).optional(),
});

export type PersonalFieldsRule = Required<z.infer<typeof personalFieldsSchema>>;

/** A match value: exact, or a prefix ending in `*` (`kyc.*`); a list matches any of its entries. */
const matchValue = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

const retentionRuleSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'name must be lowercase letters, digits, _ or -'),
    match: z
      .strictObject({
        action: matchValue.optional(),
        resource_type: matchValue.optional(),
        source: matchValue.optional(),
        category: z.enum(AUDIT_CATEGORIES).optional(),
      })
      .refine((m) => Object.keys(m).length > 0, 'match needs at least one of action, resource_type, source'),
    keep_days: z.number().int().min(1).max(36500),
    then: z.enum(['erase', 'drop_partition']),
  })
  .superRefine((rule, ctx) => {
    const keys = Object.keys(rule.match);
    if (rule.then === 'drop_partition' && (keys.length !== 1 || rule.match.category === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['match'],
        message:
          'then: drop_partition needs match: {category} alone (a partition holds a whole category); use then: erase to forget the personal fields of some actions, resource types or sources',
      });
    }
    if (rule.then === 'erase' && rule.match.category !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['match', 'category'],
        message: 'then: erase matches action, resource_type or source',
      });
    }
  });

export type RetentionRule = z.infer<typeof retentionRuleSchema>;

export const erasurePolicySchema = z.strictObject({
  personal_fields: z
    .record(z.string().min(1), personalFieldsSchema)
    .refine((sources) => sources['*'] !== undefined, 'personal_fields needs a "*" entry (every source)'),
  retention_rules: z
    .array(retentionRuleSchema)
    .default([])
    .superRefine((rules, ctx) => {
      const seen = new Set<string>();
      rules.forEach((rule, i) => {
        if (seen.has(rule.name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate rule ${rule.name}` });
        seen.add(rule.name);
      });
    }),
});

/** The validated policy: personal fields resolved per source, the erase and drop rules. */
export interface ErasurePolicy {
  /** The fields of `source` (its own entry's keys over `"*"`'s). */
  personalFields(source: string): PersonalFieldsRule;
  /** Rules that erase personal fields after keep_days, in file order (an event takes the first match). */
  eraseRules: readonly RetentionRule[];
  /** Days a category's partitions are kept, when a drop_partition rule says so. */
  dropDays(category: AuditCategory): number | undefined;
}

const NO_FIELDS: PersonalFieldsRule = {
  actor_types: [],
  resource_types: [],
  metadata: [],
  metadata_subject_ids: [],
  changes: [],
};

export function erasurePolicy(document: z.infer<typeof erasurePolicySchema>): ErasurePolicy {
  const resolved = new Map<string, PersonalFieldsRule>();
  const all = { ...NO_FIELDS, ...stripUndefined(document.personal_fields['*']) };
  const eraseRules = document.retention_rules.filter((r) => r.then === 'erase');
  const drops = new Map(
    document.retention_rules
      .filter((r) => r.then === 'drop_partition' && r.match.category !== undefined)
      .map((r) => [r.match.category as AuditCategory, r.keep_days]),
  );
  return {
    personalFields(source) {
      let fields = resolved.get(source);
      if (!fields) {
        const own = document.personal_fields[source];
        fields = own ? { ...all, ...stripUndefined(own) } : all;
        resolved.set(source, fields);
      }
      return fields;
    },
    eraseRules,
    dropDays: (category) => drops.get(category),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Reads and validates a policy file; the error names the file and the first bad field. */
export function loadErasurePolicy(file: string): ErasurePolicy {
  return erasurePolicy(loadYamlFile(file, erasurePolicySchema));
}
