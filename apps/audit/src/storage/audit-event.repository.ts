import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { AuditEventV1, SummaryRequestV1 } from '@vigil/contracts';
import { databaseReachable } from '@vigil/platform';

import { categoryOf, type AuditCategory } from '../model/audit-category';
import { canonicalJson } from '../model/canonical-json';
import { GENESIS_HASH, indexedColumns, leafHashOfText, linkHashOfText, linkText } from '../model/hash-chain';

interface PreparedEvent {
  event: AuditEventV1;
  category: AuditCategory;
  /** The event's canonical JSON: what the chain hashes and what is stored as the event column. */
  canonical: string;
  /** Its position in the appended batch. */
  index: number;
}

export interface AppendResult {
  /** The events newly stored, in chain order. */
  appended: AppendedEvent[];
  /** Input indexes of later copies of an id whose content differs from its stored first copy. */
  conflicts: number[];
}

export interface AppendedEvent {
  event: AuditEventV1;
  category: AuditCategory;
  seq: number;
}

interface ChainHeadRow {
  category: AuditCategory;
  seq: string;
  hash: Buffer;
  received_at: Date | null;
}

const monthIndex = (at: Date) => at.getUTCFullYear() * 12 + at.getUTCMonth();

function monthKey(category: AuditCategory, at: Date): string {
  return `${category}:${at.getUTCFullYear()}-${at.getUTCMonth()}`;
}

/** All SQL of the audit trail's write path and simple reads; no business rule lives here. */
@Injectable()
export class AuditEventRepository {
  /** Monthly partitions known to exist (created on demand by audit_ensure_partition). */
  private readonly partitions = new Set<string>();
  /** Chains whose audit_chain_heads row is known to exist. */
  private readonly heads = new Set<AuditCategory>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends the new events of a batch to their chains in one transaction. The first copy of an id wins:
   * a later copy (in this batch, or of an id stored before) is not stored again, and is reported in
   * `conflicts` when its content differs from the stored copy's (jsonb equality: key order and
   * number spelling do not count). Appends to a chain are serialised by the row lock on its
   * audit_chain_heads row, taken in category order.
   *
   * This is the ingest hot path, so it is raw parameterised SQL and keeps the lock short: each event's
   * canonical JSON is prepared before the transaction, and under the lock only the links are hashed and
   * one statement writes the rows and moves the head. Copies cost one more statement, only when present.
   */
  async appendBatch(
    events: readonly AuditEventV1[],
    clock: () => Date = () => new Date(),
  ): Promise<AppendResult> {
    const firsts: PreparedEvent[] = [];
    const laterCopies: PreparedEvent[] = [];
    const seen = new Set<string>();
    events.forEach((event, index) => {
      const prepared = { event, category: categoryOf(event), canonical: canonicalJson(event), index };
      if (seen.has(event.id)) laterCopies.push(prepared);
      else {
        seen.add(event.id);
        firsts.push(prepared);
      }
    });
    if (firsts.length === 0) return { appended: [], conflicts: [] };
    const categories = [...new Set(firsts.map((c) => c.category))].sort();
    // One received_at for the batch, taken before the chain lock so the ids insert can run outside it.
    const receivedAt = clock();
    const received_at = receivedAt.toISOString();
    await this.ensurePartitions(categories, [receivedAt, new Date(receivedAt.getTime() + 5 * 60_000)]);
    await this.ensureHeads(categories);

    return this.dataSource.transaction(async (manager) => {
      // Ids already stored are skipped (exactly-once); sorted so that two writers inserting the same ids
      // wait on them in the same order. audit_event_ids keeps the row's partition key (category,
      // received_at), so GET /audit/events/:id needs no second uuid index on audit_events.
      const sorted = [...firsts].sort((a, b) => (a.event.id < b.event.id ? -1 : 1));
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO audit_event_ids (id, category, received_at)
         SELECT id, category, $3::timestamptz FROM unnest($1::uuid[], $2::text[]) AS t(id, category)
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [sorted.map((c) => c.event.id), sorted.map((c) => c.category), received_at],
      );
      const fresh = new Set(inserted.map((r) => r.id));
      const appended = await this.appendFresh(manager, firsts, fresh, receivedAt);
      // Every copy that was not stored just now: compared with the stored copy (possibly stored above).
      const duplicates = [...firsts.filter((c) => !fresh.has(c.event.id)), ...laterCopies];
      return { appended, conflicts: await this.conflicting(manager, duplicates) };
    });
  }

  private async appendFresh(
    manager: EntityManager,
    prepared: readonly PreparedEvent[],
    fresh: ReadonlySet<string>,
    receivedAt: Date,
  ): Promise<AppendedEvent[]> {
    const chains = [...new Set(prepared.filter((c) => fresh.has(c.event.id)).map((c) => c.category))].sort();
    if (chains.length === 0) return [];
    // Lock the chains in category order (ORDER BY sorts before FOR UPDATE locks, so two writers never
    // wait on each other crosswise). Only hashing and one statement per chain happen under the lock.
    const heads: ChainHeadRow[] = await manager.query(
      `SELECT category, seq, hash, received_at FROM audit_chain_heads WHERE category = ANY($1::text[])
        ORDER BY category FOR UPDATE`,
      [chains],
    );
    const appended: AppendedEvent[] = [];
    for (const head of heads) {
      const batch = prepared.filter((c) => c.category === head.category && fresh.has(c.event.id));
      const stamp = await this.stampNotBeforeHeadMonth(manager, head, receivedAt, batch);
      appended.push(...(await this.appendToChain(manager, head, batch, stamp)));
    }
    return appended;
  }

  /** Input indexes of the copies whose content differs from the stored copy of their id. */
  private async conflicting(manager: EntityManager, copies: readonly PreparedEvent[]): Promise<number[]> {
    if (copies.length === 0) return [];
    // A stored copy already dropped by retention cannot be compared: such a copy counts as a duplicate.
    const rows: { index: number }[] = await manager.query(
      `SELECT c.index FROM unnest($1::uuid[], $2::text[], $3::int[]) AS c(id, event, index)
         JOIN audit_event_ids AS i ON i.id = c.id
         JOIN audit_events AS e ON e.category = i.category AND e.received_at = i.received_at AND e.id = c.id
        WHERE e.event <> c.event::jsonb`,
      [copies.map((c) => c.event.id), copies.map((c) => c.canonical), copies.map((c) => c.index)],
    );
    return rows.map((r) => Number(r.index)).sort((a, b) => a - b);
  }

  private async appendToChain(
    manager: EntityManager,
    head: ChainHeadRow,
    batch: readonly PreparedEvent[],
    received_at: string,
  ): Promise<AppendedEvent[]> {
    const { category } = head;
    let seq = Number(head.seq);
    let prevHash = head.hash;
    const rows: string[] = [];
    const appended: AppendedEvent[] = [];
    for (const { event, canonical } of batch) {
      seq += 1;
      const text = linkText({ category, seq, id: event.id, received_at }, canonical);
      const hash = linkHashOfText(prevHash, text);
      const columns = JSON.stringify({
        category,
        seq,
        id: event.id,
        received_at,
        ...indexedColumns(event),
        prev_hash: prevHash.toString('hex'),
        hash: hash.toString('hex'),
        // The record's Merkle leaf, hashed here from the text already built for the link, so the tree job
        // reads 32 bytes per record instead of re-reading and re-canonicalising every event.
        leaf_hash: leafHashOfText(text).toString('hex'),
      });
      // The event's canonical text is already JSON: splice it in rather than serialising the event again.
      rows.push(`${columns.slice(0, -1)},"event":${canonical}}`);
      appended.push({ event, category, seq });
      prevHash = hash;
    }
    await manager.query(
      `WITH appended AS (
         INSERT INTO audit_events (category, seq, id, received_at, occurred_at, source, tenant_id, actor_type,
                actor_id, action, resource_type, resource_id, outcome, request_id, trace_id, event, prev_hash, hash, leaf_hash)
         SELECT r.category, r.seq, r.id, r.received_at, r.occurred_at, r.source, r.tenant_id, r.actor_type,
                r.actor_id, r.action, r.resource_type, r.resource_id, r.outcome, r.request_id, r.trace_id, r.event,
                decode(r.prev_hash, 'hex'), decode(r.hash, 'hex'), decode(r.leaf_hash, 'hex')
           FROM jsonb_to_recordset($1::jsonb) AS r(category text, seq bigint, id uuid, received_at timestamptz,
                occurred_at timestamptz, source text, tenant_id text, actor_type text, actor_id text, action text,
                resource_type text, resource_id text, outcome text, request_id text, trace_id text, event jsonb,
                prev_hash text, hash text, leaf_hash text)
       )
       UPDATE audit_chain_heads SET seq = $3, hash = $4, received_at = greatest(received_at, $5::timestamptz)
        WHERE category = $2`,
      [`[${rows.join(',')}]`, category, seq, prevHash, received_at],
    );
    return appended;
  }

  /**
   * The batch's received_at, unless it lost the race for the lock to a batch stamped in a later month
   * (a stamp just before a month boundary, or a replica's clock behind): then the records take the head's
   * received_at, so a higher seq never lands in an earlier month partition (retention drops whole months
   * and cuts the chain at the highest seq it drops). Rare, so the ids rows are simply restamped.
   */
  private async stampNotBeforeHeadMonth(
    manager: EntityManager,
    head: ChainHeadRow,
    receivedAt: Date,
    batch: readonly PreparedEvent[],
  ): Promise<string> {
    if (!head.received_at || monthIndex(receivedAt) >= monthIndex(head.received_at)) {
      return receivedAt.toISOString();
    }
    const stamp = head.received_at.toISOString();
    await manager.query(`UPDATE audit_event_ids SET received_at = $2 WHERE id = ANY($1::uuid[])`, [
      batch.map((c) => c.event.id),
      stamp,
    ]);
    return stamp;
  }

  /** Creates the head rows of chains not seen yet by this process (heads are never deleted). */
  private async ensureHeads(categories: readonly AuditCategory[]): Promise<void> {
    for (const category of categories) {
      if (this.heads.has(category)) continue;
      await this.dataSource.query(
        `INSERT INTO audit_chain_heads (category, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`,
        [category, GENESIS_HASH],
      );
      this.heads.add(category);
    }
  }

  /** Creates missing monthly partitions, each in its own short transaction (outside any batch). */
  /** Whether Postgres answers a trivial query now (an outage, as opposed to a refused batch). */
  reachable(): Promise<boolean> {
    return databaseReachable(this.dataSource);
  }

  async ensurePartitions(categories: readonly AuditCategory[], instants: readonly Date[]): Promise<void> {
    for (const category of categories) {
      for (const at of instants) {
        const key = monthKey(category, at);
        if (this.partitions.has(key)) continue;
        await this.dataSource.query(`SELECT audit_ensure_partition($1, $2::timestamptz)`, [
          category,
          at.toISOString(),
        ]);
        this.partitions.add(key);
      }
    }
  }

  async countsBetween(
    request: SummaryRequestV1,
  ): Promise<{ action: string; outcome: string; count: number }[]> {
    const rows: { action: string; outcome: string; count: string }[] = await this.dataSource.query(
      `SELECT action, outcome, count(*) AS count FROM audit_events
        WHERE occurred_at >= $1 AND occurred_at < $2 AND ($3::text IS NULL OR tenant_id = $3)
        GROUP BY action, outcome`,
      [request.from, request.to, request.tenant_id ?? null],
    );
    return rows.map((r) => ({ action: r.action, outcome: r.outcome, count: Number(r.count) }));
  }

  /** Events by admin actor, and admin accesses to `sensitiveTypes`, by admin, in the period. */
  async adminActivityBetween(
    request: SummaryRequestV1,
    sensitiveTypes: readonly string[],
  ): Promise<{ actor_id: string; events: number; sensitive: number }[]> {
    const rows: { actor_id: string; events: string; sensitive: string }[] = await this.dataSource.query(
      `SELECT actor_id, count(*) AS events, count(*) FILTER (WHERE resource_type = ANY($4::text[])) AS sensitive
         FROM audit_events
        WHERE actor_type = 'admin' AND occurred_at >= $1 AND occurred_at < $2
          AND ($3::text IS NULL OR tenant_id = $3)
        GROUP BY actor_id`,
      [request.from, request.to, request.tenant_id ?? null, [...sensitiveTypes]],
    );
    return rows.map((r) => ({
      actor_id: r.actor_id,
      events: Number(r.events),
      sensitive: Number(r.sensitive),
    }));
  }

  async detectionsBetween(request: SummaryRequestV1): Promise<{ rule: string; count: number }[]> {
    const rows: { rule: string; count: string }[] = await this.dataSource.query(
      `SELECT rule, count(*) AS count FROM audit_detections
        WHERE occurred_at >= $1 AND occurred_at < $2 AND ($3::text IS NULL OR tenant_id = $3)
        GROUP BY rule`,
      [request.from, request.to, request.tenant_id ?? null],
    );
    return rows.map((r) => ({ rule: r.rule, count: Number(r.count) }));
  }
}
