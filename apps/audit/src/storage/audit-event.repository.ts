import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { AuditEventV1, SummaryRequestV1 } from '@vigil/contracts';

export interface StoredAuditEvent {
  event: AuditEventV1;
  received_at: string;
}

/** All SQL of the audit_events table; no business rule lives here. */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a batch in one transaction and returns how many rows were new. Raw parameterised SQL:
   * this is the ingest hot path, and ON CONFLICT DO NOTHING is what makes redeliveries harmless.
   */
  async insertBatch(events: readonly AuditEventV1[]): Promise<number> {
    if (events.length === 0) return 0;
    const rows = events.map((e) => ({
      id: e.id,
      occurred_at: e.occurred_at,
      source: e.source,
      tenant_id: e.tenant_id ?? null,
      actor_type: e.actor.type,
      actor_id: e.actor.id,
      action: e.action,
      resource_type: e.resource.type,
      resource_id: e.resource.id,
      outcome: e.outcome,
      request_id: e.request_id ?? null,
      trace_id: e.trace_id ?? null,
      event: e,
    }));
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO audit_events (id, occurred_at, source, tenant_id, actor_type, actor_id, action,
                                   resource_type, resource_id, outcome, request_id, trace_id, event)
         SELECT r.id, r.occurred_at, r.source, r.tenant_id, r.actor_type, r.actor_id, r.action,
                r.resource_type, r.resource_id, r.outcome, r.request_id, r.trace_id, r.event
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, occurred_at timestamptz, source text, tenant_id text,
                actor_type text, actor_id text, action text, resource_type text, resource_id text,
                outcome text, request_id text, trace_id text, event jsonb)
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [JSON.stringify(rows)],
      );
      return inserted.length;
    });
  }

  async newest(limit: number): Promise<StoredAuditEvent[]> {
    const rows: { event: AuditEventV1; received_at: Date }[] = await this.dataSource.query(
      `SELECT event, received_at FROM audit_events ORDER BY received_at DESC, id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ event: r.event, received_at: r.received_at.toISOString() }));
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
}
