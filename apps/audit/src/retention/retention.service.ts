import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { AUDIT_CATEGORIES, type AuditCategory } from '../model/audit-category';
import { CheckpointService } from '../integrity/checkpoint.service';
import { RetentionRepository } from '../storage/retention.repository';
import { EventSealer } from '../erasure/event-sealer';
import { SubjectEraser } from '../erasure/subject-eraser';
import { SubjectKeys } from '../erasure/subject-keys';
import { RetentionStallAlarm } from './retention-stall-alarm';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOutcome {
  category: AuditCategory;
  dropped: string[];
  cut_seq: number | null;
}

/**
 * Applies retention by category on a schedule: a monthly partition whose whole month is older than
 * the category's retention is dropped. First a signed `cut` checkpoint is stored at the last record
 * dropped, so the remaining chain verifies from there. A cut is only made at or below the newest
 * interval checkpoint (records already verified and signed); otherwise the drop waits a run and
 * AuditRetentionStalled is raised (RetentionStallAlarm).
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AuditConfig,
    private readonly repository: RetentionRepository,
    private readonly checkpoints: CheckpointService,
    private readonly stallAlarm: RetentionStallAlarm,
    private readonly sealer: EventSealer,
    private readonly eraser: SubjectEraser,
    private readonly keys: SubjectKeys,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.applyRetention().catch((error: unknown) =>
        this.logger.error({ error: errorMessage(error) }, 'retention failed'),
      );
    }, this.config.AUDIT_RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** A drop_partition rule of the erasure policy for the category, else AUDIT_RETENTION_<CATEGORY>_DAYS. */
  retentionDays(category: AuditCategory): number {
    const ruled = this.sealer.policy.dropDays(category);
    if (ruled !== undefined) return ruled;
    switch (category) {
      case 'security':
        return this.config.AUDIT_RETENTION_SECURITY_DAYS;
      case 'privacy':
        return this.config.AUDIT_RETENTION_PRIVACY_DAYS;
      case 'routine':
        return this.config.AUDIT_RETENTION_ROUTINE_DAYS;
    }
  }

  /**
   * Erase rules first (their keys of days past keep_days are destroyed), keys wrapped by a retired master
   * key are re-wrapped, then whole partitions past their category's retention are dropped.
   */
  async applyRetention(now: Date = new Date()): Promise<RetentionOutcome[]> {
    await this.eraser.eraseExpired(this.sealer.policy.eraseRules, now);
    const rewrapped = await this.keys.rewrapAll();
    if (rewrapped > 0) this.logger.log({ rewrapped }, 'subject keys re-wrapped with the current master key');
    const outcomes: RetentionOutcome[] = [];
    for (const category of AUDIT_CATEGORIES) {
      const cutoff = new Date(now.getTime() - this.retentionDays(category) * DAY_MS);
      const expired = (await this.repository.monthlyPartitions(category)).filter((p) => p.to <= cutoff);
      if (expired.length === 0) {
        await this.stallAlarm.proceeded(category);
        continue;
      }
      const last = await this.repository.lastRecord(expired);
      if (last) {
        const signedUpTo = (await this.checkpoints.latestSignedSeq(category)) ?? 0;
        if (last.seq > signedUpTo) {
          await this.stallAlarm.stalled(category, last.seq, signedUpTo);
          continue;
        }
        await this.stallAlarm.proceeded(category);
        await this.checkpoints.sign(category, last.seq, last.hash, 'cut');
      }
      if (!(await this.repository.dropPartitions(expired))) continue;
      const dropped = expired.map((p) => p.name);
      this.logger.log(
        { category, dropped, cut_seq: last?.seq ?? null },
        'audit partitions dropped by retention',
      );
      outcomes.push({ category, dropped, cut_seq: last?.seq ?? null });
    }
    return outcomes;
  }
}
