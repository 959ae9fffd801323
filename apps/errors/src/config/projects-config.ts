import fs from 'node:fs';

import { parse } from 'yaml';
import { z } from 'zod';

import { findUnstorable, severitySchema } from '@vigil/contracts';
import { ConfigError, errorMessage } from '@vigil/platform';

/** Injection token of the validated projects (readonly ErrorsProject[]). */
export const ERRORS_PROJECTS = Symbol('ERRORS_PROJECTS');

const glob = z.string().min(1).max(200);

/** One alert rule: every field given in `match` must match (globs with `*`); first matching rule wins. */
const alertRuleSchema = z.strictObject({
  match: z
    .strictObject({
      exception_type: glob.optional(),
      culprit: glob.optional(),
      logger: glob.optional(),
      level: z.enum(['fatal', 'error', 'warning', 'info', 'debug']).optional(),
      tags: z.record(z.string().min(1), glob).optional(),
    })
    .refine((m) => Object.keys(m).length > 0, 'must name at least one field to match'),
  severity: severitySchema,
});

const projectSchema = z.strictObject({
  /** The DSN's project id: `http://<key>@host/<id>`. */
  id: z.string().regex(/^[1-9][0-9]{0,9}$/, 'must be a numeric string such as "1" (the DSN project id)'),
  slug: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 characters of [a-z0-9_-]'),
  /** DSN public keys; SDKs send one as sentry_key. */
  keys: z
    .array(z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex characters (a DSN public key)'))
    .min(1, 'must list at least one DSN key'),
  quota: z
    .strictObject({
      events_per_minute: z.number().int().min(1).default(600),
      transactions_per_minute: z.number().int().min(1).default(6000),
    })
    .default({ events_per_minute: 600, transactions_per_minute: 6000 }),
  retention_days: z.number().int().min(1).max(3650).default(90),
  /** A libs/redaction policy (entities → remove|mask|hash), applied on top of the service's. */
  redaction_policy: z.record(z.string(), z.unknown()).optional(),
  alert_rules: z.array(alertRuleSchema).default([]),
  spike: z
    .strictObject({
      events: z.number().int().min(1),
      minutes: z.number().int().min(1).max(1440),
      severity: severitySchema.default('high'),
    })
    .optional(),
});

const projectsFileSchema = z.strictObject({ projects: z.array(projectSchema).min(1, 'must list a project') });

export type ErrorsProject = z.infer<typeof projectSchema>;
export type AlertRule = z.infer<typeof alertRuleSchema>;

export interface ProjectsSource {
  ERRORS_PROJECTS_FILE?: string;
  ERRORS_PROJECTS?: string;
}

/**
 * The projects from ERRORS_PROJECTS_FILE (YAML) or ERRORS_PROJECTS (inline JSON). Any problem throws one
 * ConfigError naming the variable, the project and the key, e.g.
 * `ERRORS_PROJECTS_FILE: /etc/vigil/projects.yaml: projects[1] (slug "shop"): keys.0: must be 32 ...`.
 */
export function loadProjects(source: ProjectsSource): readonly ErrorsProject[] {
  if (source.ERRORS_PROJECTS_FILE !== undefined) {
    const file = source.ERRORS_PROJECTS_FILE;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
      throw new ConfigError('ERRORS_PROJECTS_FILE', `${file}: cannot be read (${code})`);
    }
    return parseProjects(text, 'ERRORS_PROJECTS_FILE', `${file}: `);
  }
  if (source.ERRORS_PROJECTS !== undefined)
    return parseProjects(source.ERRORS_PROJECTS, 'ERRORS_PROJECTS', '');
  throw new ConfigError('ERRORS_PROJECTS_FILE', 'is required (or ERRORS_PROJECTS as inline JSON)');
}

/** Validates the text (YAML; JSON is YAML too); `prefix` names the file in messages. */
export function parseProjects(text: string, variable: string, prefix: string): readonly ErrorsProject[] {
  const fail = (problem: string): never => {
    throw new ConfigError(variable, `${prefix}${problem}`);
  };
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return fail(`not valid YAML or JSON: ${errorMessage(error).split('\n')[0]}`);
  }
  const unstorable = findUnstorable(document);
  if (unstorable) return fail(`${unstorable.path}: ${unstorable.message}`);
  const top = projectsFileSchema.safeParse(document ?? {});
  if (!top.success) return fail(describe(top.error.issues[0], document));
  const ids = new Map<string, number>();
  const keys = new Map<string, number>();
  top.data.projects.forEach((project, index) => {
    const where = `projects[${index}] (slug ${JSON.stringify(project.slug)})`;
    const sameId = ids.get(project.id);
    if (sameId !== undefined) fail(`${where}: id: duplicates projects[${sameId}]`);
    ids.set(project.id, index);
    for (const key of project.keys) {
      const owner = keys.get(key);
      if (owner !== undefined)
        fail(`${where}: keys: a key of projects[${owner}] too (keys name one project)`);
      keys.set(key, index);
    }
  });
  return top.data.projects;
}

/** `projects[1] (slug "shop"): keys.0: must be ...` for the first zod issue. */
function describe(issue: z.core.$ZodIssue, document: unknown): string {
  const [top, index, ...rest] = issue.path.map(String);
  if (top !== 'projects' || index === undefined)
    return `${issue.path.map(String).join('.') || '(top)'}: ${issue.message}`;
  const raw = (document as { projects?: unknown[] }).projects?.[Number(index)];
  const slug =
    raw && typeof raw === 'object' && 'slug' in raw && typeof raw.slug === 'string'
      ? ` (slug ${JSON.stringify(raw.slug)})`
      : '';
  return `projects[${index}]${slug}: ${rest.join('.') || '(entry)'}: ${issue.message}`;
}
