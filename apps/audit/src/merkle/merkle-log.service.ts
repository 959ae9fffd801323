import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { AUDIT_CATEGORIES, type AuditCategory } from '../model/audit-category';
import { sqlFromDataSource, type Sql } from '../storage/sql';
import { MerkleLogStore, nodeKey, type MerkleHead } from './merkle-log.store';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  perfectSubtrees,
  subtreeRangeHash,
  type RangeHash,
  type SubtreeId,
} from './rfc6962';
import { appendLeaves, leafData } from './tree-append';

/** Records appended per transaction: bounds one append's lock time and memory. */
const APPEND_CHUNK = 2000;

export interface InclusionAnswer {
  leaf_index: number;
  tree_size: number;
  leaf_hash: Buffer;
  root_hash: Buffer;
  proof: Buffer[];
}

export interface ConsistencyAnswer {
  first: number;
  second: number;
  first_root: Buffer;
  second_root: Buffer;
  proof: Buffer[];
}

/** Thrown when a record the tree needs next is not stored (dropped by retention before it was appended). */
export class MerkleGapError extends Error {}

const sqlOf =
  (manager: EntityManager): Sql =>
  async <Row>(text: string, params: readonly unknown[] = []) =>
    manager.query<Row[]>(text, [...params]);

/**
 * Keeps one RFC 6962 tree per category up to date with the hash chains, beside ingest (never in its
 * transaction): every AUDIT_MERKLE_INTERVAL_MS it appends, in seq order, the records stored since. The
 * first run appends the existing chains from seq 1 (the migration path). Appends to a tree hold the row
 * lock of its audit_merkle_heads row (SKIP LOCKED: a replica finding it taken leaves that tree to the
 * holder), so replicas never append twice; a crash rolls back the chunk and the next run redoes it.
 * Proofs and heads are folds of stored complete subtrees: O(log n) rows read with one query.
 */
@Injectable()
export class MerkleLogService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MerkleLogService.name);
  private readonly store: MerkleLogStore;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
  ) {
    this.store = new MerkleLogStore(sqlFromDataSource(dataSource));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.running = this.catchUp()
        .catch((error: unknown) => this.logger.error({ error: errorMessage(error) }, 'merkle append failed'))
        .finally(() => (this.busy = false));
    }, this.config.AUDIT_MERKLE_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * Appends every stored record not yet in its tree; returns how many leaves were appended. A tree that
   * cannot grow (a gap) is logged and skipped, so it never stalls the other categories' trees.
   */
  async catchUp(): Promise<number> {
    let total = 0;
    for (const category of AUDIT_CATEGORIES) {
      try {
        total += await this.catchUpTree(category);
      } catch (error) {
        if (!(error instanceof MerkleGapError)) throw error;
        this.logger.error({ category, error: error.message }, 'merkle tree cannot grow: record missing');
      }
    }
    return total;
  }

  private async catchUpTree(category: AuditCategory): Promise<number> {
    await this.store.ensureHead(category, EMPTY_ROOT);
    let total = 0;
    for (;;) {
      const appended = await this.appendChunk(category);
      total += appended;
      if (appended < APPEND_CHUNK) return total;
    }
  }

  /** One transaction: the next records of a chain become leaves, with the nodes they complete. */
  private appendChunk(category: AuditCategory): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const store = new MerkleLogStore(sqlOf(manager));
      const head = await store.lockHead(category);
      if (!head) return 0; // another replica is appending to this tree
      const records = await store.leaves(category, head.size, APPEND_CHUNK);
      if (records.length === 0) return 0;
      if (records[0].seq !== head.size + 1) {
        throw new MerkleGapError(
          `the ${category} tree has ${head.size} leaves but the next stored record is seq ${records[0].seq}`,
        );
      }
      const frontierIds = perfectSubtrees(0, head.size);
      const stored = await store.nodes(category, frontierIds);
      const frontier = frontierIds.map((id) => ({ ...id, hash: required(stored, id) }));
      const grown = appendLeaves(
        frontier,
        head.size,
        records.map((r) => ('leafHash' in r ? r.leafHash : leafHash(leafData(r.record)))),
      );
      await store.append(category, grown.nodes, { size: grown.size, root: grown.root });
      return records.length;
    });
  }

  /** The tree's latest size and root. */
  async head(category: AuditCategory): Promise<MerkleHead> {
    return (await this.store.head(category)) ?? { size: 0, root: EMPTY_ROOT };
  }

  /** Category and leaf index of a stored event (leaf index = seq - 1), or null. */
  async leafOf(eventId: string): Promise<{ category: AuditCategory; index: number } | null> {
    const position = await this.store.position(eventId);
    return position ? { category: position.category, index: position.seq - 1 } : null;
  }

  /** The inclusion proof of leaf `index` in the tree of `treeSize` leaves (treeSize <= head size). */
  async inclusion(category: AuditCategory, index: number, treeSize: number): Promise<InclusionAnswer> {
    return this.withNodes(category, (mth) => ({
      leaf_index: index,
      tree_size: treeSize,
      leaf_hash: mth(index, index + 1),
      root_hash: mth(0, treeSize),
      proof: inclusionProof(index, treeSize, mth),
    }));
  }

  /** The root of the tree of its first `size` leaves (size <= head size). */
  async rootAt(category: AuditCategory, size: number): Promise<Buffer> {
    return this.withNodes(category, (mth) => mth(0, size));
  }

  /**
   * Inclusion proofs of many leaves in the tree of `treeSize` leaves (each index < treeSize), built over
   * the complete subtrees all of them need, read with one query: the export proves a page of events so.
   */
  async inclusionProofs(
    category: AuditCategory,
    indexes: readonly number[],
    treeSize: number,
  ): Promise<Buffer[][]> {
    return this.withNodes(category, (mth) => indexes.map((index) => inclusionProof(index, treeSize, mth)));
  }

  /** The consistency proof between two sizes (first <= second <= head size). */
  async consistency(category: AuditCategory, first: number, second: number): Promise<ConsistencyAnswer> {
    return this.withNodes(category, (mth) => ({
      first,
      second,
      first_root: mth(0, first),
      second_root: mth(0, second),
      proof: consistencyProof(first, second, mth),
    }));
  }

  /** `count` stored hashes of one Merkle level from node `from` (a tile's content); fewer if not all exist. */
  async levelHashes(category: AuditCategory, level: number, from: number, count: number): Promise<Buffer[]> {
    return this.store.levelRange(category, level, from, count);
  }

  /** The leaf bytes of leaves [from, from + count) still stored (retention may have dropped older ones). */
  async leafBytes(category: AuditCategory, from: number, count: number): Promise<Buffer[]> {
    const records = await this.store.records(category, from, count);
    return records.filter((r, i) => r.seq === from + i + 1).map((r) => leafData(r));
  }

  /**
   * Runs `build` twice: first over placeholder hashes to learn which complete subtrees it needs, then
   * over those subtrees read in one query. Stored subtrees never change, so no snapshot is needed.
   */
  private async withNodes<T>(category: AuditCategory, build: (mth: RangeHash) => T): Promise<T> {
    const wanted = new Map<string, SubtreeId>();
    build(
      subtreeRangeHash((id) => {
        wanted.set(nodeKey(id), id);
        return EMPTY_ROOT;
      }),
    );
    const stored = await this.store.nodes(category, [...wanted.values()]);
    return build(subtreeRangeHash((id) => required(stored, id)));
  }
}

function required(nodes: ReadonlyMap<string, Buffer>, id: SubtreeId): Buffer {
  const hash = nodes.get(nodeKey(id));
  if (!hash) throw new Error(`merkle node ${nodeKey(id)} is missing`);
  return hash;
}
