#!/usr/bin/env node
// vigil-audit <command> ...: the audit service's command-line tools (bin of @vigil/audit-service).
//   vigil-audit witness ...   cosign the logs' checkpoints, refusing a fork (see witness-command.ts)
//   vigil-audit verify ...    recompute the hash chains from Postgres (see verify-command.ts)
import { errorMessage } from '@vigil/platform';

import { cliEnvironment, loadCliConfig } from '../config/cli-config';
import { runVerify, type CliIo } from './verify-command';
import { runWitness, WITNESS_USAGE } from './witness-command';

const COMMANDS = {
  witness: runWitness,
  verify: runVerify,
} as const;

const USAGE = `usage: vigil-audit <${Object.keys(COMMANDS).join('|')}> [options]\n${WITNESS_USAGE}`;

async function main(): Promise<void> {
  const [command, ...argv] = process.argv.slice(2);
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
  if (command !== 'witness' && command !== 'verify') {
    io.err(USAGE);
    process.exitCode = 2;
    return;
  }
  const config = loadCliConfig(cliEnvironment());
  process.exitCode = await COMMANDS[command](argv, config, io);
}

main().catch((error: unknown) => {
  process.stderr.write(`vigil-audit: ${errorMessage(error)}\n`);
  process.exitCode = 2;
});
