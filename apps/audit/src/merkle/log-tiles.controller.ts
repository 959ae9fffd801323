import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  Req,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import { createHash } from 'node:crypto';

import { RequireScope, type GuardedRequest } from '@vigil/platform';

import { ReadTrail } from '../read-trail/read-trail';
import type { AuditCategory } from '../model/audit-category';
import { categoryOrNotFound } from './merkle-log.controller';
import { MerkleLogService } from './merkle-log.service';
import { parseTilePath, tileAvailable, tilePath, tileSpan, type TileAddress } from './tiles';

/** A full tile never changes; a partial one is replaced by wider ones as the log grows. */
const FULL_TILE_CACHE = 'public, max-age=31536000, immutable';
const PARTIAL_TILE_CACHE = 'public, max-age=60';
/** Entry bundles hold the events themselves: never in a shared cache. */
const FULL_ENTRIES_CACHE = 'private, max-age=31536000, immutable';
const PARTIAL_ENTRIES_CACHE = 'private, max-age=60';
/** tlog-tiles prefixes each entry with a big-endian uint16 length. */
const MAX_ENTRY_BYTES = 0xffff;

interface TileRequest extends GuardedRequest {
  headers: Record<string, string | string[] | undefined>;
}

interface TileResponse {
  status(code: number): TileResponse;
  setHeader(name: string, value: string): unknown;
  end(body?: Buffer): unknown;
}

/**
 * C2SP tlog-tiles, read-only, from the stored complete subtrees: `tile/<L>/<N>[.p/<W>]` (hashes of Merkle
 * level 8·L) and `tile/entries/<N>[.p/<W>]` (the leaves' bytes, each prefixed with its uint16 length).
 * With the checkpoint, a verifier needs nothing else to recompute roots and proofs. Scope audit:read;
 * a hash tile discloses no record (hashes of records holding a random UUID), so full ones are cacheable
 * by shared caches; an entry bundle is a read of audit data and recorded as one.
 */
@Controller('audit/log/:category')
@RequireScope('audit:read')
export class LogTilesController {
  constructor(
    private readonly logs: MerkleLogService,
    private readonly reads: ReadTrail,
  ) {}

  @Get('tile/*tile')
  async tile(
    @Param('category') categoryText: string,
    @Param('tile') tileParam: string | string[],
    @Req() req: TileRequest,
    @Res() res: TileResponse,
  ): Promise<void> {
    const category = categoryOrNotFound(categoryText);
    const path = Array.isArray(tileParam) ? tileParam.join('/') : tileParam;
    const tile = parseTilePath(path);
    if (typeof tile === 'string') {
      throw new BadRequestException({
        message: `not a tile path: ${tile}`,
        details: { path: `tile/${path}` },
      });
    }
    const head = await this.logs.head(category);
    if (!tileAvailable(tile, head.size)) {
      throw new NotFoundException({
        message: `the ${category} log (size ${head.size}) has no ${tilePath(tile)}`,
        details: { path: tilePath(tile), size: head.size },
      });
    }
    const body =
      tile.level === null ? await this.entries(category, tile, req) : await this.hashes(category, tile);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    const partial = tile.width !== null;
    const cache =
      tile.level === null
        ? partial
          ? PARTIAL_ENTRIES_CACHE
          : FULL_ENTRIES_CACHE
        : partial
          ? PARTIAL_TILE_CACHE
          : FULL_TILE_CACHE;
    res.setHeader('Cache-Control', cache);
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.status(200).end(body);
  }

  private async hashes(category: AuditCategory, tile: TileAddress): Promise<Buffer> {
    const { merkleLevel, from, count } = tileSpan(tile);
    const hashes = await this.logs.levelHashes(category, merkleLevel, from, count);
    if (hashes.length !== count) throw new Error(`merkle nodes of ${tilePath(tile)} are missing`);
    return Buffer.concat(hashes);
  }

  private async entries(category: AuditCategory, tile: TileAddress, req: TileRequest): Promise<Buffer> {
    const { from, count } = tileSpan(tile);
    const leaves = await this.logs.leafBytes(category, from, count);
    if (leaves.length !== count) {
      throw new NotFoundException({
        message: `entries of ${tilePath(tile)} were dropped by retention`,
        details: { path: tilePath(tile), stored: leaves.length },
      });
    }
    const tooLong = leaves.findIndex((leaf) => leaf.length > MAX_ENTRY_BYTES);
    if (tooLong >= 0) {
      throw new UnprocessableEntityException({
        message: `leaf ${from + tooLong} is longer than an entry bundle can hold (65535 bytes); read it with GET /audit/events/:id`,
        details: { leaf_index: from + tooLong, bytes: leaves[tooLong].length },
      });
    }
    await this.reads.record(req, {
      kind: 'list',
      resource: { type: 'audit_log_entries', id: `${category}/${tilePath(tile)}` },
      filters: { category, from, count },
      count,
    });
    return Buffer.concat(
      leaves.flatMap((leaf) => {
        const length = Buffer.alloc(2);
        length.writeUInt16BE(leaf.length);
        return [length, leaf];
      }),
    );
  }
}
