import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { SERVICE_CONFIG } from '@vigil/platform';

import { CoalescingPoller } from '../scheduling/coalescing-poller';
import type { AlertState } from '../alerts/alert';
import { AlertRepository, type Transaction } from '../alerts/alert.repository';
import type { AlertingConfig } from '../config/alerting-config';
import { NotificationOutbox } from '../delivery/notification-outbox';
import { OutboxSender } from '../delivery/outbox.sender';
import { inhibitedBy, type RoutingConfig } from '../routing/routing-config';
import { RoutingConfigService } from '../routing/routing-config.service';
import type { SilenceMatcher } from '../silences/silence';
import { SilenceService } from '../silences/silence.service';
import { AlertGroupRepository, type AlertGroupRow } from './alert-group.repository';
import { decideFlush } from './group-flush';

const BATCH_SIZE = 100;

/**
 * The dispatcher: every DELIVERY_POLL_MS (and right after alerts join or leave groups) it claims due
 * groups (row locks, SKIP LOCKED: each group is flushed by one replica), drops silenced and
 * inhibited alerts, decides whether the receiver must be told (new firing alerts, resolutions,
 * repeat_interval) and queues the notification in the same transaction as the group's new state.
 */
@Injectable()
export class GroupNotifier implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(GroupNotifier.name);
  private readonly poller: CoalescingPoller;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    private readonly dataSource: DataSource,
    private readonly groups: AlertGroupRepository,
    private readonly alerts: AlertRepository,
    private readonly silences: SilenceService,
    private readonly routing: RoutingConfigService,
    private readonly outbox: NotificationOutbox,
    private readonly sender: OutboxSender,
  ) {
    this.poller = new CoalescingPoller(this.config.DELIVERY_POLL_MS, () => this.drain());
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.poller.stop();
  }

  /** Runs a pass now, or right after the pass in progress. */
  nudge(): void {
    this.poller.nudge();
  }

  /** Flushes every due group; resolves to how many notifications were queued. */
  async drain(now?: Date): Promise<number> {
    let queued = 0;
    try {
      let claimed: number;
      do {
        const pass = await this.dataSource.transaction((tx) => this.flushBatch(tx, now ?? new Date()));
        claimed = pass.claimed;
        queued += pass.queued;
      } while (claimed === BATCH_SIZE && !this.poller.isStopped);
    } catch (error) {
      // The database is unreachable: the next tick tries again; the groups are still due.
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'group flush failed',
      );
    }
    if (queued) this.sender.nudge();
    return queued;
  }

  private async flushBatch(tx: Transaction, now: Date): Promise<{ claimed: number; queued: number }> {
    const due = await this.groups.claimDue(tx, BATCH_SIZE);
    if (due.length === 0) return { claimed: 0, queued: 0 };
    const routing = this.routing.current;
    const [silences, firing] = await Promise.all([
      this.silences.matcherAt(now),
      routing.inhibitRules.length ? this.alerts.firing(now) : Promise.resolve([]),
    ]);
    let queued = 0;
    for (const group of due) queued += await this.flush(tx, group, routing, silences, firing, now);
    return { claimed: due.length, queued };
  }

  private async flush(
    tx: Transaction,
    group: AlertGroupRow,
    routing: RoutingConfig,
    silences: SilenceMatcher,
    inhibitionSources: readonly AlertState[],
    now: Date,
  ): Promise<number> {
    const members = await this.groups.members(tx, group);
    const over = members.filter((m) => !m.current || m.status === 'resolved');
    const firing = members.filter((m) => m.current && m.status === 'firing');
    const muted = (alert: AlertState) =>
      silences.silencedBy(alert.labels).length > 0 ||
      (routing.inhibitRules.length > 0 &&
        inhibitedBy(routing.inhibitRules, alert, inhibitionSources).length > 0);
    const told = firing.filter((a) => !muted(a));
    const decision = decideFlush({
      firing: told,
      resolved: over.filter((m) => m.current),
      mutedCount: firing.length - told.length,
      notifiedFiring: group.notifiedFiring,
      lastNotifiedAt: group.lastNotifiedAt,
      groupIntervalMs: group.groupIntervalMs,
      repeatIntervalMs: group.repeatIntervalMs,
      now,
    });
    let queued = 0;
    const receiver = routing.receivers.get(group.receiver);
    if (decision.notify && receiver) {
      queued = await this.outbox.enqueue(tx, {
        groupKey: group.groupKey,
        groupLabels: group.groupLabels,
        receiver,
        key: `${group.receiver}:${group.groupKey}:${group.createdAt.getTime()}.${group.notifications + 1}`,
        alerts: decision.alerts,
      });
      this.logger.log(
        {
          group_key: group.groupKey,
          receiver: group.receiver,
          firing: told.length,
          resolved: decision.alerts.length - told.length,
          integrations: queued,
        },
        'group notification queued',
      );
    } else if (decision.notify) {
      this.logger.warn(
        { group_key: group.groupKey, receiver: group.receiver },
        'receiver no longer configured',
      );
    }
    await this.groups.removeMembers(
      tx,
      group,
      over.map((m) => m.fingerprint),
    );
    await this.groups.afterFlush(tx, group, decision);
    if (firing.length === 0) await this.groups.deleteIfEmpty(tx, group);
    return queued;
  }
}
