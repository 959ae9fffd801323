import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { errorMessage } from '@vigil/platform';

import { ERRORS_PROJECTS, type ErrorsProject } from '../config/projects-config';
import { ErrorEventStore } from '../storage/error-event.store';
import { RetentionRepository } from '../storage/retention.repository';
import { retentionPlan } from './retention-plan';

/** How often retention runs (it is idempotent and cheap when nothing expired). */
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Applies each project's `retention_days` to its events (issues stay): see retentionPlan. One replica
 * works at a time (advisory lock); a run that finds the lock taken does nothing.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(ERRORS_PROJECTS) private readonly projects: readonly ErrorsProject[],
    private readonly repository: RetentionRepository,
    private readonly store: ErrorEventStore,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.applyRetention().catch((error: unknown) =>
        this.logger.error({ error: errorMessage(error) }, 'retention failed'),
      );
    }, RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async applyRetention(now: Date = new Date()): Promise<{ dropped: string[]; deleted: number } | null> {
    const plan = retentionPlan(await this.repository.monthlyPartitions(), this.projects, now);
    if (plan.drop.length === 0 && plan.trim.length === 0) return { dropped: [], deleted: 0 };
    const outcome = await this.repository.apply(plan);
    if (outcome && outcome.dropped.length > 0) this.store.forgetPartitions();
    if (outcome) this.logger.log(outcome, 'error events removed by retention');
    return outcome;
  }
}
