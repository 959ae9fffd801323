import fs from 'node:fs';

import { parse } from 'yaml';
import type { z } from 'zod';

import { findUnstorable } from '@vigil/contracts';
import { ConfigError, errorMessage } from '@vigil/platform';

import { alertRulesProblem, dependencyProblem } from './common-fields';
import { maintenanceWindowsSchema, type MaintenanceWindow } from './maintenance-window';
import { TargetSecretError, type SecretEnvironment } from './target-secrets';
import { resolveTargetReferences, TargetFieldError } from './target-references';
import {
  TARGET_TYPES,
  targetFileSchemas,
  targetsFileSchema,
  toTarget,
  type TargetDefinition,
  type TargetType,
} from './target-definition';

const VARIABLE = 'TARGETS_FILE';

/** What a targets file declares: its targets, and the maintenance windows of all targets (top-level `maintenance:`). */
export interface TargetsConfig {
  targets: TargetDefinition[];
  maintenance: MaintenanceWindow[];
}

/**
 * Reads and validates the targets file named by TARGETS_FILE. Any problem throws one ConfigError
 * naming the file, the target and the field, e.g.
 * `/etc/vigil/targets.yaml: targets[1] (name "api"): url: must be an http(s) URL`.
 */
export function loadTargetsFile(file: string, environment: SecretEnvironment = {}): TargetDefinition[] {
  return loadTargetsConfig(file, environment).targets;
}

/** Like loadTargetsFile, with the file's global maintenance windows. */
export function loadTargetsConfig(file: string, environment: SecretEnvironment = {}): TargetsConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? errorMessage(error);
    throw new ConfigError(VARIABLE, `${file}: cannot be read (${code})`);
  }
  return parseTargetsConfig(text, file, environment);
}

/**
 * Validates the text of a targets file; `file` only names it in error messages. `environment` holds the
 * secrets the file may name (`${NAME}` in an http target's or synthetic step's url, headers or body;
 * see target-references.ts): they are read here, and a missing one fails naming target and field.
 */
export function parseTargets(
  text: string,
  file: string,
  environment: SecretEnvironment = {},
): TargetDefinition[] {
  return parseTargetsConfig(text, file, environment).targets;
}

/** Like parseTargets, with the file's global maintenance windows. */
export function parseTargetsConfig(
  text: string,
  file: string,
  environment: SecretEnvironment = {},
): TargetsConfig {
  const fail = (problem: string): never => {
    throw new ConfigError(VARIABLE, `${file}: ${problem}`);
  };
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const message = errorMessage(error);
    return fail(`not valid YAML: ${message.split('\n')[0]}`);
  }
  const unstorable = findUnstorable(document);
  if (unstorable) return fail(`${unstorable.path}: ${unstorable.message}`);
  const top = targetsFileSchema.safeParse(document ?? {});
  if (!top.success) return fail(describeIssue(top.error.issues[0]));

  const targets: TargetDefinition[] = [];
  const seen = new Map<string, number>();
  top.data.targets.forEach((raw, index) => {
    const where = `targets[${index}]${nameOf(raw)}`;
    const type = typeOf(raw);
    if (type === null) return fail(`${where}: type: must be one of ${TARGET_TYPES.join(', ')}`);
    const entry = targetFileSchemas[type].safeParse(raw ?? {});
    if (!entry.success) return fail(`${where}: ${describeIssue(entry.error.issues[0])}`);
    const rules = alertRulesProblem(entry.data);
    if (rules) return fail(`${where}: ${rules}`);
    const first = seen.get(entry.data.name);
    if (first !== undefined) return fail(`${where}: name: duplicates targets[${first}]`);
    seen.set(entry.data.name, index);
    try {
      targets.push(resolveTargetReferences(toTarget(entry.data, environment), entry.data, environment));
    } catch (error) {
      if (error instanceof TargetSecretError || error instanceof TargetFieldError)
        return fail(`${where}: ${error.message}`);
      throw error;
    }
  });
  const dependencies = dependencyProblem(targets);
  if (dependencies) {
    const { index, message } = dependencies;
    return fail(`targets[${index}] (name ${JSON.stringify(targets[index].name)}): ${message}`);
  }
  const maintenance = maintenanceWindowsSchema.safeParse(top.data.maintenance);
  if (!maintenance.success) return fail(`maintenance${pathTail(maintenance.error.issues[0])}`);
  return { targets, maintenance: maintenance.data };
}

/** `[0].cron: problem` for an issue of the top-level maintenance list. */
function pathTail(issue: z.core.$ZodIssue): string {
  const described = describeIssue(issue);
  return issue.path.length ? (typeof issue.path[0] === 'number' ? '' : '.') + described : `: ${described}`;
}

/** The entry's `type` (http when absent), or null when it names no known type. */
function typeOf(raw: unknown): TargetType | null {
  const type = raw && typeof raw === 'object' && 'type' in raw ? raw.type : 'http';
  return TARGET_TYPES.find((t) => t === type) ?? null;
}

function nameOf(raw: unknown): string {
  if (raw && typeof raw === 'object' && 'name' in raw && typeof raw.name === 'string') {
    return ` (name ${JSON.stringify(raw.name)})`;
  }
  return '';
}

/** `field: problem` for one zod issue; unknown keys are named as fields of their own. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `${formatPath([...issue.path, issue.keys[0]])}: unknown field`;
  // A bad key of a mapping (a capture name): the key's own problem, not zod's "Invalid key in record".
  if (issue.code === 'invalid_key' && issue.issues[0])
    return `${formatPath(issue.path)}: ${issue.issues[0].message}`;
  return issue.path.length ? `${formatPath(issue.path)}: ${issue.message}` : issue.message;
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}
