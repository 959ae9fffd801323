import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Req,
} from '@nestjs/common';

import { AnyApiKey, RequireScope, type GuardedRequest } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import { describeMaintenanceWindow } from '../targets/maintenance-window';
import { TargetCatalog } from '../targets/target-catalog';
import { MaintenanceCalendar } from './maintenance-calendar.service';
import type { StoredMaintenanceWindow } from './maintenance-window.repository';
import { maintenanceRequestSchema } from './maintenance-request';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One-off maintenance windows by API: create and delete (scope monitors:write), list (any key). During
 * a window the targets it names (all, without `targets`) raise and resolve no alert and their results do
 * not count in uptime.
 */
@Controller('api/maintenance')
@AnyApiKey()
export class MaintenanceController {
  constructor(
    private readonly calendar: MaintenanceCalendar,
    private readonly catalog: TargetCatalog,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @RequireScope('monitors:write')
  async create(@Body() body: unknown, @Req() request: GuardedRequest) {
    const parsed = maintenanceRequestSchema.safeParse(body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path.join('.') || 'body';
      throw new BadRequestException({
        message: `${where}: ${issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message}`,
      });
    }
    const { start, end, targets, reason } = parsed.data;
    if (Date.parse(end) <= Date.now())
      throw new BadRequestException({ message: 'end: must be in the future', details: { end } });
    const unknown = (targets ?? []).filter((name) => !this.catalog.get(name));
    if (unknown.length > 0)
      throw new BadRequestException({ message: 'targets: unknown target names', details: { unknown } });
    const created = await this.calendar.create({
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      targets: targets ? [...new Set(targets)] : null,
      // Free text: it may name people or carry a secret pasted by mistake.
      reason: redactString(reason),
      createdBy: request.vigilApiKey ?? 'unknown',
    });
    return windowJson(created);
  }

  /** The API's windows that have not ended, and the targets file's global ones. */
  @Get()
  async list() {
    const windows = await this.calendar.upcoming();
    return {
      windows: windows.map(windowJson),
      global: this.calendar.globalWindows().map((w) => ({ window: describeMaintenanceWindow(w) })),
    };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequireScope('monitors:write')
  async remove(@Param('id') id: string, @Req() request: GuardedRequest): Promise<void> {
    if (!UUID.test(id) || !(await this.calendar.remove(id, request.vigilApiKey ?? 'unknown')))
      throw new NotFoundException({ message: 'no maintenance window has this id' });
  }
}

function windowJson(window: StoredMaintenanceWindow) {
  return {
    id: window.id,
    start: window.start,
    end: window.end,
    targets: window.targets,
    reason: window.reason,
    created_by: window.createdBy,
    created_at: window.createdAt,
  };
}
