import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

import { ConsoleRoute, CurrentSession } from '../access/console-route';
import { layout } from '../render/layout';
import { sendPage } from '../render/page-response';
import type { ConsoleSession } from '../session/console-session';
import { UpstreamClient } from '../upstream/upstream.client';
import type { MonitorsAnswer, StatusAnswer } from './health-api';
import { targetBody, targetRows, targetsBody } from './targets-view';

/**
 * Targets and heartbeats (health's `GET /api/status` and `GET /api/heartbeats`, asked together): read-only
 * pages; maintenance windows and monitors stay writes of the health API.
 */
@Controller('targets')
export class TargetsController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get()
  @ConsoleRoute({ service: 'health' })
  async list(@CurrentSession() session: ConsoleSession, @Res() response: Response): Promise<void> {
    const [status, monitors] = await this.fetch(session);
    const body = targetsBody(targetRows(status.targets, monitors.monitors), status.generated_at);
    sendPage(
      response,
      layout({
        title: 'Targets',
        session,
        active: 'targets',
        body,
      }),
    );
  }

  @Get(':name')
  @ConsoleRoute({ service: 'health' })
  async one(
    @CurrentSession() session: ConsoleSession,
    @Param('name') name: string,
    @Res() response: Response,
  ): Promise<void> {
    const [status, monitors] = await this.fetch(session);
    const target = status.targets.find((t) => t.name === name) ?? null;
    const monitor = monitors.monitors.find((m) => m.name === name) ?? null;
    if (target === null && monitor === null)
      throw new NotFoundException({ message: `health knows no target or heartbeat named "${name}"` });
    sendPage(
      response,
      layout({ title: name, session, active: 'targets', body: targetBody(target, monitor) }),
    );
  }

  private fetch(session: ConsoleSession): Promise<[StatusAnswer, MonitorsAnswer]> {
    return Promise.all([
      this.upstream.json<StatusAnswer>(session, 'health', { path: '/api/status' }),
      this.upstream.json<MonitorsAnswer>(session, 'health', { path: '/api/heartbeats' }),
    ]);
  }
}
