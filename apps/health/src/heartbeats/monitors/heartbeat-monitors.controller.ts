import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Req,
} from '@nestjs/common';

import { AnyApiKey, RequireScope, type GuardedRequest } from '@vigil/platform';

import {
  HeartbeatMonitors,
  InvalidMonitorError,
  MonitorConflictError,
  MonitorNotFoundError,
  type HeartbeatMonitorView,
} from './heartbeat-monitors.service';

/**
 * Heartbeat monitors by API: reads with any valid key, create and delete with scope monitors:write. The
 * ping URL holds the monitor's token (whoever has it can ping), so only keys that may write see it.
 */
@Controller('api/heartbeats')
@AnyApiKey()
export class HeartbeatMonitorsController {
  constructor(private readonly monitors: HeartbeatMonitors) {}

  @Post()
  @HttpCode(201)
  @RequireScope('monitors:write')
  async create(@Body() body: unknown): Promise<HeartbeatMonitorView> {
    try {
      return await this.monitors.create(body, true);
    } catch (error) {
      throw translate(error);
    }
  }

  @Get()
  async list(@Req() req: GuardedRequest): Promise<{ monitors: HeartbeatMonitorView[] }> {
    return { monitors: await this.monitors.list(mayWrite(req)) };
  }

  @Get(':name')
  async get(@Param('name') name: string, @Req() req: GuardedRequest): Promise<HeartbeatMonitorView> {
    try {
      return await this.monitors.get(name, mayWrite(req));
    } catch (error) {
      throw translate(error);
    }
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireScope('monitors:write')
  async remove(@Param('name') name: string): Promise<void> {
    try {
      await this.monitors.remove(name);
    } catch (error) {
      throw translate(error);
    }
  }
}

function mayWrite(req: GuardedRequest): boolean {
  return req.vigilPrincipal?.scopes.includes('monitors:write') ?? false;
}

function translate(error: unknown): unknown {
  if (error instanceof InvalidMonitorError)
    return new BadRequestException({ message: error.message, details: error.problem.details });
  if (error instanceof MonitorConflictError) return new ConflictException(error.message);
  if (error instanceof MonitorNotFoundError) return new NotFoundException(error.message);
  return error;
}
