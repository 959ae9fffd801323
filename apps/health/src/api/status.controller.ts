import { Controller, Get, Header } from '@nestjs/common';

import { Public } from '@vigil/platform';

import { renderStatusPage } from '../status/status-page';
import { STATUS_SCRIPT } from '../status/status-script';
import { StatusViewService, type StatusView } from '../status/status-view.service';

/** The page's policy: its own script file only (no inline script), inline styles, data: images. */
export const STATUS_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:";

/**
 * Current state of every configured target, in file order, with uptime over 24h/7d/30d and per UTC
 * day over 90 days, recent response times or measured values, and incidents: as JSON and as a
 * server-rendered HTML page. URLs are redacted.
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
  @Header('content-security-policy', STATUS_PAGE_CSP)
  async page(): Promise<string> {
    return renderStatusPage(await this.status.view());
  }

  /** The page's script (times in the reader's zone); the same for every reader, so caches may keep it. */
  @Get('status.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  @Header('x-content-type-options', 'nosniff')
  script(): string {
    return STATUS_SCRIPT;
  }
}
