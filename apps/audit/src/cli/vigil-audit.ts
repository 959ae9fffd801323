#!/usr/bin/env node
// vigil-audit <command> ...: the audit service's command-line tools (the package's bin).
//   verify-export <file> --public-key <key>   check an auditor export offline (no database, no network)
//   witness ...                               cosign the logs' checkpoints, refusing a fork (witness-command.ts)
//   verify [--from] [--to] [--json]           recompute the hash chains from Postgres (DATABASE_URL)
// Each command is loaded only when run: verify-export needs neither the service's framework nor pg.
import type { CliIo } from './verify-command';

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The environment's CLI settings (AUDIT_API_KEY, DATABASE_URL, keys), read only by commands that need them. */
async function cliConfig() {
  const { cliEnvironment, loadCliConfig } = await import('../config/cli-config.js');
  return loadCliConfig(cliEnvironment());
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  'verify-export': async (argv) => (await import('./verify-export-command.js')).runVerifyExport(argv, io),
  witness: async (argv) => (await import('./witness-command.js')).runWitness(argv, await cliConfig(), io),
  verify: async (argv) => (await import('./verify-command.js')).runVerify(argv, await cliConfig(), io),
};

async function usage(): Promise<string> {
  const [{ VERIFY_EXPORT_USAGE }, { VERIFY_USAGE }, { WITNESS_USAGE }] = await Promise.all([
    import('./verify-export-command.js'),
    import('./verify-command.js'),
    import('./witness-command.js'),
  ]);
  return [
    'usage: vigil-audit <command> ...',
    `  ${VERIFY_EXPORT_USAGE.replace(/^usage: /, '')}`,
    `  vigil-audit ${VERIFY_USAGE.replace(/^usage: /, '')}`,
    WITNESS_USAGE,
  ].join('\n');
}

async function main(): Promise<void> {
  const [name, ...argv] = process.argv.slice(2);
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    io.err(await usage());
    process.exitCode = 2;
    return;
  }
  process.exitCode = await command(argv);
}

main().catch((error: unknown) => {
  process.stderr.write(`vigil-audit: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
