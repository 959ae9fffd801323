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
};

/** Fields every entry of a health TARGETS_FILE carries. */
export const TARGET_FIELDS = ['name', 'url', 'interval_s', 'timeout_ms', 'expect_status'];

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
