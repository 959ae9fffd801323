import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Detection } from './detectors';

/** SQL of audit_detections and the access counts the rate rule needs; no rule lives here. */
@Injectable()
export class DetectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a detection; false when this rule already fired for this event (it is then not re-published). */
  async insert(detection: Detection): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO audit_detections (rule, event_id, severity, actor_id, occurred_at, tenant_id, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING rule`,
      [
        detection.rule,
        detection.event.id,
        detection.severity,
        detection.event.actor.id,
        detection.event.occurred_at,
        detection.event.tenant_id ?? null,
        detection.summary,
      ],
    );
    return rows.length > 0;
  }

  async countAdminAccesses(
    actorId: string,
    resourceTypes: readonly string[],
    since: Date,
    at: Date,
  ): Promise<number> {
    const [row]: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM audit_events
        WHERE actor_type = 'admin' AND actor_id = $1 AND resource_type = ANY($2::text[])
          AND occurred_at > $3 AND occurred_at <= $4`,
      [actorId, [...resourceTypes], since.toISOString(), at.toISOString()],
    );
    return Number(row.n);
  }
}
