import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AuditEventV1 } from '@vigil/contracts';

import type { AuditCategory } from '../model/audit-category';
import type { AuditQuery, PageCursor } from './audit-query';
import { addSearchFilters } from './search-filters';

export interface ListedAuditEvent {
  event: AuditEventV1;
  received_at: string;
  category: AuditCategory;
  seq: number;
}

export interface AuditEventDetail extends ListedAuditEvent {
  prev_hash: string;
  hash: string;
}

interface Row {
  event: AuditEventV1;
  received_at: Date;
  category: AuditCategory;
  seq: string;
  prev_hash: Buffer;
  hash: Buffer;
}

/**
 * What the id filters match: every value an id is stored as (as published, and the blind-index token of
 * each of the subject's keys where it is sealed).
 */
export interface IdFilterValues {
  actor?: readonly string[];
  resource_id?: readonly string[];
}

const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`;

/** Reads of the query API (filters, keyset pagination newest first); no rule lives here. */
@Injectable()
export class AuditQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    query: Omit<AuditQuery, 'cursor' | 'actor' | 'resource_id'>,
    ids: IdFilterValues,
    after: PageCursor | undefined,
  ): Promise<ListedAuditEvent[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (ids.actor) add((p) => `actor_id = ANY(${p}::text[])`, ids.actor);
    if (query.action_prefix) add((p) => `action LIKE ${p}`, likePrefix(query.action_prefix));
    if (query.resource_type) add((p) => `resource_type = ${p}`, query.resource_type);
    if (ids.resource_id) add((p) => `resource_id = ANY(${p}::text[])`, ids.resource_id);
    if (query.outcome) add((p) => `outcome = ${p}`, query.outcome);
    if (query.tenant) add((p) => `tenant_id = ${p}`, query.tenant);
    if (query.from) add((p) => `received_at >= ${p}`, query.from);
    if (query.to) add((p) => `received_at < ${p}`, query.to);
    addSearchFilters(query, add);
    if (after) {
      params.push(after.received_at, after.id);
      where.push(`(received_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(query.limit);
    const rows: Row[] = await this.dataSource.query(
      `SELECT event, received_at, category, seq FROM audit_events
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY received_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      event: r.event,
      received_at: r.received_at.toISOString(),
      category: r.category,
      seq: Number(r.seq),
    }));
  }

  async byId(id: string): Promise<AuditEventDetail | null> {
    const rows: Row[] = await this.dataSource.query(
      // audit_event_ids holds the row's partition key, so this is two primary-key/index lookups.
      `SELECT e.event, e.received_at, e.category, e.seq, e.prev_hash, e.hash
         FROM audit_event_ids AS i
         JOIN audit_events AS e ON e.category = i.category AND e.received_at = i.received_at AND e.id = i.id
        WHERE i.id = $1
        LIMIT 1`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      event: r.event,
      received_at: r.received_at.toISOString(),
      category: r.category,
      seq: Number(r.seq),
      prev_hash: r.prev_hash.toString('hex'),
      hash: r.hash.toString('hex'),
    };
  }
}
