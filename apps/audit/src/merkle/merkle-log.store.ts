import type { AuditEventV1 } from '@vigil/contracts';

import type { AuditCategory } from '../model/audit-category';
import type { Sql } from '../storage/sql';
import type { SubtreeId } from './rfc6962';

export interface MerkleHead {
  size: number;
  root: Buffer;
}

export interface StoredNode extends SubtreeId {
  hash: Buffer;
}

/** A chain record as its leaf commits to it (the fields the hash chain hashes). */
export interface LeafRecord {
  category: AuditCategory;
  seq: number;
  id: string;
  received_at: string;
  event: AuditEventV1;
}

/** A record as the tree job needs it: its leaf hash when ingest stored one, else the record to hash. */
export type StoredLeaf = { seq: number; leafHash: Buffer } | { seq: number; record: LeafRecord };

const nodeKey = (id: SubtreeId) => `${id.level}:${id.index}`;

/** SQL of the Merkle trees (audit_merkle_nodes, audit_merkle_heads); no tree rule lives here. */
export class MerkleLogStore {
  constructor(private readonly sql: Sql) {}

  async head(category: AuditCategory): Promise<MerkleHead | null> {
    const rows = await this.sql<{ size: string; root: Buffer }>(
      `SELECT size, root FROM audit_merkle_heads WHERE category = $1`,
      [category],
    );
    return rows[0] ? { size: Number(rows[0].size), root: rows[0].root } : null;
  }

  async ensureHead(category: AuditCategory, emptyRoot: Buffer): Promise<void> {
    await this.sql(
      `INSERT INTO audit_merkle_heads (category, size, root) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`,
      [category, emptyRoot],
    );
  }

  /** The head, row-locked for an append; null while another appender holds it (inside a transaction). */
  async lockHead(category: AuditCategory): Promise<MerkleHead | null> {
    const rows = await this.sql<{ size: string; root: Buffer }>(
      `SELECT size, root FROM audit_merkle_heads WHERE category = $1 FOR UPDATE SKIP LOCKED`,
      [category],
    );
    return rows[0] ? { size: Number(rows[0].size), root: rows[0].root } : null;
  }

  /** The complete subtrees asked for, by "level:index"; one indexed query whatever their number. */
  async nodes(category: AuditCategory, ids: readonly SubtreeId[]): Promise<Map<string, Buffer>> {
    if (ids.length === 0) return new Map();
    const rows = await this.sql<{ level: number; node_index: string; hash: Buffer }>(
      `SELECT n.level, n.node_index, n.hash FROM audit_merkle_nodes AS n
         JOIN unnest($2::smallint[], $3::bigint[]) AS w(level, node_index)
           ON n.level = w.level AND n.node_index = w.node_index
        WHERE n.category = $1`,
      [category, ids.map((i) => i.level), ids.map((i) => i.index)],
    );
    return new Map(rows.map((r) => [nodeKey({ level: r.level, index: Number(r.node_index) }), r.hash]));
  }

  /**
   * The leaf hashes of up to `limit` records of a chain after `afterSeq`, in chain order: the stored
   * leaf_hash, or for a record stored before ingest wrote one, its event to hash (LeafRecord).
   */
  async leaves(category: AuditCategory, afterSeq: number, limit: number): Promise<StoredLeaf[]> {
    const rows = await this.sql<{
      seq: string;
      id: string;
      received_at: Date;
      leaf_hash: Buffer | null;
      event: AuditEventV1 | null;
    }>(
      `SELECT seq, id, received_at, leaf_hash, CASE WHEN leaf_hash IS NULL THEN event END AS event
         FROM audit_events WHERE category = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [category, afterSeq, limit],
    );
    return rows.map((r) => {
      const seq = Number(r.seq);
      if (r.leaf_hash !== null) return { seq, leafHash: r.leaf_hash };
      const record = {
        category,
        seq,
        id: r.id,
        received_at: r.received_at.toISOString(),
        event: r.event as AuditEventV1,
      };
      return { seq, record };
    });
  }

  /** Stores the new nodes of an append and moves the head, in the caller's transaction. */
  async append(category: AuditCategory, nodes: readonly StoredNode[], head: MerkleHead): Promise<void> {
    await this.sql(
      `INSERT INTO audit_merkle_nodes (category, level, node_index, hash)
       SELECT $1, level, node_index, hash FROM unnest($2::smallint[], $3::bigint[], $4::bytea[])
           AS t(level, node_index, hash)`,
      [category, nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)],
    );
    await this.sql(
      `UPDATE audit_merkle_heads SET size = $2, root = $3, updated_at = now() WHERE category = $1`,
      [category, head.size, head.root],
    );
  }

  /** The category and seq of a stored event, or null. */
  async position(eventId: string): Promise<{ category: AuditCategory; seq: number } | null> {
    const rows = await this.sql<{ category: AuditCategory; seq: string }>(
      `SELECT e.category, e.seq FROM audit_event_ids AS i
         JOIN audit_events AS e ON e.category = i.category AND e.received_at = i.received_at AND e.id = i.id
        WHERE i.id = $1`,
      [eventId],
    );
    return rows[0] ? { category: rows[0].category, seq: Number(rows[0].seq) } : null;
  }
}

export { nodeKey };
