import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Req } from '@nestjs/common';
import { z } from 'zod';

import { RequireScope, type GuardedRequest } from '@vigil/platform';

import { EventSealer } from '../erasure/event-sealer';
import { sealedKeyIds } from '../erasure/personal-fields';
import { ReadTrail } from '../read-trail/read-trail';
import { AuditQueryRepository } from './audit-query.repository';
import { auditQuerySchema, decodeCursor, encodeCursor } from './audit-query';

function badRequest(error: z.ZodError, input: unknown): BadRequestException {
  const message = error.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ');
  return new BadRequestException({ message, details: input });
}

/**
 * Read side of the trail (events were redacted at ingest): filtered, newest first, cursor-paginated.
 * Needs a bearer API key with scope audit:read. Every successful read is itself audited (ReadTrail).
 */
@Controller('audit/events')
@RequireScope('audit:read')
export class AuditEventsController {
  constructor(
    private readonly repository: AuditQueryRepository,
    private readonly reads: ReadTrail,
    private readonly sealer: EventSealer,
  ) {}

  @Get()
  async list(@Req() request: GuardedRequest, @Query() raw: Record<string, unknown>) {
    const parsed = auditQuerySchema.safeParse(raw);
    if (!parsed.success) throw badRequest(parsed.error, raw);
    const { cursor: cursorText, ...query } = parsed.data;
    const { actor, resource_id, ...filters } = query;
    const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
    if (cursorText !== undefined && !cursor) {
      throw new BadRequestException({
        message: 'cursor is not one this API issued',
        details: { cursor: cursorText },
      });
    }
    // Ids may be sealed: a filter matches the id as published and its subject's key tokens (blind index).
    const ids = {
      actor: actor === undefined ? undefined : await this.sealer.searchValues(actor),
      resource_id: resource_id === undefined ? undefined : await this.sealer.searchValues(resource_id),
    };
    const events = await this.sealer.open(await this.repository.page(filters, ids, cursor));
    const last = events[events.length - 1];
    const next_cursor =
      events.length === query.limit && last
        ? encodeCursor({ received_at: last.received_at, id: last.event.id })
        : null;
    await this.reads.record(request, {
      kind: 'list',
      resource: { type: 'audit_events', id: 'search' },
      filters: { ...query, ...(cursorText === undefined ? {} : { next_page: true }) },
      count: events.length,
    });
    return { events, count: events.length, next_cursor };
  }

  @Get(':id')
  async one(@Req() request: GuardedRequest, @Param('id') id: string) {
    if (!z.uuid().safeParse(id).success) {
      throw new BadRequestException({ message: 'id must be a UUID', details: { id } });
    }
    const found = await this.repository.byId(id);
    if (!found) throw new NotFoundException({ message: `no audit event ${id}` });
    const [opened] = await this.sealer.open([found]);
    await this.reads.record(request, {
      kind: 'get',
      resource: { type: 'audit_event', id },
      filters: { id },
      count: 1,
    });
    // The event as hashed into the chain and the Merkle leaf, when it differs from what readers see.
    return sealedKeyIds(found.event).size === 0 ? opened : { ...opened, stored_event: found.event };
  }
}
