import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A stored detection of an admin-misuse rule, with the event it fired on. */
export interface ListedDetection {
  rule: string;
  severity: string;
  event_id: string;
  actor_id: string;
  occurred_at: string;
  detected_at: string;
  tenant_id: string | null;
  summary: string;
}

export interface DetectionFilters {
  rule?: string;
  from?: string;
  to?: string;
  limit: number;
}

/** Position after the last detection of a page (newest first by occurred_at, then event id, then rule). */
export interface DetectionCursor {
  occurred_at: string;
  event_id: string;
  rule: string;
}

interface Row extends Omit<ListedDetection, 'occurred_at' | 'detected_at'> {
  occurred_at: Date;
  detected_at: Date;
}

/** Reads of audit_detections for the detections list (its occurred_at index orders them); no rule lives here. */
@Injectable()
export class DetectionQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(filters: DetectionFilters, after: DetectionCursor | undefined): Promise<ListedDetection[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filters.rule) add((p) => `rule = ${p}`, filters.rule);
    if (filters.from) add((p) => `occurred_at >= ${p}`, filters.from);
    if (filters.to) add((p) => `occurred_at < ${p}`, filters.to);
    if (after) {
      params.push(after.occurred_at, after.event_id, after.rule);
      const n = params.length;
      where.push(`(occurred_at, event_id, rule) < ($${n - 2}::timestamptz, $${n - 1}::uuid, $${n})`);
    }
    params.push(filters.limit);
    const rows: Row[] = await this.dataSource.query(
      `SELECT rule, severity, event_id, actor_id, occurred_at, detected_at, tenant_id, summary
         FROM audit_detections ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY occurred_at DESC, event_id DESC, rule DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      ...r,
      occurred_at: r.occurred_at.toISOString(),
      detected_at: r.detected_at.toISOString(),
    }));
  }
}
