import { BadRequestException, Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { z } from 'zod';

import { RequireScope } from '@vigil/platform';

import { LogCheckpointService } from './log-checkpoint.service';
import { categoryOrNotFound, CHECKPOINT_FINAL_HEADER, type HeaderResponse } from './merkle-log.controller';

/** A signed note as posted: at most 16 KiB (a checkpoint with a few dozen signature lines). */
const noteText = z.string().min(1).max(16_384);

const cosignatureBody = z.object({ note: noteText });

const refusalBody = z.object({
  witness: z.string().min(1).max(256),
  reason: z
    .string()
    .regex(/^[a-z][a-z_]{0,39}$/, 'reason must be a snake_case word (fork, shrink, inconsistent_proof)'),
  detail: z.string().max(1000).optional(),
  previous: noteText,
  latest: noteText,
});

function parsed<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.') || 'body';
  throw new BadRequestException({ message: `${field}: ${issue.message}`, details: { field } });
}

/**
 * What changes a log's checkpoints: signing one now, a witness's cosignature, a witness's refusal.
 * Scope audit:publish (the audit service's write scope; a witness's key holds audit:read to fetch
 * checkpoints and proofs, and audit:publish to post what it signed).
 */
@Controller('audit/log/:category')
@RequireScope('audit:publish')
export class WitnessController {
  constructor(private readonly checkpoints: LogCheckpointService) {}

  /** Signs and stores the log's head now: 201 when a new checkpoint was stored, 200 when it already was. */
  @Post('checkpoint')
  async checkpointNow(
    @Param('category') categoryText: string,
    @Res({ passthrough: true }) res: HeaderResponse & { status(code: number): unknown },
  ) {
    const { created, checkpoint } = await this.checkpoints.checkpointNow(categoryOrNotFound(categoryText));
    res.status(created ? 201 : 200);
    res.setHeader(CHECKPOINT_FINAL_HEADER, String(checkpoint.final));
    return checkpoint;
  }

  /** `{note}`: the log's checkpoint with one or more configured witnesses' cosignature lines. */
  @Post('cosignatures')
  @HttpCode(201)
  async cosign(@Param('category') categoryText: string, @Body() body: unknown) {
    const category = categoryOrNotFound(categoryText);
    return this.checkpoints.cosign(category, parsed(cosignatureBody, body).note);
  }

  /** `{witness, reason, detail?, previous, latest}`: a witness refuses `latest`; raises AuditIntegrityBroken. */
  @Post('refusals')
  @HttpCode(202)
  async refuse(@Param('category') categoryText: string, @Body() body: unknown) {
    const category = categoryOrNotFound(categoryText);
    const refusal = await this.checkpoints.refuse(category, parsed(refusalBody, body));
    return { category, recorded: true, id: refusal.id };
  }
}
