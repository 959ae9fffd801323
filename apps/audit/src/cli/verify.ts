// node apps/audit/dist/cli/verify.js [--from <iso>] [--to <iso>] [--json]
import { cliEnvironment, loadCliConfig } from '../config/cli-config';
import { runVerify } from './verify-command';
import { errorMessage } from '@vigil/platform';

async function main(): Promise<void> {
  const config = loadCliConfig(cliEnvironment());
  process.exitCode = await runVerify(process.argv.slice(2), config, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`vigil-audit verify: ${errorMessage(error)}\n`);
  process.exitCode = 2;
});
