import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { BadRequestException, Controller, Get, Logger, Query, Req, Res } from '@nestjs/common';
import { z } from 'zod';

import { errorMessage, RequireScope, type GuardedRequest } from '@vigil/platform';

import { AUDIT_CATEGORIES, type AuditCategory } from '../model/audit-category';
import { auditQuerySchema } from '../query/audit-query';
import { ReadTrail } from '../read-trail/read-trail';
import { AuditExportService } from './audit-export.service';

/** The filters of GET /audit/events (no page size or cursor: an export is the whole search). */
const exportQuerySchema = auditQuerySchema.omit({ limit: true, cursor: true }).extend({
  format: z.literal('ndjson', { error: 'format must be ndjson' }),
  /** `<category>:<size>[,…]`: consistency proofs from these older sizes to the exported checkpoints. */
  consistency_from: z
    .string()
    .regex(
      new RegExp(`^(${AUDIT_CATEGORIES.join('|')}):\\d{1,15}(,(${AUDIT_CATEGORIES.join('|')}):\\d{1,15})*$`),
      `consistency_from must be <category>:<size>[,…] with a category among ${AUDIT_CATEGORIES.join(', ')}`,
    )
    .optional(),
});

function consistencySizes(text: string | undefined): Map<AuditCategory, number> {
  const sizes = new Map<AuditCategory, number>();
  for (const item of text ? text.split(',') : []) {
    const [category, size] = item.split(':') as [AuditCategory, string];
    sizes.set(category, Number(size));
  }
  return sizes;
}

/**
 * GET /audit/export?<filters of GET /audit/events>&format=ndjson[&consistency_from=security:120]: the
 * auditor export, one NDJSON file streamed as it is read (see export-format.ts and the README). Scope
 * audit:read; recorded as a read (`audit.events.exported`) with its filters and count before the first
 * byte is sent. An error after that ends the connection without the signed trailer, so a cut-short
 * file never verifies.
 */
@Controller('audit/export')
@RequireScope('audit:read')
export class AuditExportController {
  private readonly logger = new Logger(AuditExportController.name);

  constructor(
    private readonly exports: AuditExportService,
    private readonly reads: ReadTrail,
  ) {}

  @Get()
  async export(
    @Req() request: GuardedRequest,
    @Res() response: ServerResponse,
    @Query() raw: Record<string, unknown>,
  ): Promise<void> {
    const parsed = exportQuerySchema.safeParse(raw);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`)
        .join('; ');
      throw new BadRequestException({ message, details: raw });
    }
    const { format, consistency_from, ...filters } = parsed.data;
    const from = consistencySizes(consistency_from);
    const sizes = await this.exports.sizes();
    for (const [category, size] of from) {
      const logSize = sizes.get(category) ?? 0;
      if (size > logSize) {
        throw new BadRequestException({
          message: `consistency_from ${category}:${size} is beyond the ${category} log's size ${logSize}`,
          details: { category, consistency_from: size, size: logSize },
        });
      }
    }
    const plan = await this.exports.plan(filters, sizes, from);
    await this.reads.record(request, {
      kind: 'export',
      resource: { type: 'audit_events', id: 'export' },
      filters: { ...filters, format, ...(consistency_from ? { consistency_from } : {}) },
      count: plan.count,
      result: {
        checkpoints: plan.logs.map((log) => `${log.category}:${log.size}`).join(',') || null,
        pending: plan.pending,
      },
    });
    response.statusCode = 200;
    response.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="vigil-audit-export.ndjson"`);
    response.setHeader('cache-control', 'no-store');
    try {
      await pipeline(Readable.from(this.exports.lines(plan)), response);
    } catch (error) {
      // Headers are gone: the connection is cut (no trailer), which the verifier reports as incomplete.
      this.logger.error({ error: errorMessage(error), count: plan.count }, 'export stream failed');
      response.destroy();
    }
  }
}
