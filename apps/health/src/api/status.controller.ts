import { Controller, Get, Header } from '@nestjs/common';

import { Public } from '@vigil/platform';

import { renderStatusPage } from '../status/status-page';
import { StatusViewService, type StatusView } from '../status/status-view.service';

/**
 * Current state of every configured target, in file order, with uptime over 24h/7d/30d, recent
 * response times and incidents: as JSON and as a server-rendered HTML page. URLs are redacted.
 * Public: a status page is read by people in a browser, which cannot send a bearer key; it shows
 * target names, states and redacted URLs only (put it behind the ingress' login if that is too much).
 */
@Controller()
@Public('the status page, read by people in browsers; target names, states and redacted URLs only')
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
