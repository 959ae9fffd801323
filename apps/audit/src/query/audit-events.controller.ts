import { BadRequestException, Controller, Get, Query } from '@nestjs/common';

import { AuditEventRepository } from '../storage/audit-event.repository';

const MAX_LIMIT = 500;

/** Read side of the trail: the newest stored events (already redacted at ingest). */
@Controller('audit/events')
export class AuditEventsController {
  constructor(private readonly repository: AuditEventRepository) {}

  @Get()
  async newest(@Query('limit') limit = '50') {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
      throw new BadRequestException({
        message: `limit must be an integer from 1 to ${MAX_LIMIT}`,
        details: { limit },
      });
    }
    const events = await this.repository.newest(n);
    return { events, count: events.length };
  }
}
