// node apps/audit/dist/cli/replay-dlq.js [--reason <reason>] [--limit <n>] [--dry-run]
import { parseArgs } from 'node:util';

import { connect } from '@nats-io/transport-node';

import { errorMessage, natsConnectOptions } from '@vigil/platform';

import { cliEnvironment, loadCliConfig } from '../config/cli-config';
import { replayDlq } from '../ingest/dlq-replay';

const USAGE = 'usage: replay-dlq [--reason <reason>] [--limit <n>] [--dry-run]  (env: NATS_URL)';

async function main(): Promise<void> {
  const config = loadCliConfig(cliEnvironment());
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { reason: { type: 'string' }, limit: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  });
  const limit = Number(values.limit ?? '1000');
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer\n${USAGE}`);
  // As the services connect: NATS_URL's user and password as options, the user's own inbox prefix.
  const nc = await connect(natsConnectOptions(config.NATS_URL));
  try {
    const result = await replayDlq(nc, { reason: values.reason, limit, dryRun: values['dry-run'] });
    process.stdout.write(
      `${values['dry-run'] ? 'would replay' : 'replayed'} ${result.replayed} message(s); skipped ${result.skipped}; ${result.remaining} left in AUDIT_DLQ\n`,
    );
  } finally {
    await nc.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`vigil-audit replay-dlq: ${errorMessage(error)}\n`);
  process.exitCode = 2;
});
