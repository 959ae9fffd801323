import type { KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';

import { Client } from 'pg';

import type { AuditCliConfig } from '../config/cli-config';
import { keyIdOf, parsePublicKey, signingKey } from '../model/checkpoint-signer';
import { verifyChains, type VerifyReport } from '../integrity/chain-verifier';
import { chainSnapshotFromPg } from '../storage/chain-snapshot';
import { errorMessage } from '@vigil/platform';

export const VERIFY_USAGE =
  'usage: verify [--from <ISO date-time>] [--to <ISO date-time>] [--json]  (env: DATABASE_URL, AUDIT_PUBLIC_KEY or AUDIT_SIGNING_KEY)';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

function trustedKeys(config: AuditCliConfig): Map<string, KeyObject> {
  const publicKey = config.AUDIT_PUBLIC_KEY
    ? parsePublicKey(config.AUDIT_PUBLIC_KEY)
    : signingKey(config.AUDIT_SIGNING_KEY).publicKey;
  return new Map([[keyIdOf(publicKey), publicKey]]);
}

function instant(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`--${name} must be an ISO-8601 date-time (got "${value}")`);
  return new Date(ms);
}

export function describeReport(report: VerifyReport): string {
  const chains = report.chains
    .map(
      (c) =>
        `${c.category}: ${c.records_checked} records to seq ${c.last_seq}, ${c.checkpoints_checked} checkpoints`,
    )
    .join('; ');
  if (report.ok) return `audit trail intact (${chains})`;
  const bad = report.first_bad;
  return bad
    ? `AUDIT TRAIL TAMPERED: first bad record category=${bad.category} seq=${bad.seq} id=${bad.id ?? '-'} defect=${bad.defect}: ${bad.detail}`
    : 'AUDIT TRAIL TAMPERED';
}

/**
 * Recomputes the chains straight from Postgres (one read-only snapshot, so a live service may keep
 * appending meanwhile) and checks the checkpoint signatures with a public key
 * the auditor trusts. Exit code: 0 intact, 1 tampered (first bad record printed), 2 usage or I/O error.
 */
export async function runVerify(argv: readonly string[], config: AuditCliConfig, io: CliIo): Promise<number> {
  let from: Date | undefined;
  let to: Date | undefined;
  let json: boolean;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } },
    });
    from = instant('from', values.from);
    to = instant('to', values.to);
    json = values.json ?? false;
    if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required');
  } catch (error) {
    io.err(`${errorMessage(error)}\n${VERIFY_USAGE}`);
    return 2;
  }
  const client = new Client({ connectionString: config.DATABASE_URL });
  try {
    await client.connect();
    const report = await verifyChains(chainSnapshotFromPg(client), trustedKeys(config), { from, to });
    io.out(json ? JSON.stringify(report, null, 2) : describeReport(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    io.err(`verify failed: ${errorMessage(error)}`);
    return 2;
  } finally {
    await client.end().catch(() => undefined);
  }
}
