import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { IntegrityStatus } from '../integrity/integrity-status';
import { CHECKPOINT_SIGNING_KEY } from '../integrity/signing-key.provider';
import { AUDIT_CATEGORIES, type AuditCategory } from '../model/audit-category';
import type { CheckpointSigningKey } from '../model/checkpoint-signer';
import {
  cosignatureOf,
  parseCheckpointText,
  parseVerifierKey,
  splitNote,
  verifierKeyText,
  type CheckpointText,
  type NoteSignature,
  type VerifierKey,
} from '../model/cosignature';
import { checkpointBody, ED25519_TYPE, openNote, signNote } from '../model/signed-note';
import { LogCheckpointStore, type LogCheckpointRow } from '../storage/log-checkpoint.store';
import { sqlFromDataSource } from '../storage/sql';
import { MerkleLogService } from './merkle-log.service';

/** The latest checkpoint of a log as served: the log's note with the witnesses' cosignature lines appended. */
export interface CheckpointView {
  category: AuditCategory;
  origin: string;
  size: number;
  root_hash: string;
  key_name: string;
  key_id: string;
  /** The log's note verifier key (`<origin>+<key id>+base64(0x01 ‖ key)`), what a witness is given. */
  vkey: string;
  note: string;
  /** When it was stored; null for a log with no stored checkpoint yet (signed on the fly). */
  created_at: string | null;
  cosignatures: Array<{ witness: string; timestamp: number }>;
  quorum: number;
  /** Cosigned by at least AUDIT_WITNESS_QUORUM configured witnesses. */
  final: boolean;
}

/** What a witness posts when it refuses a checkpoint. */
export interface RefusalReport {
  witness: string;
  reason: string;
  detail?: string;
  /** The checkpoint it cosigned last, with its cosignature line. */
  previous: string;
  /** The log-signed checkpoint it refuses. */
  latest: string;
}

const hexOf = (root: Buffer) => root.toString('hex');

/**
 * The logs' stored checkpoints: every AUDIT_CHECKPOINT_INTERVAL_MS (and on demand) the head of each
 * category's tree is signed as a C2SP note and stored, unless the log is known broken (a failed
 * verification or an open witness refusal). Witnesses' cosignatures are verified against
 * AUDIT_WITNESS_KEYS and stored; a checkpoint with AUDIT_WITNESS_QUORUM of them is final. A witness
 * refusal, or a cosignature of a checkpoint this log does not hold, is stored and raises
 * AuditIntegrityBroken (through IntegrityStatus, which every replica feeds from the stored refusals).
 */
@Injectable()
export class LogCheckpointService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LogCheckpointService.name);
  private readonly store: LogCheckpointStore;
  private readonly witnesses: VerifierKey[];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
    @Inject(CHECKPOINT_SIGNING_KEY) private readonly key: CheckpointSigningKey,
    private readonly logs: MerkleLogService,
    private readonly status: IntegrityStatus,
  ) {
    this.store = new LogCheckpointStore(sqlFromDataSource(dataSource));
    this.witnesses = config.AUDIT_WITNESS_KEYS.map(parseVerifierKey);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.running = this.checkpointAll()
        .catch((error: unknown) => this.logger.error({ error: errorMessage(error) }, 'log checkpoint failed'))
        .finally(() => (this.busy = false));
    }, this.config.AUDIT_CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  origin(category: AuditCategory): string {
    return `${this.config.AUDIT_MERKLE_ORIGIN}/${category}`;
  }

  /** Signs and stores the head of every log that grew since its latest checkpoint; returns how many. */
  async checkpointAll(): Promise<number> {
    await this.status.observeRefusals(await this.store.openRefusals());
    let stored = 0;
    for (const category of AUDIT_CATEGORIES) {
      if (this.status.isBroken(category)) continue;
      const latest = await this.store.latest(category);
      const head = await this.logs.head(category);
      if (head.size === 0 || (latest && latest.size >= head.size)) continue;
      if (await this.storeHead(category, head.size, head.root)) stored += 1;
    }
    return stored;
  }

  /** On demand: appends what is stored to the tree, then signs and stores its head. */
  async checkpointNow(category: AuditCategory): Promise<{ created: boolean; checkpoint: CheckpointView }> {
    if (this.status.isBroken(category)) {
      throw new ConflictException({
        message: `the ${category} log is broken (failed verification or refused by a witness): no checkpoint is signed over it`,
        details: { category },
      });
    }
    await this.logs.catchUp();
    const head = await this.logs.head(category);
    const created = head.size > 0 && (await this.storeHead(category, head.size, head.root));
    return { created, checkpoint: await this.latest(category) };
  }

  private async storeHead(category: AuditCategory, size: number, root: Buffer): Promise<boolean> {
    const note = this.sign(category, size, root);
    const stored = await this.store.insertCheckpoint({ category, size, root, note });
    if (stored) this.logger.log({ category, size, root_hash: hexOf(root) }, 'log checkpoint signed');
    return stored;
  }

  private sign(category: AuditCategory, size: number, root: Buffer): string {
    const origin = this.origin(category);
    return signNote(checkpointBody(origin, size, root), origin, this.key.privateKey, this.key.publicKey);
  }

  /** The latest stored checkpoint with its cosignatures; before the first one, the head signed on the fly. */
  async latest(category: AuditCategory): Promise<CheckpointView> {
    const stored = await this.store.latest(category);
    if (stored) return this.view(stored);
    const head = await this.logs.head(category);
    return this.view({
      category,
      size: head.size,
      root: head.root,
      note: this.sign(category, head.size, head.root),
      created_at: '',
    });
  }

  /** The latest checkpoint of every log that has a stored one (the weekly report carries them). */
  async latestOfEach(): Promise<CheckpointView[]> {
    return Promise.all((await this.store.latestOfEach()).map((row) => this.view(row)));
  }

  private async view(row: LogCheckpointRow): Promise<CheckpointView> {
    const origin = this.origin(row.category);
    const cosignatures = row.created_at ? await this.store.cosignatures(row.category, row.size) : [];
    const configured = cosignatures.filter((c) => this.witnesses.some((w) => w.name === c.witness));
    return {
      category: row.category,
      origin,
      size: row.size,
      root_hash: hexOf(row.root),
      key_name: origin,
      key_id: this.key.keyId,
      vkey: verifierKeyText(origin, this.key.publicKey, ED25519_TYPE),
      note: row.note + cosignatures.map((c) => `${c.line}\n`).join(''),
      created_at: row.created_at || null,
      cosignatures: cosignatures.map((c) => ({ witness: c.witness, timestamp: c.signed_at })),
      quorum: this.config.AUDIT_WITNESS_QUORUM,
      final: configured.length >= this.config.AUDIT_WITNESS_QUORUM,
    };
  }

  /**
   * A cosigned checkpoint from a witness: the log's own signature must verify, and every configured
   * witness's line in it too. A checkpoint this log holds (same size, same root) gets the cosignatures;
   * one it does not hold is a split view: refused with 409 and recorded as a refusal (alert).
   */
  async cosign(category: AuditCategory, note: string): Promise<CheckpointView> {
    const { text, checkpoint, signatures } = this.openLogNote(category, note, 'note');
    const cosigned: Array<{ witness: string; timestamp: number; line: string }> = [];
    for (const witness of this.witnesses) {
      const found = cosignatureOf(text, signatures, witness);
      if (found === 'invalid') {
        throw new BadRequestException({
          message: `the cosignature of witness "${witness.name}" does not verify`,
          details: { witness: witness.name },
        });
      }
      if (found) cosigned.push({ witness: witness.name, ...found });
    }
    if (cosigned.length === 0) {
      throw new BadRequestException({
        message: 'the note carries no cosignature of a configured witness (AUDIT_WITNESS_KEYS)',
        details: { witnesses: this.witnesses.map((w) => w.name) },
      });
    }
    const held = await this.heldCheckpoint(category, checkpoint);
    if (!held) {
      const detail = await this.inconsistency(category, checkpoint);
      for (const c of cosigned) {
        await this.store.insertRefusal({
          category,
          witness: c.witness,
          reason: 'inconsistent_cosignature',
          detail,
          size: checkpoint.size,
          root: checkpoint.root,
        });
      }
      await this.status.observeRefusals(await this.store.openRefusals());
      throw new ConflictException({
        message: `the ${category} log does not hold this checkpoint: ${detail}`,
        details: { size: checkpoint.size, root_hash: hexOf(checkpoint.root) },
      });
    }
    for (const c of cosigned) {
      const { witness, timestamp, line } = c;
      await this.store.insertCosignature(category, checkpoint.size, { witness, signed_at: timestamp, line });
      if ((await this.store.resolveRefusals(category, witness)) > 0) {
        this.logger.log({ category, witness }, 'witness cosigned the log again: its refusals are resolved');
      }
    }
    await this.status.observeRefusals(await this.store.openRefusals());
    return this.view(held);
  }

  /**
   * The stored checkpoint matching `checkpoint`, when the tree holds it too (a stored row alone is not
   * trusted: a forged one would pass); a log-signed checkpoint of the tree not stored yet is stored now.
   */
  private async heldCheckpoint(
    category: AuditCategory,
    checkpoint: CheckpointText,
  ): Promise<LogCheckpointRow | null> {
    const head = await this.logs.head(category);
    if (checkpoint.size > head.size) return null;
    if (!(await this.logs.rootAt(category, checkpoint.size)).equals(checkpoint.root)) return null;
    const stored = await this.store.atSize(category, checkpoint.size);
    if (stored) return stored.root.equals(checkpoint.root) ? stored : null;
    const note = this.sign(category, checkpoint.size, checkpoint.root);
    await this.store.insertCheckpoint({ category, size: checkpoint.size, root: checkpoint.root, note });
    return this.store.atSize(category, checkpoint.size);
  }

  private async inconsistency(category: AuditCategory, checkpoint: CheckpointText): Promise<string> {
    const head = await this.logs.head(category);
    const claimed = `size ${checkpoint.size} root ${hexOf(checkpoint.root)}`;
    if (checkpoint.size > head.size) return `${claimed} is beyond the log's size ${head.size}`;
    const ours = await this.logs.rootAt(category, checkpoint.size);
    if (!ours.equals(checkpoint.root))
      return `${claimed} but the log's tree of that size has root ${hexOf(ours)}`;
    const stored = await this.store.atSize(category, checkpoint.size);
    return `${claimed} but the checkpoint stored for that size has root ${stored ? hexOf(stored.root) : 'none'}`;
  }

  /** A configured witness refuses a checkpoint: recorded with both checkpoints, AuditIntegrityBroken raised. */
  async refuse(category: AuditCategory, report: RefusalReport): Promise<{ id: number }> {
    const witness = this.witnesses.find((w) => w.name === report.witness);
    if (!witness) {
      throw new BadRequestException({
        message: `"${report.witness}" is not a configured witness (AUDIT_WITNESS_KEYS)`,
        details: { witnesses: this.witnesses.map((w) => w.name) },
      });
    }
    const previous = this.openLogNote(category, report.previous, 'previous');
    const cosigned = cosignatureOf(previous.text, previous.signatures, witness);
    if (!cosigned || cosigned === 'invalid') {
      throw new BadRequestException({
        message: `previous must carry a valid cosignature of witness "${witness.name}"`,
        details: { witness: witness.name },
      });
    }
    const latest = this.openLogNote(category, report.latest, 'latest').checkpoint;
    const was = previous.checkpoint;
    const detail =
      `witness cosigned size ${was.size} root ${hexOf(was.root)} and was shown size ${latest.size} root ${hexOf(latest.root)}` +
      (report.detail ? ` (${report.detail})` : '');
    const id = await this.store.insertRefusal({
      category,
      witness: witness.name,
      reason: report.reason,
      detail,
      size: latest.size,
      root: latest.root,
    });
    await this.status.observeRefusals(await this.store.openRefusals());
    return { id };
  }

  /** A note signed by this log's key with this log's origin, or 400 naming the field. */
  private openLogNote(
    category: AuditCategory,
    note: string,
    field: string,
  ): { text: string; checkpoint: CheckpointText; signatures: NoteSignature[] } {
    const origin = this.origin(category);
    const parts = splitNote(note);
    const checkpoint = parts ? parseCheckpointText(parts.text) : null;
    if (!parts || !checkpoint || checkpoint.origin !== origin) {
      throw new BadRequestException({
        message: `${field} must be a signed checkpoint of the log "${origin}"`,
        details: { field, origin },
      });
    }
    if (openNote(note, origin, this.key.publicKey) !== parts.text) {
      throw new BadRequestException({
        message: `${field} does not carry a valid signature of the log "${origin}"`,
        details: { field, origin },
      });
    }
    return { text: parts.text, checkpoint, signatures: parts.signatures };
  }
}
