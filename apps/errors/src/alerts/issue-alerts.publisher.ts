import { Injectable, Logger } from '@nestjs/common';

import { ALERT_FIRED_SUBJECT, ALERT_RESOLVED_SUBJECT, type AlertEventV1 } from '@vigil/contracts';
import { errorMessage, NatsMessaging } from '@vigil/platform';

/**
 * Publishes issue alerts. The Nats-Msg-Id (issue, alertname, startsAt, fired|resolved) makes a
 * re-publish within the stream's duplicate window a no-op. A failed publish is logged, not retried:
 * the alert row stays, so resolving the issue still resolves it.
 */
@Injectable()
export class IssueAlertsPublisher {
  private readonly logger = new Logger(IssueAlertsPublisher.name);

  constructor(private readonly messaging: NatsMessaging) {}

  async fire(alert: AlertEventV1): Promise<void> {
    await this.send(ALERT_FIRED_SUBJECT, alert, 'fired');
  }

  async resolve(alert: AlertEventV1, endsAt: Date): Promise<void> {
    await this.send(ALERT_RESOLVED_SUBJECT, { ...alert, endsAt: endsAt.toISOString() }, 'resolved');
  }

  private async send(subject: string, alert: AlertEventV1, phase: string): Promise<void> {
    const { alertname, issue_id } = alert.labels;
    const msgId = `errors:${issue_id}:${alertname}:${alert.startsAt}:${phase}`;
    try {
      await this.messaging.publish(subject, alert, msgId);
      this.logger.warn({ alertname, issue_id, severity: alert.labels.severity, phase }, 'issue alert');
    } catch (error) {
      this.logger.error({ alertname, issue_id, phase, error: errorMessage(error) }, 'alert not published');
    }
  }
}
