import { createHash, type Hash } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { CHECKPOINT_SIGNING_KEY } from '../integrity/signing-key.provider';
import { EventSealer } from '../erasure/event-sealer';
import { MerkleLogService } from '../merkle/merkle-log.service';
import { checkpointBody, signNote } from '../model/signed-note';
import { AUDIT_CATEGORIES, type AuditCategory } from '../model/audit-category';
import { canonicalJson } from '../model/canonical-json';
import type { CheckpointSigningKey } from '../model/checkpoint-signer';
import {
  AuditQueryRepository,
  type AuditFilters,
  type IdFilterValues,
} from '../query/audit-query.repository';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  exportNoteText,
  recordLeafHash,
  type ExportEventLine,
  type ExportHeader,
  type ExportLog,
  type ExportTrailer,
} from './export-format';

/** Events read (and proved) per query: bounds the memory an export holds whatever its size. */
const PAGE = 1000;

/** What an export will contain, fixed before its first byte is sent (and recorded as a read). */
export interface ExportPlan {
  header: ExportHeader;
  filters: AuditFilters;
  /** What the actor and resource id filters match: the ids as published and their subjects' key tokens. */
  ids: IdFilterValues;
  logs: { category: AuditCategory; size: number; count: number }[];
  count: number;
  pending: number;
}

const b64 = (hash: Buffer) => hash.toString('base64');

/**
 * Builds auditor exports: the events matching a search that the logs' current checkpoints cover, each
 * with its canonical record and inclusion proof, streamed page by page (keyset on the leaf index) so an
 * export of any size holds one page in memory. Records stored after those checkpoints (the tree job
 * appends beside ingest) are left out and counted as `pending` in the trailer.
 */
@Injectable()
export class AuditExportService {
  private readonly logger = new Logger(AuditExportService.name);

  constructor(
    private readonly repository: AuditQueryRepository,
    private readonly logs: MerkleLogService,
    private readonly sealer: EventSealer,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
    @Inject(CHECKPOINT_SIGNING_KEY) private readonly key: CheckpointSigningKey,
  ) {}

  origin(category: AuditCategory): string {
    return `${this.config.AUDIT_MERKLE_ORIGIN}/${category}`;
  }

  /** The trees' sizes now, after appending what is already stored (so a fresh event is usually in). */
  async sizes(): Promise<Map<AuditCategory, number>> {
    await this.logs.catchUp().catch((error: unknown) => {
      // Another append may be failing or holding a tree: export what the trees hold, say so in the trailer.
      this.logger.warn(
        { error: errorMessage(error) },
        'export: merkle catch-up failed; exporting current trees',
      );
    });
    const sizes = new Map<AuditCategory, number>();
    for (const category of AUDIT_CATEGORIES) sizes.set(category, (await this.logs.head(category)).size);
    return sizes;
  }

  /**
   * Fixes the checkpoints and counts. `consistencyFrom` asks for consistency proofs from older sizes (each
   * at most the log's size: the caller checks) so an auditor holding an older checkpoint sees the log grew.
   */
  async plan(
    filters: AuditFilters,
    sizes: ReadonlyMap<AuditCategory, number>,
    consistencyFrom: ReadonlyMap<AuditCategory, number>,
  ): Promise<ExportPlan> {
    // Ids may be sealed: a filter matches the id as published and its subject's key tokens, as searches do.
    const ids: IdFilterValues = {
      actor: filters.actor === undefined ? undefined : await this.sealer.searchValues(filters.actor),
      resource_id:
        filters.resource_id === undefined ? undefined : await this.sealer.searchValues(filters.resource_id),
    };
    const counts = await this.repository.countByLog(filters, sizes, ids);
    const included = AUDIT_CATEGORIES.filter(
      (category) => (counts.get(category)?.covered ?? 0) > 0 || consistencyFrom.has(category),
    );
    const logs: ExportLog[] = [];
    for (const category of included)
      logs.push(await this.exportLog(category, sizes.get(category) ?? 0, consistencyFrom));
    const header: ExportHeader = {
      type: 'header',
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exported_at: new Date().toISOString(),
      filters: { ...filters },
      key_id: this.key.keyId,
      export_key_name: `${this.config.AUDIT_MERKLE_ORIGIN}/export`,
      logs,
    };
    const planned = included.map((category) => ({
      category,
      size: sizes.get(category) ?? 0,
      count: counts.get(category)?.covered ?? 0,
    }));
    return {
      header,
      filters,
      ids,
      logs: planned,
      count: planned.reduce((sum, log) => sum + log.count, 0),
      pending: [...counts.values()].reduce((sum, c) => sum + c.pending, 0),
    };
  }

  private async exportLog(
    category: AuditCategory,
    size: number,
    consistencyFrom: ReadonlyMap<AuditCategory, number>,
  ): Promise<ExportLog> {
    const origin = this.origin(category);
    const root = await this.logs.rootAt(category, size);
    const from = consistencyFrom.get(category);
    const consistency = from === undefined ? [] : [await this.logs.consistency(category, from, size)];
    return {
      category,
      origin,
      size,
      root_hash: b64(root),
      checkpoint: signNote(
        checkpointBody(origin, size, root),
        origin,
        this.key.privateKey,
        this.key.publicKey,
      ),
      consistency: consistency.map((c) => ({
        from_size: c.first,
        from_root: b64(c.first_root),
        proof: c.proof.map(b64),
      })),
    };
  }

  /** The file, line by line (each string ends with a newline), ending with the signed trailer. */
  async *lines(plan: ExportPlan): AsyncGenerator<string> {
    const headerLine = JSON.stringify(plan.header);
    const digest = createHash('sha256').update(headerLine, 'utf8');
    yield `${headerLine}\n`;
    const counts: Record<string, number> = {};
    let count = 0;
    for (const log of plan.logs) {
      counts[log.category] = 0;
      for await (const page of this.logLines(plan.filters, plan.ids, log, digest)) {
        counts[log.category] += page.count;
        count += page.count;
        yield page.text;
      }
    }
    yield `${JSON.stringify(this.trailer(digest.digest(), count, counts, plan.pending))}\n`;
  }

  private async *logLines(
    filters: AuditFilters,
    ids: IdFilterValues,
    log: { category: AuditCategory; size: number },
    digest: Hash,
  ): AsyncGenerator<{ text: string; count: number }> {
    let prev: number | null = null;
    let after = 0;
    for (;;) {
      const rows = await this.repository.logPage(filters, log.category, after, log.size, PAGE, ids);
      if (rows.length === 0) return;
      const indexes = rows.map((row) => row.seq - 1);
      const [proofs, opened] = await Promise.all([
        this.logs.inclusionProofs(log.category, indexes, log.size),
        this.sealer.open(rows),
      ]);
      let text = '';
      rows.forEach((row, i) => {
        const record = canonicalJson({
          category: log.category,
          seq: row.seq,
          id: row.event.id,
          received_at: row.received_at,
          event: row.event,
        });
        const leaf = recordLeafHash(record);
        digest.update(leaf);
        const line: ExportEventLine = {
          type: 'event',
          category: log.category,
          leaf_index: indexes[i],
          prev_leaf_index: prev,
          id: row.event.id,
          leaf_hash: b64(leaf),
          proof: proofs[i].map(b64),
          record,
          ...(opened[i].event === row.event ? {} : { opened_event: opened[i].event }),
        };
        text += `${JSON.stringify(line)}\n`;
        prev = indexes[i];
      });
      yield { text, count: rows.length };
      after = rows[rows.length - 1].seq;
    }
  }

  private trailer(
    digest: Buffer,
    count: number,
    counts: Record<string, number>,
    pending: number,
  ): ExportTrailer {
    const keyName = `${this.config.AUDIT_MERKLE_ORIGIN}/export`;
    return {
      type: 'trailer',
      count,
      counts,
      pending,
      message:
        pending === 0
          ? 'every matching event is in the exported checkpoints'
          : `${pending} matching event(s) stored after the exported checkpoints are not in this export; export again to include them`,
      digest: b64(digest),
      signature: signNote(
        exportNoteText(keyName, digest, count, pending),
        keyName,
        this.key.privateKey,
        this.key.publicKey,
      ),
    };
  }
}
