import { BadRequestException, Body, Controller, Get, HttpCode, Post } from '@nestjs/common';

import { AlertService } from '../alerts/alert.service';
import { toGettableAlert, type GettableAlert } from './gettable-alert';
import { parsePostableAlerts } from './postable-alerts';

/** Alertmanager API v2 `/alerts`: what Prometheus posts to and what amtool lists. */
@Controller('api/v2/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertService) {}

  /** Answers 200 with an empty body once every alert is stored, as Alertmanager does. */
  @Post()
  @HttpCode(200)
  async post(@Body() body: unknown): Promise<void> {
    const parsed = parsePostableAlerts(body);
    if (!parsed.ok) {
      const [first] = parsed.problems;
      throw new BadRequestException({
        message: `invalid alerts: ${first.path}: ${first.message}`,
        details: parsed.problems,
      });
    }
    await this.alerts.receive(parsed.alerts, 'api');
  }

  /** Alerts firing now. Filters (silenced, inhibited, matchers) come with silences and routing. */
  @Get()
  async list(): Promise<GettableAlert[]> {
    return (await this.alerts.firing()).map(toGettableAlert);
  }
}
