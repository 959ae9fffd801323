import { isDeepStrictEqual } from 'node:util';

import type { KeyObject } from 'node:crypto';

import type { AuditChainStore, CheckpointRow } from '../storage/audit-chain.store';
import type { ChainSnapshot } from '../storage/chain-snapshot';
import { AUDIT_CATEGORIES, type AuditCategory } from '../model/audit-category';
import { checkpointSignatureValid } from '../model/checkpoint-signer';
import { canonicalJson } from '../model/canonical-json';
import { GENESIS_HASH, indexedColumns, leafHashOfText, linkHashOfText, linkText } from '../model/hash-chain';

const PAGE = 2000;

export type Defect =
  | 'missing_record'
  | 'broken_link'
  | 'hash_mismatch'
  | 'column_mismatch'
  | 'leaf_mismatch'
  | 'checkpoint_mismatch'
  | 'bad_checkpoint_signature';

export interface BadRecord {
  category: AuditCategory;
  seq: number;
  id: string | null;
  defect: Defect;
  detail: string;
}

export interface ChainReport {
  category: AuditCategory;
  /** Seq of the signed checkpoint (or 0: genesis) the walk started from. */
  anchor_seq: number;
  records_checked: number;
  /** Records received inside [from, to). */
  records_in_range: number;
  checkpoints_checked: number;
  last_seq: number;
  /** Records after the newest checkpoint: linked, but not yet covered by a signature. */
  unsigned_records: number;
}

export interface VerifyReport {
  ok: boolean;
  from: string | null;
  to: string | null;
  chains: ChainReport[];
  first_bad: BadRecord | null;
}

export interface VerifyRange {
  from?: Date;
  to?: Date;
}

class ChainDefect extends Error {
  constructor(readonly bad: BadRecord) {
    super(bad.detail);
  }
}

/**
 * Recomputes every chain from its anchor (genesis, the latest retention cut, or the latest signed
 * checkpoint made before `from`) up to `to`: contiguous seq, prev_hash links, each hash, the indexed
 * columns against the hashed event, and every checkpoint's signature and hash. Stops at the first bad
 * record. A consistent rewrite of the whole chain is caught by the signed checkpoints it cannot forge.
 *
 * Everything is read in one snapshot: records appended while the walk runs would otherwise sit past
 * the records it read but below the chain head it reads last, and look deleted.
 */
export function verifyChains(
  snapshot: ChainSnapshot,
  trustedKeys: ReadonlyMap<string, KeyObject>,
  range: VerifyRange = {},
): Promise<VerifyReport> {
  return snapshot((store) => verifyChainsWithin(store, trustedKeys, range));
}

/**
 * verifyChains over a store that already reads one snapshot (the checkpoint job reads the heads it
 * signs in the same snapshot as the records it verifies).
 */
export async function verifyChainsWithin(
  store: AuditChainStore,
  trustedKeys: ReadonlyMap<string, KeyObject>,
  range: VerifyRange = {},
): Promise<VerifyReport> {
  const report: VerifyReport = {
    ok: true,
    from: range.from?.toISOString() ?? null,
    to: range.to?.toISOString() ?? null,
    chains: [],
    first_bad: null,
  };
  for (const category of AUDIT_CATEGORIES) {
    const chain: ChainReport = {
      category,
      anchor_seq: 0,
      records_checked: 0,
      records_in_range: 0,
      checkpoints_checked: 0,
      last_seq: 0,
      unsigned_records: 0,
    };
    report.chains.push(chain);
    try {
      await verifyChain(store, trustedKeys, category, range, chain);
    } catch (error) {
      if (!(error instanceof ChainDefect)) throw error;
      report.ok = false;
      report.first_bad = error.bad;
      break;
    }
  }
  return report;
}

function checkSignature(
  trustedKeys: ReadonlyMap<string, KeyObject>,
  checkpoint: CheckpointRow,
  category: AuditCategory,
): void {
  const key = trustedKeys.get(checkpoint.key_id);
  const valid =
    key !== undefined &&
    checkpointSignatureValid(
      key,
      {
        category,
        seq: checkpoint.seq,
        hash: checkpoint.hash,
        kind: checkpoint.kind,
        created_at: checkpoint.created_at,
      },
      checkpoint.signature,
    );
  if (!valid) {
    throw new ChainDefect({
      category,
      seq: checkpoint.seq,
      id: null,
      defect: 'bad_checkpoint_signature',
      detail:
        key === undefined
          ? `${checkpoint.kind} checkpoint ${checkpoint.id} is signed with unknown key ${checkpoint.key_id}`
          : `${checkpoint.kind} checkpoint ${checkpoint.id} has an invalid signature`,
    });
  }
}

async function verifyChain(
  store: AuditChainStore,
  trustedKeys: ReadonlyMap<string, KeyObject>,
  category: AuditCategory,
  range: VerifyRange,
  chain: ChainReport,
): Promise<void> {
  const anchor = await store.anchor(category, range.from ?? null);
  if (anchor) checkSignature(trustedKeys, anchor, category);
  chain.anchor_seq = anchor?.seq ?? 0;
  let expectedSeq = chain.anchor_seq + 1;
  let prevHash = anchor?.hash ?? GENESIS_HASH;
  const checkpoints = await store.checkpointsAfter(category, chain.anchor_seq);
  let nextCheckpoint = 0;
  let lastSignedSeq = chain.anchor_seq;
  let reachedTo = false;

  for (let lastSeen = chain.anchor_seq; !reachedTo;) {
    const rows = await store.records(category, lastSeen, PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (range.to && Date.parse(row.received_at) >= range.to.getTime()) {
        reachedTo = true;
        break;
      }
      const at = (defect: Defect, detail: string, seq = row.seq, id: string | null = row.id) =>
        new ChainDefect({ category, seq, id, defect, detail });
      if (row.seq !== expectedSeq) {
        throw at(
          'missing_record',
          `record ${expectedSeq} is missing: the next stored record is ${row.seq} (${row.id})`,
          expectedSeq,
          null,
        );
      }
      if (!row.prev_hash.equals(prevHash)) {
        throw at('broken_link', `prev_hash does not equal the hash of record ${row.seq - 1}`);
      }
      const text = linkText(
        { category, seq: row.seq, id: row.id, received_at: row.received_at },
        canonicalJson(row.event),
      );
      if (!linkHashOfText(row.prev_hash, text).equals(row.hash)) {
        throw at('hash_mismatch', 'stored hash differs from the recomputed one');
      }
      if (row.leaf_hash !== null && !leafHashOfText(text).equals(row.leaf_hash)) {
        throw at('leaf_mismatch', 'stored Merkle leaf hash differs from the one recomputed from the record');
      }
      const {
        category: _c,
        seq: _s,
        id,
        received_at: _r,
        event,
        prev_hash: _p,
        hash: _h,
        leaf_hash: _l,
        ...columns
      } = row;
      if (id !== event.id || !isDeepStrictEqual(columns, indexedColumns(event))) {
        throw at('column_mismatch', 'indexed columns differ from the hashed event');
      }
      while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint].seq <= row.seq) {
        const checkpoint = checkpoints[nextCheckpoint++];
        checkSignature(trustedKeys, checkpoint, category);
        if (checkpoint.seq !== row.seq || !checkpoint.hash.equals(row.hash)) {
          throw at(
            'checkpoint_mismatch',
            `signed ${checkpoint.kind} checkpoint ${checkpoint.id} does not match record ${checkpoint.seq}`,
            checkpoint.seq,
          );
        }
        chain.checkpoints_checked += 1;
        lastSignedSeq = row.seq;
      }
      chain.records_checked += 1;
      if (!range.from || Date.parse(row.received_at) >= range.from.getTime()) chain.records_in_range += 1;
      chain.last_seq = row.seq;
      prevHash = row.hash;
      expectedSeq += 1;
      lastSeen = row.seq;
    }
    if (rows.length < PAGE) break;
  }
  chain.unsigned_records = chain.last_seq - Math.max(lastSignedSeq, chain.anchor_seq);
  if (reachedTo) return;
  const dangling = checkpoints[nextCheckpoint];
  if (dangling) {
    checkSignature(trustedKeys, dangling, category);
    throw new ChainDefect({
      category,
      seq: expectedSeq,
      id: null,
      defect: 'missing_record',
      detail: `record ${expectedSeq} is missing: signed checkpoint ${dangling.id} covers the chain up to ${dangling.seq}`,
    });
  }
  const head = (await store.heads()).find((h) => h.category === category);
  if (head && head.seq >= expectedSeq) {
    throw new ChainDefect({
      category,
      seq: expectedSeq,
      id: null,
      defect: 'missing_record',
      detail: `record ${expectedSeq} is missing: the chain head is at ${head.seq}`,
    });
  }
}
