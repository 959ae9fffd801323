import type { AuditEventV1 } from '@vigil/contracts';

import type { AuditCategory } from '../model/audit-category';
import type { Sql } from './sql';

export interface ChainRow {
  category: AuditCategory;
  seq: number;
  id: string;
  received_at: string;
  occurred_at: string;
  source: string;
  tenant_id: string | null;
  actor_type: string;
  actor_id: string;
  action: string;
  resource_type: string;
  resource_id: string;
  outcome: string;
  request_id: string | null;
  trace_id: string | null;
  event: AuditEventV1;
  prev_hash: Buffer;
  hash: Buffer;
  /** The record's Merkle leaf hash as ingest stored it (null for records stored before it did). */
  leaf_hash: Buffer | null;
}

export interface CheckpointRow {
  id: number;
  category: AuditCategory;
  seq: number;
  hash: Buffer;
  kind: 'interval' | 'cut';
  created_at: string;
  key_id: string;
  signature: Buffer;
}

export interface ChainHead {
  category: AuditCategory;
  seq: number;
  hash: Buffer;
}

interface RawChainRow extends Omit<ChainRow, 'seq' | 'received_at' | 'occurred_at'> {
  seq: string;
  received_at: Date;
  occurred_at: Date;
}

interface RawCheckpointRow extends Omit<CheckpointRow, 'id' | 'seq' | 'created_at'> {
  id: string;
  seq: string;
  created_at: Date;
}

const CHECKPOINT_COLUMNS = 'id, category, seq, hash, kind, created_at, key_id, signature';

function checkpointRow(raw: RawCheckpointRow): CheckpointRow {
  return { ...raw, id: Number(raw.id), seq: Number(raw.seq), created_at: raw.created_at.toISOString() };
}

/** Reads of the chain and the checkpoints (verification, checkpointing, retention); no rule lives here. */
export class AuditChainStore {
  constructor(private readonly sql: Sql) {}

  async heads(): Promise<ChainHead[]> {
    const rows = await this.sql<{ category: AuditCategory; seq: string; hash: Buffer }>(
      `SELECT category, seq, hash FROM audit_chain_heads ORDER BY category`,
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** The checkpoint a walk starts from: the highest-seq cut, or interval checkpoint made at or before `from`. */
  async anchor(category: AuditCategory, from: Date | null): Promise<CheckpointRow | null> {
    const rows = await this.sql<RawCheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints
        WHERE category = $1 AND (kind = 'cut' OR ($2::timestamptz IS NOT NULL AND created_at <= $2))
        ORDER BY seq DESC, kind LIMIT 1`,
      [category, from?.toISOString() ?? null],
    );
    return rows.length > 0 ? checkpointRow(rows[0]) : null;
  }

  /** Up to `limit` records of a chain after `afterSeq`, in chain order. */
  async records(category: AuditCategory, afterSeq: number, limit: number): Promise<ChainRow[]> {
    const rows = await this.sql<RawChainRow>(
      `SELECT category, seq, id, received_at, occurred_at, source, tenant_id, actor_type, actor_id, action,
              resource_type, resource_id, outcome, request_id, trace_id, event, prev_hash, hash, leaf_hash
         FROM audit_events WHERE category = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [category, afterSeq, limit],
    );
    return rows.map((r) => ({
      ...r,
      seq: Number(r.seq),
      received_at: r.received_at.toISOString(),
      occurred_at: r.occurred_at.toISOString(),
    }));
  }

  async checkpointsAfter(category: AuditCategory, afterSeq: number): Promise<CheckpointRow[]> {
    const rows = await this.sql<RawCheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE category = $1 AND seq > $2 ORDER BY seq, kind`,
      [category, afterSeq],
    );
    return rows.map(checkpointRow);
  }

  async latestCheckpoint(category: AuditCategory): Promise<CheckpointRow | null> {
    const rows = await this.sql<RawCheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM audit_checkpoints WHERE category = $1 ORDER BY seq DESC LIMIT 1`,
      [category],
    );
    return rows.length > 0 ? checkpointRow(rows[0]) : null;
  }

  async recordAt(category: AuditCategory, seq: number): Promise<ChainRow | null> {
    const rows = await this.records(category, seq - 1, 1);
    return rows.length > 0 && rows[0].seq === seq ? rows[0] : null;
  }

  /** Stores a checkpoint; a second replica signing the same head is a no-op. */
  async insertCheckpoint(checkpoint: Omit<CheckpointRow, 'id'>): Promise<boolean> {
    const rows = await this.sql<{ id: string }>(
      `INSERT INTO audit_checkpoints (category, seq, hash, kind, created_at, key_id, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (category, seq, kind) DO NOTHING RETURNING id`,
      [
        checkpoint.category,
        checkpoint.seq,
        checkpoint.hash,
        checkpoint.kind,
        checkpoint.created_at,
        checkpoint.key_id,
        checkpoint.signature,
      ],
    );
    return rows.length > 0;
  }
}
