import { Controller, Get, Header } from '@nestjs/common';

import { renderStatusPage } from '../status/status-page';
import { StatusViewService, type StatusView } from '../status/status-view.service';

/**
 * Current state of every configured target, in file order, with uptime over 24h/7d/30d, recent
 * response times and incidents: as JSON and as a server-rendered HTML page. URLs are redacted.
 */
@Controller()
export class StatusController {
  constructor(private readonly status: StatusViewService) {}

  @Get('api/status')
  json(): Promise<StatusView> {
    return this.status.view();
  }

  @Get('status')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
  async page(): Promise<string> {
    return renderStatusPage(await this.status.view());
  }
}
