import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

import { DependencyMonitor, type DependencyDetails } from '@vigil/platform';

import { AlertIntakeRepository } from './alert-intake.repository';

export const JOURNAL_LAG_ENTRIES = 'alerting_journal_lag_entries';
export const JOURNAL_OLDEST_AGE = 'alerting_journal_oldest_unapplied_age_seconds';

/**
 * Past this age, the oldest unapplied entry means the journal is stuck, not busy: a burst is applied
 * within about a second of its last request. The same threshold as the VigilAlertJournalStalled rule.
 */
const STALLED_AFTER_S = 60;

/**
 * `intake-journal` in /health/detailed, and the journal's lag as metrics: how many accepted requests
 * wait to be applied and how long the oldest has waited (the journal is shared: every replica reports
 * the same figures), and how many entries were quarantined. Down while the oldest entry has waited
 * past STALLED_AFTER_S. Not critical: the journal is shared by every replica, so taking this one out
 * of service would not help, and it still accepts alerts durably; the alert rule tells people.
 */
@Injectable()
export class JournalHealth implements OnModuleInit {
  private details: DependencyDetails = {
    lag_entries: null,
    oldest_unapplied_age_s: null,
    quarantined_entries: null,
  };

  constructor(
    private readonly monitor: DependencyMonitor,
    private readonly journal: AlertIntakeRepository,
    @InjectMetric(JOURNAL_LAG_ENTRIES) private readonly lag: Gauge<string>,
    @InjectMetric(JOURNAL_OLDEST_AGE) private readonly oldestAge: Gauge<string>,
  ) {}

  onModuleInit(): void {
    this.monitor.register({
      name: 'intake-journal',
      critical: false,
      run: () => this.check(),
      details: () => this.details,
    });
  }

  private async check(): Promise<void> {
    const stats = await this.journal.stats();
    const ageS =
      stats.oldestReceivedAt === null
        ? 0
        : Math.max(0, (Date.now() - stats.oldestReceivedAt.getTime()) / 1000);
    this.lag.set(stats.lagEntries);
    this.oldestAge.set(ageS);
    this.details = {
      lag_entries: stats.lagEntries,
      oldest_unapplied_age_s: Math.round(ageS * 10) / 10,
      quarantined_entries: stats.quarantinedEntries,
    };
    if (ageS > STALLED_AFTER_S) {
      throw new Error(
        `${stats.lagEntries} accepted requests wait to be applied; the oldest for ${Math.round(ageS)} s`,
      );
    }
  }
}
