import { Inject, Injectable, Logger } from '@nestjs/common';

import { redactString } from '@vigil/redaction';

import { TargetStateService } from '../state/target-state.service';
import { activeCronOf } from '../targets/active-cron';
import { nextCronTime, type CronSchedule } from '../targets/cron-schedule';
import type { TargetDefinition } from '../targets/target-definition';
import { REPLICA_ID } from '../config/replica-id';
import { TargetLeaseRepository } from './target-lease.repository';
import { errorMessage } from '@vigil/platform';

/**
 * A lease outlives one interval by half of one (at least 2 s, for a late timer on a busy replica),
 * so its owner renews it on every check in time. A cron-scheduled target's lease lasts until its next
 * firing plus cronLeaseSlackMs: every replica fires at the same instant, and the owner, renewing then,
 * still holds it.
 */
export function leaseTtlMs(target: TargetDefinition, now: Date = new Date()): number {
  const cron = activeCronOf(target);
  if (cron === null) return target.intervalMs + Math.max(Math.round(target.intervalMs / 2), 2000);
  const gapMs = cronGapMs(cron, now);
  return gapMs + cronLeaseSlackMs(gapMs);
}

/**
 * How long after a missed cron firing another replica retries a target whose lease it was refused: just past
 * the slack, when a dead owner's lease has expired, so the firing's check still runs (late by at most ~1 min).
 */
export function leaseRetryDelayMs(target: TargetDefinition, now: Date = new Date()): number {
  const cron = activeCronOf(target);
  if (cron === null) return target.intervalMs / 2;
  return cronLeaseSlackMs(cronGapMs(cron, now)) + 1000;
}

/** Half the gap between firings, between 2 s and 1 min: a late timer is covered, a dead owner is replaced soon. */
function cronLeaseSlackMs(gapMs: number): number {
  return Math.min(Math.max(Math.round(gapMs / 2), 2000), 60_000);
}

/**
 * From `now` to the firing after the one happening now. A claim is made at a firing (or a moment after), so
 * the next firing is searched from a second later: a timer that fires a little early still sees the right one.
 */
function cronGapMs(cron: CronSchedule, now: Date): number {
  return nextCronTime(cron, new Date(now.getTime() + 1000)).getTime() - now.getTime();
}

/**
 * Decides which targets this replica checks: the ones whose lease it holds in Postgres. A replica
 * that dies stops renewing; its leases expire 1.5 intervals after its last check and the others,
 * retrying every half interval, take them over within two intervals of that check. Taking over a
 * target reloads its state from Postgres, so thresholds continue where the last owner left them.
 * Without Postgres the replica checks everything (a duplicate check beats a blind spot).
 */
@Injectable()
export class TargetLeases {
  private readonly logger = new Logger(TargetLeases.name);
  private readonly owned = new Set<string>();
  private degraded = false;

  constructor(
    @Inject(REPLICA_ID) readonly replicaId: string,
    private readonly repository: TargetLeaseRepository,
    private readonly states: TargetStateService,
  ) {}

  async holds(target: TargetDefinition): Promise<boolean> {
    let held: boolean;
    try {
      held = await this.repository.claim(target.name, this.replicaId, leaseTtlMs(target));
      if (this.degraded) {
        this.degraded = false;
        this.logger.log({ replica: this.replicaId }, 'target leases available again');
      }
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        const message = errorMessage(error);
        this.logger.warn(
          { replica: this.replicaId, error: redactString(message) },
          'target leases unavailable; checking every target',
        );
      }
      return true;
    }
    if (held && !this.owned.has(target.name)) {
      this.owned.add(target.name);
      await this.states.reload(target.name);
      this.logger.log({ target: target.name, replica: this.replicaId }, 'target lease taken');
    } else if (!held && this.owned.delete(target.name)) {
      this.logger.log({ target: target.name, replica: this.replicaId }, 'target lease lost');
    }
    return held;
  }

  /** Whether this replica checks `name` now (without claiming it): the lease is held, or leases are unavailable. */
  owns(name: string): boolean {
    return this.degraded || this.owned.has(name);
  }

  async releaseAll(): Promise<void> {
    this.owned.clear();
    try {
      await this.repository.releaseAll(this.replicaId);
    } catch {
      // The leases expire on their own.
    }
  }
}
