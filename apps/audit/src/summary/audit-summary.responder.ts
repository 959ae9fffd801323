import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

import {
  AUDIT_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
  type AuditSummaryReplyV1,
  type SummaryRequestV1,
} from '@vigil/contracts';
import { NatsMessaging } from '@vigil/platform';

import { DetectionService } from '../detect/detection.service';
import { LogCheckpointService } from '../merkle/log-checkpoint.service';
import { AuditEventRepository } from '../storage/audit-event.repository';

/** Answers audit.v1.summary for the weekly report, with each Merkle log's latest signed checkpoint. */
@Injectable()
export class AuditSummaryResponder implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: NatsMessaging,
    private readonly repository: AuditEventRepository,
    private readonly detection: DetectionService,
    private readonly checkpoints: LogCheckpointService,
  ) {}

  onApplicationBootstrap(): void {
    this.messaging.serve(AUDIT_SUMMARY_SUBJECT, summaryRequestV1Schema, (request) => this.summarise(request));
  }

  async summarise(request: SummaryRequestV1): Promise<AuditSummaryReplyV1> {
    const [rows, admins, detections, checkpoints] = await Promise.all([
      this.repository.countsBetween(request),
      this.repository.adminActivityBetween(request, this.detection.sensitiveResourceTypes()),
      this.repository.detectionsBetween(request),
      this.checkpoints.latestOfEach(),
    ]);
    const by_action: Record<string, number> = {};
    const by_outcome: Record<string, number> = {};
    let privacy_changes = 0;
    for (const row of rows) {
      by_action[row.action] = (by_action[row.action] ?? 0) + row.count;
      by_outcome[row.outcome] = (by_outcome[row.outcome] ?? 0) + row.count;
      if (row.action.startsWith('privacy.')) privacy_changes += row.count;
    }
    const total_events = rows.reduce((sum, row) => sum + row.count, 0);
    return {
      from: request.from,
      to: request.to,
      total_events,
      by_action,
      by_outcome,
      admin_activity: Object.fromEntries(admins.map((a) => [a.actor_id, a.events])),
      privacy_changes,
      sensitive_access: Object.fromEntries(
        admins.filter((a) => a.sensitive > 0).map((a) => [a.actor_id, a.sensitive]),
      ),
      detections: Object.fromEntries(detections.map((d) => [d.rule, d.count])),
      // The latest now, whatever the period: every recipient keeps a copy a later rewrite cannot match.
      checkpoints: checkpoints.map(({ category, size, root_hash, note, final }) => ({
        category,
        size,
        root_hash,
        note,
        final,
      })),
    };
  }
}
