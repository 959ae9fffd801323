import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { AlertingConfig } from '../config/alerting-config';
import { judgeWatchdog, watchdogMissingAlert, type WatchdogVerdict } from '../watchdog/watchdog';
import { WatchdogRepository } from '../watchdog/watchdog.repository';
import { CoalescingPoller } from '../scheduling/coalescing-poller';
import { AlertService } from './alert.service';

/**
 * A re-sent VigilWatchdogMissing stays firing this many check intervals (Prometheus' rule for its own
 * re-sends): a replica that dies while it fires does not leave it firing forever.
 */
const VALID_FOR_CHECKS = 4;

/**
 * Prometheus' dead man's switch: every WATCHDOG_CHECK_INTERVAL_MS one replica (advisory lock) judges
 * the shared watchdog record and fires VigilWatchdogMissing through the normal intake (routing,
 * grouping, delivery) while no Watchdog arrived for WATCHDOG_TIMEOUT_S, and resolves it once one does.
 */
@Injectable()
export class WatchdogCheckJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WatchdogCheckJob.name);
  private readonly poller: CoalescingPoller;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    private readonly watchdogs: WatchdogRepository,
    private readonly alerts: AlertService,
  ) {
    this.poller = new CoalescingPoller(config.WATCHDOG_CHECK_INTERVAL_MS, () =>
      this.check().catch((error: unknown) =>
        this.logger.warn({ error: errorMessage(error) }, 'watchdog check failed'),
      ),
    );
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.poller.stop();
  }

  /** The verdict of this round; null while the check is not armed, undefined when another replica judged. */
  check(now = new Date()): Promise<WatchdogVerdict | null | undefined> {
    const name = this.config.WATCHDOG_ALERTNAME;
    return this.watchdogs.exclusively(async (tx) => {
      if (this.config.WATCHDOG_REQUIRED) await this.watchdogs.arm(tx, name, now);
      const record = await this.watchdogs.find(tx, name);
      if (!record) return null;
      const verdict = judgeWatchdog(record, now, this.config.WATCHDOG_TIMEOUT_S * 1000);
      if (verdict.kind === 'healthy') return verdict;
      const validUntil = new Date(now.getTime() + VALID_FOR_CHECKS * this.config.WATCHDOG_CHECK_INTERVAL_MS);
      // Sent while the record is locked: another replica cannot resolve what this one is raising.
      await this.alerts.receive([watchdogMissingAlert(name, verdict, record, now, validUntil)], 'system');
      const raisedAt = verdict.kind === 'missing' ? (record.raisedAt ?? verdict.since) : null;
      await this.watchdogs.setRaised(tx, name, raisedAt);
      if (verdict.kind === 'recovered' || !record.raisedAt) {
        const event = verdict.kind === 'missing' ? 'watchdog missing' : 'watchdog back';
        this.logger.warn({ watchdog: name, last_seen_at: record.lastSeenAt?.toISOString() ?? null }, event);
      }
      return verdict;
    });
  }
}
