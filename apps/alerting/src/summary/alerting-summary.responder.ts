import { Injectable, OnApplicationBootstrap } from '@nestjs/common';

import {
  ALERTING_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
  type AlertingSummaryReplyV1,
  type SummaryRequestV1,
} from '@vigil/contracts';
import { NatsMessaging } from '@vigil/platform';

import { AlertRepository } from '../model/alert.repository';
import { NotificationRepository } from '../delivery/notification.repository';
import { EpisodeRepository } from '../episodes/episode.repository';
import { TopAlertsRepository } from './top-alerts.repository';

const TOP_NOISY = 10;
const TOP_ALERTS = 10;

/** Answers alerting.v1.summary for the reporting service. */
@Injectable()
export class AlertingSummaryResponder implements OnApplicationBootstrap {
  constructor(
    private readonly messaging: NatsMessaging,
    private readonly alerts: AlertRepository,
    private readonly notifications: NotificationRepository,
    private readonly episodes: EpisodeRepository,
    private readonly topAlerts: TopAlertsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.messaging.serve(ALERTING_SUMMARY_SUBJECT, summaryRequestV1Schema, (request) =>
      this.summarise(request),
    );
  }

  /**
   * Alerts active in the window by severity; notifications delivered or given up on in the window;
   * episodes that started in the window: counts by alertname, MTTA, MTTR, false positives, the noisiest,
   * and the top alertnames with their current status (firing, acknowledged or resolved). With
   * `severities` every figure counts only alerts of those severities (the daily P3 digest).
   */
  async summarise(request: SummaryRequestV1): Promise<AlertingSummaryReplyV1> {
    const [bySeverity, finished, stats, top] = await Promise.all([
      this.alerts.countBySeverity(request),
      this.notifications.countFinished(request),
      this.episodes.stats(request),
      this.topAlerts.top(request, TOP_ALERTS),
    ]);
    const by_severity = Object.fromEntries(bySeverity.map((row) => [row.severity, row.count]));
    const total_alerts = bySeverity.reduce((sum, row) => sum + row.count, 0);
    return {
      from: request.from,
      to: request.to,
      total_alerts,
      by_severity,
      ...finished,
      by_alertname: Object.fromEntries(stats.byAlertname.map((r) => [r.alertname, r.count])),
      episodes: stats.episodes,
      acknowledged: stats.acknowledged,
      mtta_s: round(stats.mttaS),
      mttr_s: round(stats.mttrS),
      false_positives: stats.falsePositives,
      false_positive_rate: stats.episodes ? stats.falsePositives / stats.episodes : null,
      top_noisy: stats.byAlertname.slice(0, TOP_NOISY),
      top_alerts: top,
    };
  }
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 1000) / 1000;
}
