import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import { CoalescingPoller } from '../scheduling/coalescing-poller';
import type { AlertState } from '../alerts/alert';
import { AlertRepository, type Transaction } from '../alerts/alert.repository';
import type { AlertingConfig } from '../config/alerting-config';
import { NotificationOutbox } from '../delivery/notification-outbox';
import type { ClaimedNotification } from '../delivery/notification.repository';
import { OutboxSender } from '../delivery/outbox.sender';
import { inhibitedBy, type RoutingConfig } from '../routing/routing-config';
import { RoutingConfigService } from '../routing/routing-config.service';
import type { SilenceMatcher } from '../silences/silence';
import { SilenceService } from '../silences/silence.service';
import {
  AlertGroupRepository,
  type AlertGroupRow,
  type GroupMember,
  type GroupRef,
} from './alert-group.repository';
import { decideFlush, type FlushDecision } from './group-flush';

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

  /**
   * Flushes the groups due now inside the caller's transaction (the intake applier's, right after it
   * made groups due, so a group_wait of 0 costs no second transaction). Returns the notifications to
   * hand to OutboxSender.deliverClaimed() once that transaction commits.
   */
  async flushDueIn(tx: Transaction, now: Date): Promise<ClaimedNotification[]> {
    const pass = await this.flushBatch(tx, now);
    if (pass.claimed === BATCH_SIZE) this.poller.nudge();
    return pass.queued;
  }

  /** Flushes every due group; resolves to how many notifications were queued. */
  async drain(now?: Date): Promise<number> {
    let queued = 0;
    try {
      let claimed: number;
      do {
        const pass = await this.alerts.transaction((tx) => this.flushBatch(tx, now ?? new Date()));
        claimed = pass.claimed;
        queued += pass.queued.length;
        // Committed: send what this pass queued now, without waiting for the sender's next pass.
        this.sender.deliverClaimed(pass.queued);
      } while (claimed === BATCH_SIZE && !this.poller.isStopped);
    } catch (error) {
      // The database is unreachable: the next tick tries again; the groups are still due.
      this.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'group flush failed',
      );
    }
    return queued;
  }

  /**
   * One batch of due groups in a few statements whatever its size: members of all of them in one
   * query, then the decisions, then member removal, flush bookkeeping and empty-group deletion for
   * all of them at once (2,000 groups becoming due together must not cost 10,000 round trips).
   */
  private async flushBatch(
    tx: Transaction,
    now: Date,
  ): Promise<{ claimed: number; queued: ClaimedNotification[] }> {
    // Hot path: the claim brings the members along (one round trip for both).
    const { due, members } = await this.groups.claimDueWithMembers(tx, BATCH_SIZE);
    if (due.length === 0) return { claimed: 0, queued: [] };
    const routing = this.routing.current;
    const [silences, firing] = await Promise.all([
      this.silences.matcherAt(now),
      // In the transaction: alerts applied by it (inhibition sources among them) count.
      routing.inhibitRules.length ? this.alerts.firing(now, tx) : Promise.resolve([]),
    ]);
    const queued: ClaimedNotification[] = [];
    const over: (GroupRef & { fingerprint: string })[] = [];
    const outcomes: (GroupRef & { nextFlushInMs: number; notifiedFiring: string[] | null })[] = [];
    const emptied: GroupRef[] = [];
    for (const group of due) {
      const result = await this.flush(
        tx,
        group,
        members.get(`${group.groupKey}\u0000${group.receiver}`) ?? [],
        routing,
        silences,
        firing,
        now,
      );
      queued.push(...result.queued);
      const ref = { groupKey: group.groupKey, receiver: group.receiver };
      over.push(...result.over.map((fingerprint) => ({ ...ref, fingerprint })));
      outcomes.push({ ...ref, ...result.decision });
      if (result.empty) emptied.push(ref);
    }
    await this.groups.removeMembersAll(tx, over);
    await this.groups.afterFlushAll(tx, outcomes);
    await this.groups.deleteIfEmptyAll(tx, emptied);
    return { claimed: due.length, queued };
  }

  /** Decides one group's flush and queues its notification; the caller does the bookkeeping. */
  private async flush(
    tx: Transaction,
    group: AlertGroupRow,
    members: readonly GroupMember[],
    routing: RoutingConfig,
    silences: SilenceMatcher,
    inhibitionSources: readonly AlertState[],
    now: Date,
  ): Promise<{ queued: ClaimedNotification[]; over: string[]; decision: FlushDecision; empty: boolean }> {
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
    let queued: ClaimedNotification[] = [];
    const receiver = routing.receivers.get(group.receiver);
    if (decision.notify && receiver) {
      queued = await this.outbox.enqueueClaimed(
        tx,
        {
          groupKey: group.groupKey,
          groupLabels: group.groupLabels,
          receiver,
          key: `${group.receiver}:${group.groupKey}:${group.createdAt.getTime()}.${group.notifications + 1}`,
          alerts: decision.alerts,
        },
        this.sender.leaseMs,
      );
      this.logger.log(
        {
          group_key: group.groupKey,
          receiver: group.receiver,
          firing: told.length,
          resolved: decision.alerts.length - told.length,
          integrations: queued.length,
        },
        'group notification queued',
      );
    } else if (decision.notify) {
      this.logger.warn(
        { group_key: group.groupKey, receiver: group.receiver },
        'receiver no longer configured',
      );
    }
    return { queued, over: over.map((m) => m.fingerprint), decision, empty: firing.length === 0 };
  }
}
