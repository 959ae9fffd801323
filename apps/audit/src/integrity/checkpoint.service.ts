import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { AuditChainStore, type ChainHead } from '../storage/audit-chain.store';
import { chainSnapshotFromDataSource, type ChainSnapshot } from '../storage/chain-snapshot';
import { sqlFromDataSource } from '../storage/sql';
import type { AuditCategory } from '../model/audit-category';
import { signCheckpoint, type CheckpointSigningKey } from '../model/checkpoint-signer';
import { verifyChains, verifyChainsWithin, type VerifyRange, type VerifyReport } from './chain-verifier';
import { IntegrityStatus } from './integrity-status';
import { CHECKPOINT_SIGNING_KEY, TRUSTED_CHECKPOINT_KEYS } from './signing-key.provider';

/** Heads that moved since their newest checkpoint, and the verification of the records behind them. */
interface CheckpointPlan {
  pending: ChainHead[];
  report: VerifyReport | null;
}

/**
 * Signs the chain heads on an interval, after re-verifying the records appended since the previous
 * checkpoint (a head is never signed over a broken chain). Replicas may race: a checkpoint of the same
 * head is stored once.
 */
@Injectable()
export class CheckpointService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CheckpointService.name);
  /** Writes checkpoints and reads single values; verification reads through `snapshot`. */
  private readonly store: AuditChainStore;
  private readonly snapshot: ChainSnapshot;
  private timer: NodeJS.Timeout | null = null;
  private fullTimer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private walking: Promise<unknown> = Promise.resolve();

  constructor(
    dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
    @Inject(CHECKPOINT_SIGNING_KEY) private readonly key: CheckpointSigningKey,
    @Inject(TRUSTED_CHECKPOINT_KEYS) private readonly trustedKeys: ReadonlyMap<string, KeyObject>,
    private readonly status: IntegrityStatus,
  ) {
    this.store = new AuditChainStore(sqlFromDataSource(dataSource));
    this.snapshot = chainSnapshotFromDataSource(dataSource);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.checkpointHeads().catch((error: unknown) =>
        this.logger.error({ error: errorMessage(error) }, 'checkpoint failed'),
      );
    }, this.config.AUDIT_CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
    // Once at boot too: what a previous process knew broken lived in its memory.
    this.walkAll();
    this.fullTimer = setInterval(() => this.walkAll(), this.config.AUDIT_FULL_VERIFY_INTERVAL_MS);
    this.fullTimer.unref();
  }

  private walkAll(): void {
    this.walking = this.verifyAll().catch((error: unknown) =>
      this.logger.error({ error: errorMessage(error) }, 'full verification failed'),
    );
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.fullTimer) clearInterval(this.fullTimer);
    await Promise.all([this.running, this.walking]);
  }

  /** Walks every chain from its anchor (genesis or the latest cut) and records what it found. */
  async verifyAll(): Promise<VerifyReport> {
    const report = await this.verify({});
    await this.status.observe(report);
    return report;
  }

  verify(range: VerifyRange): Promise<VerifyReport> {
    return verifyChains(this.snapshot, this.trustedKeys, range);
  }

  /**
   * Verifies what was appended since the newest checkpoint, then signs every head that moved. The heads
   * signed are read in the snapshot that verified the records up to them: a head read outside it could
   * be ahead of the records verified, or the verification could see records beyond the head.
   */
  async checkpointHeads(): Promise<number> {
    const { pending, report } = await this.snapshot((store) => this.planCheckpoint(store));
    if (!report) return 0;
    await this.status.observe(report);
    if (!report.ok) {
      this.logger.error(
        { first_bad: report.first_bad },
        'audit chain verification failed: checkpoint withheld',
      );
      return 0;
    }
    // A log a full walk found broken is not signed over either, though the records since its last
    // checkpoint verify: its signature would vouch for the broken record below them.
    const signable = pending.filter((head) => !this.status.isBroken(head.category));
    let signed = 0;
    for (const head of signable) {
      if (await this.sign(head.category, head.seq, head.hash, 'interval')) signed += 1;
    }
    this.logger.log(
      { signed, heads: signable.map((h) => `${h.category}:${h.seq}`) },
      'audit checkpoint signed',
    );
    return signed;
  }

  private async planCheckpoint(store: AuditChainStore): Promise<CheckpointPlan> {
    const pending: ChainHead[] = [];
    let since: Date | undefined;
    for (const head of await store.heads()) {
      const latest = await store.latestCheckpoint(head.category);
      if (latest && latest.seq >= head.seq) continue;
      pending.push(head);
      const created = latest ? new Date(latest.created_at) : new Date(0);
      if (!since || created < since) since = created;
    }
    if (pending.length === 0) return { pending, report: null };
    return { pending, report: await verifyChainsWithin(store, this.trustedKeys, { from: since }) };
  }

  /** Signs and stores one checkpoint; false when the same one already exists. */
  async sign(category: AuditCategory, seq: number, hash: Buffer, kind: 'interval' | 'cut'): Promise<boolean> {
    const created_at = new Date().toISOString();
    const signature = signCheckpoint(this.key, { category, seq, hash, kind, created_at });
    return this.store.insertCheckpoint({
      category,
      seq,
      hash,
      kind,
      created_at,
      key_id: this.key.keyId,
      signature,
    });
  }

  /** Seq of the newest checkpoint of a chain, or null. */
  async latestSignedSeq(category: AuditCategory): Promise<number | null> {
    return (await this.store.latestCheckpoint(category))?.seq ?? null;
  }

  publicKey() {
    return {
      algorithm: 'Ed25519',
      key_id: this.key.keyId,
      public_key_pem: this.key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      public_key_spki_base64: this.key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      development_key: this.key.development,
    };
  }
}
