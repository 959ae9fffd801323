import { BadRequestException, Controller, Get, Query, Req } from '@nestjs/common';
import { z } from 'zod';

import { isoDateTimeSchema } from '@vigil/contracts';
import { RequireScope, type GuardedRequest } from '@vigil/platform';

import { ReadTrail } from '../read-trail/read-trail';
import { DetectionQueryRepository, type DetectionCursor } from './detection-query.repository';

const detectionQuerySchema = z.strictObject({
  rule: z.string().min(1).max(128).optional(),
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500, 'limit must be an integer from 1 to 500').default(50),
  cursor: z.string().max(300).optional(),
});

const cursorSchema = z.strictObject({ o: isoDateTimeSchema, e: z.uuid(), r: z.string().min(1).max(128) });

function encodeCursor(cursor: DetectionCursor): string {
  return Buffer.from(JSON.stringify({ o: cursor.occurred_at, e: cursor.event_id, r: cursor.rule })).toString(
    'base64url',
  );
}

function decodeCursor(text: string): DetectionCursor | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return parsed.success
      ? { occurred_at: parsed.data.o, event_id: parsed.data.e, rule: parsed.data.r }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the admin-misuse detectors found (audit_detections), newest first, each naming its event
 * (`GET /audit/events/:id`). Scope audit:read; each page is a read of audit data and audited as one
 * (`audit.events.read`, resource `audit_detections`).
 */
@Controller('audit/detections')
@RequireScope('audit:read')
export class DetectionsController {
  constructor(
    private readonly repository: DetectionQueryRepository,
    private readonly reads: ReadTrail,
  ) {}

  @Get()
  async list(@Req() request: GuardedRequest, @Query() raw: Record<string, unknown>) {
    const parsed = detectionQuerySchema.safeParse(raw);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`)
        .join('; ');
      throw new BadRequestException({ message, details: raw });
    }
    const { cursor: cursorText, ...filters } = parsed.data;
    const cursor = cursorText === undefined ? undefined : decodeCursor(cursorText);
    if (cursorText !== undefined && !cursor) {
      throw new BadRequestException({
        message: 'cursor is not one this API issued',
        details: { cursor: cursorText },
      });
    }
    const detections = await this.repository.page(filters, cursor);
    const last = detections[detections.length - 1];
    const next_cursor = detections.length === filters.limit && last ? encodeCursor(last) : null;
    await this.reads.record(request, {
      kind: 'list',
      resource: { type: 'audit_detections', id: 'search' },
      filters: { ...filters, ...(cursorText === undefined ? {} : { next_page: true }) },
      count: detections.length,
    });
    return { detections, count: detections.length, next_cursor };
  }
}
