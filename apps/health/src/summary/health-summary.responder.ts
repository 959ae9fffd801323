import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

import {
  HEALTH_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
  type HealthSummaryReplyV1,
  type SummaryRequestV1,
} from '@vigil/contracts';
import { NatsMessaging } from '@vigil/platform';

import { CheckHistoryRepository } from '../history/check-history.repository';
import { TargetStateService } from '../state/target-state.service';

/** Answers health.v1.summary for the reporting service: current status and uptime per target over the window. */
@Injectable()
export class HealthSummaryResponder implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: NatsMessaging,
    private readonly states: TargetStateService,
    private readonly repository: CheckHistoryRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.messaging.serve(HEALTH_SUMMARY_SUBJECT, summaryRequestV1Schema, (request) =>
      this.summarise(request),
    );
  }

  async summarise(request: SummaryRequestV1): Promise<HealthSummaryReplyV1> {
    const snapshot = this.states.snapshot();
    const uptime = new Map(
      (
        await this.repository.uptimeBetween(
          snapshot.map((s) => s.target.name),
          request.from,
          request.to,
        )
      ).map((u) => [u.target, u]),
    );
    return {
      from: request.from,
      to: request.to,
      targets: snapshot.map(({ target, state }) => {
        const counts = uptime.get(target.name);
        const checks = counts?.checks ?? 0;
        return {
          name: target.name,
          status: state.status,
          uptime_pct: checks === 0 ? null : Math.round((10_000 * (counts?.successes ?? 0)) / checks) / 100,
          checks,
        };
      }),
    };
  }
}
