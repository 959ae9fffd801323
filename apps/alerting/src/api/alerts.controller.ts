import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';

import { AnyApiKey, RequireScope } from '@vigil/platform';

import { AlertService } from '../alerts/alert.service';
import { groupKeyOf, groupLabelsOf } from '../routing/routing-config';
import { alertFilterOf, passes, requiredLabelsOf } from './alert-filter';
import { toGettableAlert, type GettableAlert } from './gettable-alert';
import { receivePostedAlerts } from './posted-alerts';
import type { QueryParams } from './query-params';

/** Alertmanager's alertGroup. */
export interface AlertGroup {
  labels: Record<string, string>;
  receiver: { name: string };
  alerts: GettableAlert[];
}

/**
 * Alertmanager API v2 `/alerts`: what Prometheus posts to (scope alerts:write) and what amtool lists
 * (any valid key).
 */
@Controller('api/v2/alerts')
@AnyApiKey()
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  /** Answers 200 with an empty body once every alert is stored, as Alertmanager does. */
  @Post()
  @HttpCode(200)
  @RequireScope('alerts:write')
  async post(@Body() body: unknown): Promise<void> {
    // Requests with a JSON body are served by PostAlertsRoute ahead of Nest; the same checks apply here.
    await receivePostedAlerts(this.alerts, body);
  }

  /** Alerts firing now, filtered by `active`, `silenced`, `inhibited`, `receiver` and `filter` matchers. */
  @Get()
  async list(@Query() query: QueryParams): Promise<GettableAlert[]> {
    const filter = alertFilterOf(query);
    return (await this.alerts.firing(new Date(), requiredLabelsOf(filter)))
      .filter((view) => passes(filter, view))
      .map(toGettableAlert);
  }

  /** Firing alerts by route group and receiver, with the same filters. */
  @Get('groups')
  async groups(@Query() query: QueryParams): Promise<AlertGroup[]> {
    const filter = alertFilterOf(query);
    const groups = new Map<string, AlertGroup>();
    for (const view of await this.alerts.firing(new Date(), requiredLabelsOf(filter))) {
      if (!passes(filter, view)) continue;
      for (const route of view.routes) {
        if (filter.receiver && !filter.receiver.test(route.receiver)) continue;
        const labels = groupLabelsOf(route, view.alert.labels);
        const key = `${groupKeyOf(route, labels)}|${route.receiver}`;
        const group = groups.get(key) ?? { labels, receiver: { name: route.receiver }, alerts: [] };
        group.alerts.push(toGettableAlert(view));
        groups.set(key, group);
      }
    }
    return [...groups.values()];
  }
}
