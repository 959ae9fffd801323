import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

import {
  AUDIT_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
  type AuditSummaryReplyV1,
  type SummaryRequestV1,
} from '@vigil/contracts';
import { NatsMessaging } from '@vigil/platform';

import { AuditEventRepository } from '../storage/audit-event.repository';

/** Answers audit.v1.summary for the reporting service. */
@Injectable()
export class AuditSummaryResponder implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: NatsMessaging,
    private readonly repository: AuditEventRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.messaging.serve(AUDIT_SUMMARY_SUBJECT, summaryRequestV1Schema, (request) => this.summarise(request));
  }

  async summarise(request: SummaryRequestV1): Promise<AuditSummaryReplyV1> {
    const rows = await this.repository.countsBetween(request);
    const by_action: Record<string, number> = {};
    const by_outcome: Record<string, number> = {};
    for (const row of rows) {
      by_action[row.action] = (by_action[row.action] ?? 0) + row.count;
      by_outcome[row.outcome] = (by_outcome[row.outcome] ?? 0) + row.count;
    }
    const total_events = rows.reduce((sum, row) => sum + row.count, 0);
    return { from: request.from, to: request.to, total_events, by_action, by_outcome };
  }
}
