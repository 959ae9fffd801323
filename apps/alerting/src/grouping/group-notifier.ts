import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import { CoalescingPoller } from '../scheduling/coalescing-poller';
import type { AlertState } from '../model/alert';
import { AlertRepository, type Transaction } from '../model/alert.repository';
import type { AlertingConfig } from '../config/alerting-config';
import { NotificationOutbox, type GroupNotification } from '../delivery/notification-outbox';
import type { ClaimedNotification } from '../delivery/notification.repository';
import { OutboxSender } from '../delivery/outbox.sender';
import type { RoutingConfig } from '../routing/routing-config';
import { RoutingConfigService } from '../routing/routing-config.service';
import type { SilenceMatcher } from '../silences/silence';
import { SilenceService } from '../silences/silence.service';
import {
  AlertGroupRepository,
  type AlertGroupRow,
  type GroupMember,
  type GroupRef,
} from './alert-group.repository';
import { decideGroupFlush } from './group-decision';

const BATCH_SIZE = 100;

/** Groups claimed for a flush, with what deciding it needs. */
export interface DueGroups {
  due: AlertGroupRow[];
  members: Map<string, GroupMember[]>;
  silences: SilenceMatcher;
  /** Firing alerts that may inhibit others (empty without inhibit rules). */
  firing: AlertState[];
  routing: RoutingConfig;
}

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
   * Claims the groups due now inside the caller's transaction (the intake applier's, right after its
   * writes made groups due, so a group_wait of 0 costs no second transaction). Issued at once: it is
   * pipelined behind the writes issued before it and sees their effect. Hand the claim to flushIn().
   */
  claimIn(tx: Transaction, now: Date): Promise<DueGroups> {
    const routing = this.routing.current;
    // The claim brings the members along; the silences and (in the transaction: alerts it applied,
    // inhibition sources among them, count) the firing alerts travel with it.
    return Promise.all([
      this.groups.claimDueWithMembers(tx, BATCH_SIZE),
      this.silences.matcherAt(now, tx),
      routing.inhibitRules.length ? this.alerts.firing(now, tx) : Promise.resolve([]),
    ]).then(([{ due, members }, silences, firing]) => ({ due, members, silences, firing, routing }));
  }

  /**
   * Flushes claimed groups in the caller's transaction; returns the notifications to hand to
   * OutboxSender.deliverClaimed() once it commits. `issued` is called as soon as every write is
   * issued: a caller with nothing more to write commits right behind them (tx.commitAhead).
   */
  async flushIn(
    tx: Transaction,
    claim: DueGroups,
    now: Date,
    issued?: () => void,
  ): Promise<ClaimedNotification[]> {
    const pass = await this.flushClaimed(tx, claim, now, issued);
    if (pass.claimed === BATCH_SIZE) this.poller.nudge();
    return pass.queued;
  }

  /** Flushes every due group; resolves to how many notifications were queued. */
  async drain(now?: Date): Promise<number> {
    let queued = 0;
    try {
      let claimed: number;
      do {
        const at = now ?? new Date();
        const pass = await this.alerts.transaction(async (tx) =>
          this.flushClaimed(tx, await this.claimIn(tx, at), at, () => tx.commitAhead?.()),
        );
        claimed = pass.claimed;
        queued += pass.queued.length;
        // Committed: send what this pass queued now, without waiting for the sender's next pass.
        this.sender.deliverClaimed(pass.queued);
      } while (claimed === BATCH_SIZE && !this.poller.isStopped);
    } catch (error) {
      // The database is unreachable: the next tick tries again; the groups are still due.
      this.logger.warn({ error: errorMessage(error) }, 'group flush failed');
    }
    return queued;
  }

  /**
   * One batch of due groups in two round trips whatever its size: the claim with the members of all
   * of them and the silences (claimIn), then the decisions, then the notifications, member removal,
   * flush bookkeeping and empty-group deletion for all of them, pipelined (2,000 groups becoming due
   * together must not cost 10,000 round trips, nor a lone alert ten).
   */
  private async flushClaimed(
    tx: Transaction,
    { due, members, silences, firing, routing }: DueGroups,
    now: Date,
    issued?: () => void,
  ): Promise<{ claimed: number; queued: ClaimedNotification[] }> {
    if (due.length === 0) {
      issued?.();
      return { claimed: 0, queued: [] };
    }
    const notifications: GroupNotification[] = [];
    const over: (GroupRef & { fingerprint: string })[] = [];
    const outcomes: (GroupRef & { nextFlushInMs: number; notifiedFiring: string[] | null })[] = [];
    const emptied: GroupRef[] = [];
    for (const group of due) {
      const ref = { groupKey: group.groupKey, receiver: group.receiver };
      const result = decideGroupFlush(group, members.get(`${group.groupKey}\u0000${group.receiver}`) ?? [], {
        routing,
        silences,
        inhibitionSources: firing,
        now,
      });
      if (result.notification) notifications.push(result.notification);
      if (result.receiverMissing) {
        this.logger.warn(
          { group_key: group.groupKey, receiver: group.receiver },
          'receiver no longer configured',
        );
      }
      over.push(...result.over.map((fingerprint) => ({ ...ref, fingerprint })));
      outcomes.push({ ...ref, ...result.decision });
      if (result.empty) emptied.push(ref);
    }
    const writes = [
      this.outbox.enqueueClaimedAll(tx, notifications, this.sender.leaseMs),
      this.groups.removeMembersAll(tx, over),
      this.groups.afterFlushAll(tx, outcomes),
      this.groups.deleteIfEmptyAll(tx, emptied),
    ] as const;
    issued?.();
    const [queued] = await Promise.all(writes);
    return { claimed: due.length, queued: queued.flat() };
  }
}
