#!/usr/bin/env node
// vigil-audit <command> ...: the audit service's command-line tools (the package's bin).
//   verify-export <file> --public-key <key>   check an auditor export offline (no database, no network)
//   verify [--from] [--to] [--json]           recompute the hash chains from Postgres (DATABASE_URL)
import { errorMessage } from '@vigil/platform';

import { cliEnvironment, loadCliConfig } from '../config/cli-config';
import { runVerifyExport, VERIFY_EXPORT_USAGE } from './verify-export-command';
import { runVerify, VERIFY_USAGE, type CliIo } from './verify-command';

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const COMMANDS: Record<string, { usage: string; run: (argv: string[]) => Promise<number> }> = {
  'verify-export': { usage: VERIFY_EXPORT_USAGE, run: (argv) => runVerifyExport(argv, io) },
  verify: { usage: VERIFY_USAGE, run: (argv) => runVerify(argv, loadCliConfig(cliEnvironment()), io) },
};

async function main(): Promise<void> {
  const [name, ...argv] = process.argv.slice(2);
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    io.err(
      `usage: vigil-audit <command> ...\n${Object.values(COMMANDS)
        .map((c) => `  ${c.usage}`)
        .join('\n')}`,
    );
    process.exitCode = 2;
    return;
  }
  process.exitCode = await command.run(argv);
}

main().catch((error: unknown) => {
  process.stderr.write(`vigil-audit: ${errorMessage(error)}\n`);
  process.exitCode = 2;
});
