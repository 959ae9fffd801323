// node apps/audit/dist/cli/rewrap-keys.js   (env: DATABASE_URL, AUDIT_MASTER_KEY or AUDIT_MASTER_KEY_FILE, AUDIT_MASTER_KEY_PREVIOUS)
import { Client } from 'pg';

import { errorMessage } from '@vigil/platform';

import { cliEnvironment, loadCliConfig } from '../config/cli-config';
import { masterKeyRing } from '../config/master-keys';
import { SubjectKeys } from '../erasure/subject-keys';
import { sqlFromPg } from '../storage/sql';
import { SubjectKeyStore } from '../storage/subject-key.store';

/**
 * Re-wraps every subject key wrapped by a previous master key with the current one (the service also
 * does it on each retention run). Once it reports 0 left, the previous key can be removed from
 * AUDIT_MASTER_KEY_PREVIOUS and destroyed.
 */
async function main(): Promise<void> {
  const config = loadCliConfig(cliEnvironment());
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const client = new Client({ connectionString: config.DATABASE_URL });
  await client.connect();
  try {
    const ring = masterKeyRing(config);
    if (ring.development)
      process.stderr.write('warning: AUDIT_MASTER_KEY is unset: using the development key\n');
    const keys = new SubjectKeys(new SubjectKeyStore(sqlFromPg(client)), ring, {
      cacheSize: 1,
      cacheTtlMs: 0,
    });
    const rewrapped = await keys.rewrapAll();
    const unknown = await keys.unknownMasterKeyIds();
    process.stdout.write(
      `${JSON.stringify({ master_key_id: ring.current.id, rewrapped, wrapped_by_unknown_keys: unknown })}\n`,
    );
    process.exitCode = unknown.length === 0 ? 0 : 1;
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`vigil-audit rewrap-keys: ${errorMessage(error)}\n`);
  process.exitCode = 2;
});
