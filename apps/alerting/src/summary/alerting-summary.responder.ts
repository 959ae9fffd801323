import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

import {
  ALERTING_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
  type AlertingSummaryReplyV1,
  type SummaryRequestV1,
} from '@vigil/contracts';
import { NatsMessaging } from '@vigil/platform';

import { AlertRepository } from '../alerts/alert.repository';
import { NotificationRepository } from '../delivery/notification.repository';

/** Answers alerting.v1.summary for the reporting service. */
@Injectable()
export class AlertingSummaryResponder implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: NatsMessaging,
    private readonly alerts: AlertRepository,
    private readonly notifications: NotificationRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.messaging.serve(ALERTING_SUMMARY_SUBJECT, summaryRequestV1Schema, (request) =>
      this.summarise(request),
    );
  }

  /** Alerts active in the window by severity; notifications delivered or given up on in the window. */
  async summarise(request: SummaryRequestV1): Promise<AlertingSummaryReplyV1> {
    const [bySeverity, finished] = await Promise.all([
      this.alerts.countBySeverity(request),
      this.notifications.countFinished(request),
    ]);
    const by_severity = Object.fromEntries(bySeverity.map((row) => [row.severity, row.count]));
    const total_alerts = bySeverity.reduce((sum, row) => sum + row.count, 0);
    return { from: request.from, to: request.to, total_alerts, by_severity, ...finished };
  }
}
