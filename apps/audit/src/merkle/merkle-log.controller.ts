import { BadRequestException, Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { z } from 'zod';

import { RequireScope } from '@vigil/platform';

import { AUDIT_CATEGORIES, type AuditCategory } from '../model/audit-category';
import { LogCheckpointService } from './log-checkpoint.service';
import { MerkleLogService } from './merkle-log.service';

/** What a route writes on Express's response besides its body. */
export interface HeaderResponse {
  setHeader(name: string, value: string): unknown;
}

/** Whether the checkpoint served has its quorum of witness cosignatures: `true` or `false`. */
export const CHECKPOINT_FINAL_HEADER = 'Vigil-Checkpoint-Final';

const hex = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('hex'));

export function categoryOrNotFound(category: string): AuditCategory {
  const known = AUDIT_CATEGORIES.find((c) => c === category);
  if (!known) {
    throw new NotFoundException({
      message: `no audit log "${category}"`,
      details: { category, logs: AUDIT_CATEGORIES },
    });
  }
  return known;
}

/** A tree size or leaf count from the query: digits only, at most 2^53 - 1. */
function size(name: string, value: string | undefined, required: boolean): number | undefined {
  if (value === undefined || value === '') {
    if (!required) return undefined;
    throw new BadRequestException({ message: `${name} is required`, details: { [name]: value ?? null } });
  }
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new BadRequestException({
      message: `${name} must be a non-negative integer`,
      details: { [name]: value },
    });
  }
  return n;
}

function notAfterHead(name: string, value: number, headSize: number): void {
  if (value > headSize) {
    throw new BadRequestException({
      message: `${name} ${value} is beyond the log's size ${headSize}`,
      details: { [name]: value, size: headSize },
    });
  }
}

/**
 * The per-category RFC 6962 logs, read-only, scope audit:read like every audit read: the latest
 * checkpoint (also as a C2SP signed note), inclusion proofs by event id and consistency proofs.
 * Hashes are lowercase hex; the note carries the root in base64 as tlog-checkpoint defines.
 */
@Controller('audit/log/:category')
@RequireScope('audit:read')
export class MerkleLogController {
  constructor(
    private readonly logs: MerkleLogService,
    private readonly checkpoints: LogCheckpointService,
  ) {}

  /** The latest stored checkpoint, its note with the cosignature lines appended; final or not in a header too. */
  @Get('checkpoint')
  async checkpoint(@Param('category') categoryText: string, @Res({ passthrough: true }) res: HeaderResponse) {
    const checkpoint = await this.checkpoints.latest(categoryOrNotFound(categoryText));
    res.setHeader(CHECKPOINT_FINAL_HEADER, String(checkpoint.final));
    res.setHeader('Cache-Control', 'no-cache');
    return checkpoint;
  }

  @Get('proof/inclusion')
  async inclusion(
    @Param('category') categoryText: string,
    @Query('event_id') eventId?: string,
    @Query('tree_size') treeSizeText?: string,
  ) {
    const category = categoryOrNotFound(categoryText);
    if (!z.uuid().safeParse(eventId).success) {
      throw new BadRequestException({
        message: 'event_id must be a UUID',
        details: { event_id: eventId ?? null },
      });
    }
    const requested = size('tree_size', treeSizeText, false);
    const head = await this.logs.head(category);
    if (requested !== undefined) notAfterHead('tree_size', requested, head.size);
    const treeSize = requested ?? head.size;
    const leaf = await this.logs.leafOf(eventId as string);
    if (!leaf || leaf.category !== category) {
      throw new NotFoundException({
        message: `no event ${eventId} in the ${category} log`,
        details: { event_id: eventId, category },
      });
    }
    if (leaf.index >= head.size) {
      throw new NotFoundException({
        message: `event ${eventId} is stored but not yet in the ${category} log; retry shortly`,
        details: { event_id: eventId, leaf_index: leaf.index, size: head.size },
      });
    }
    if (leaf.index >= treeSize) {
      throw new BadRequestException({
        message: `event ${eventId} (leaf ${leaf.index}) is not in a tree of size ${treeSize}`,
        details: { event_id: eventId, leaf_index: leaf.index, tree_size: treeSize },
      });
    }
    const proof = await this.logs.inclusion(category, leaf.index, treeSize);
    return {
      category,
      event_id: eventId,
      leaf_index: proof.leaf_index,
      tree_size: proof.tree_size,
      leaf_hash: proof.leaf_hash.toString('hex'),
      root_hash: proof.root_hash.toString('hex'),
      proof: hex(proof.proof),
    };
  }

  @Get('proof/consistency')
  async consistency(
    @Param('category') categoryText: string,
    @Query('first') firstText?: string,
    @Query('second') secondText?: string,
  ) {
    const category = categoryOrNotFound(categoryText);
    const first = size('first', firstText, true) as number;
    const second = size('second', secondText, true) as number;
    if (first > second) {
      throw new BadRequestException({
        message: 'first must not be greater than second',
        details: { first, second },
      });
    }
    notAfterHead('second', second, (await this.logs.head(category)).size);
    const proof = await this.logs.consistency(category, first, second);
    return {
      category,
      first,
      second,
      first_root: proof.first_root.toString('hex'),
      second_root: proof.second_root.toString('hex'),
      proof: hex(proof.proof),
    };
  }
}
