import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';

import type { AlertService } from '../alerts/alert.service';
import { parsePostableAlerts } from './postable-alerts';

/**
 * `POST /api/v2/alerts`: validates the body (413 past ALERT_LIMITS.alertsPerPost, 400 naming the first
 * problem) and resolves once every alert is durably accepted. Served by PostAlertsRoute ahead of Nest
 * and by AlertsController for the requests that route leaves to Express.
 */
export async function receivePostedAlerts(alerts: AlertService, body: unknown): Promise<void> {
  const parsed = parsePostableAlerts(body);
  if (!parsed.ok && 'tooMany' in parsed) {
    throw new PayloadTooLargeException({
      message: `invalid alerts: at most ${parsed.tooMany.max} alerts per request (got ${parsed.tooMany.alerts})`,
      details: { max_alerts: parsed.tooMany.max, alerts: parsed.tooMany.alerts },
    });
  }
  if (!parsed.ok) {
    const [first] = parsed.problems;
    throw new BadRequestException({
      message: `invalid alerts: ${first.path}: ${first.message}`,
      details: parsed.problems,
    });
  }
  await alerts.receive(parsed.alerts, 'api');
}
