import { Injectable } from '@nestjs/common';

import type { FastRoute, RouteAccess } from '@vigil/platform';

import { AlertService } from '../alerts/alert.service';
import { receivePostedAlerts } from './posted-alerts';

/**
 * `POST /api/v2/alerts` served ahead of Express and Nest (@vigil/platform FastRoute): what Prometheus
 * sends all day, where the framework's request path cost more than the alerts (bench/alerting). Same
 * scope, answers and errors as AlertsController.post, which serves what this route leaves to Express.
 */
@Injectable()
export class PostAlertsRoute implements FastRoute {
  readonly method = 'POST';
  readonly path = '/api/v2/alerts';
  readonly access: RouteAccess = { kind: 'scope', scope: 'alerts:write' };
  readonly successStatus = 200;

  constructor(private readonly alerts: AlertService) {}

  handle(body: unknown): Promise<undefined> {
    return receivePostedAlerts(this.alerts, body).then(() => undefined);
  }
}
