import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { redactString } from '@vigil/redaction';

import { CheckHistoryRepository } from './check-history.repository';
import { errorMessage } from '@vigil/platform';

const DAY_MS = 86_400_000;
/** Raw results are kept this long, then rolled into hourly rows. */
export const RAW_RETENTION_MS = 7 * DAY_MS;
/** Hourly rows and closed incidents are kept this long. */
export const HOURLY_RETENTION_MS = 365 * DAY_MS;
const RUN_EVERY_MS = 3_600_000;
const FIRST_RUN_AFTER_MS = 60_000;
/** pg advisory lock key: one replica downsamples at a time. */
const LOCK_KEY = 0x76_69_67_01;

/**
 * Hourly: rolls raw check results older than 7 days into hourly rows and drops hourly rows older
 * than a year. Runs on one replica at a time (a Postgres advisory lock), so replicas never double
 * count an hour.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionJob.name);
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly history: CheckHistoryRepository) {}

  onApplicationBootstrap(): void {
    const first = setTimeout(() => void this.run(), FIRST_RUN_AFTER_MS);
    const every = setInterval(() => void this.run(), RUN_EVERY_MS);
    this.timers = [first.unref(), every.unref()];
  }

  onModuleDestroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  async run(now = new Date()): Promise<void> {
    try {
      const rolled = await this.history.exclusively(LOCK_KEY, async () => {
        const count = await this.history.downsample(new Date(now.getTime() - RAW_RETENTION_MS).toISOString());
        await this.history.prune(new Date(now.getTime() - HOURLY_RETENTION_MS).toISOString());
        return count;
      });
      if (rolled) this.logger.log({ raw_rows: rolled }, 'check results downsampled to hourly');
    } catch (error) {
      this.logger.error({ error: redactString(errorMessage(error)) }, 'downsampling failed');
    }
  }
}
