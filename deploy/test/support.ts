// Shared by the deploy checks: where the repository is, how external tools are run, and what each
// service needs from its environment beyond the platform variables.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { SERVICE_PORTS, type ServiceName } from '@vigil/platform';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const APPS = Object.keys(SERVICE_PORTS) as ServiceName[];

/** Variables a service reads on top of the platform schema (ARCHITECTURE.md, issue 2). */
export const APP_ENV: Record<ServiceName, string[]> = {
  health: ['TARGETS_FILE'],
  audit: [],
  alerting: ['ALERT_WEBHOOK_URL'],
  reporting: ['SMTP_URL', 'REPORT_FROM', 'REPORT_RECIPIENTS'],
  errors: ['ERRORS_PROJECTS_FILE'],
  console: ['HEALTH_URL', 'AUDIT_URL', 'ALERTING_URL', 'REPORTING_URL', 'ERRORS_URL', 'CONSOLE_PUBLIC_URL'],
};

/** Fields every entry of a health TARGETS_FILE carries. */
export const TARGET_FIELDS = ['name', 'url', 'interval_s', 'timeout_ms', 'expect_status'];
/** A synthetic target's fields: its requests are its steps (each with url and expect_status). */
const SYNTHETIC_FIELDS = ['name', 'interval_s', 'timeout_ms', 'steps'];

type TargetEntry = Record<string, unknown>;

/** The HTTP requests of a health target: itself, or a synthetic flow's steps. */
export function requestsOf(target: TargetEntry): TargetEntry[] {
  return target.type === 'synthetic' && Array.isArray(target.steps)
    ? (target.steps as TargetEntry[])
    : [target];
}

/** The fields a shipped target (or one of its steps) lacks, as problems. */
export function targetFieldProblems(target: TargetEntry): string[] {
  const fields = target.type === 'synthetic' ? SYNTHETIC_FIELDS : TARGET_FIELDS;
  const missing = fields.filter((f) => target[f] === undefined);
  if (target.type === 'synthetic')
    for (const [i, step] of requestsOf(target).entries())
      for (const f of ['name', 'url', 'expect_status'])
        if (step[f] === undefined) missing.push(`steps[${i}].${f}`);
  return missing.length ? [`target ${String(target.name)} lacks ${missing.join(', ')}`] : [];
}

/** The environment variables a target references as `${NAME}` (all uppercase) in url, headers or body. */
export function environmentReferences(target: TargetEntry): string[] {
  const text = JSON.stringify(requestsOf(target).map((r) => [r.url, r.headers, r.body]));
  return [...new Set([...text.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map((m) => m[1]))];
}

/** The files a target references as `${file:/path}`. */
export function fileReferences(target: TargetEntry): string[] {
  const text = JSON.stringify(requestsOf(target).map((r) => [r.url, r.headers, r.body]));
  return [...new Set([...text.matchAll(/\$\{file:([^}\s]+)\}/g)].map((m) => m[1]))];
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an external tool from the repository root. A missing binary fails with one line saying what
 * to install, instead of a bare ENOENT.
 */
export function runTool(
  command: string,
  args: string[],
  installHint: string,
  env: NodeJS.ProcessEnv = process.env,
): ToolResult {
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`\`${command}\` is not installed or not on PATH: ${installHint}`);
    throw new Error(`\`${command} ${args.join(' ')}\` could not run: ${result.error.message}`);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const QUANTITY_SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** Parses a Kubernetes resource quantity ("500m", "1", "256Mi", "1Gi") into a plain number. */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^([0-9]+(?:\.[0-9]+)?)([a-zA-Z]*)$/.exec(value);
  const factor = match ? QUANTITY_SUFFIXES[match[2]] : undefined;
  if (!match || factor === undefined) throw new Error(`not a resource quantity: "${value}"`);
  return Number(match[1]) * factor;
}

/** The number in an exec probe/hook like `sleep 5`, else undefined. */
export function sleepSeconds(command: string[] | undefined): number | undefined {
  if (!command || command.length !== 2 || path.basename(command[0]) !== 'sleep') return undefined;
  const seconds = Number(command[1]);
  return Number.isFinite(seconds) ? seconds : undefined;
}
