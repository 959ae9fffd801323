import type { IncomingMessage, ServerResponse } from 'node:http';

import { All, Controller, Param, Req, Res } from '@nestjs/common';

import { Public } from '@vigil/platform';

import { PingIntake, PUBLIC_REASON } from './ping-intake';

/**
 * The ping routes as Nest declares them. Most pings are served ahead of Express by the fast routes below
 * (ping-fast-routes.ts); what they leave (another method, an odd path spelling) arrives here.
 */
@Controller()
export class PingController {
  constructor(private readonly intake: PingIntake) {}

  @Public(PUBLIC_REASON)
  @All(['ping/:token', 'ping/:token/:action'])
  ping(
    @Param('token') token: string,
    @Param('action') action: string | undefined,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.intake.ping(token, action, req, res);
  }

  @Public(PUBLIC_REASON)
  @All('api/push/:token')
  push(
    @Param('token') token: string,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ): Promise<void> {
    return this.intake.push(token, req, res);
  }
}
