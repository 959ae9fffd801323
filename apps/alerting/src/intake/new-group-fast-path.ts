import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import type { AlertSource, LabelSet } from '../model/alert';
import { applyIncoming, type AlertChange } from '../model/alert-lifecycle';
import type { AppliedAlert, ReceivedAlert } from './alert-pipeline';
import { AlertRepository, type Transaction } from '../model/alert.repository';
import { NotificationOutbox, type GroupNotification } from '../delivery/notification-outbox';
import type { ClaimedNotification } from '../delivery/notification.repository';
import { OutboxSender } from '../delivery/outbox.sender';
import { AlertGroupRepository, type GroupRef, type GroupTimings } from '../grouping/alert-group.repository';
import { decideGroupFlush } from '../grouping/group-decision';
import { EpisodeRecorder } from '../episodes/episode-recorder';
import { matchesAll } from '../matchers/label-matcher';
import { groupKeyOf, groupLabelsOf, matchRoutes, type RoutingConfig } from '../routing/routing-config';
import { RoutingConfigService } from '../routing/routing-config.service';
import type { SilenceMatcher } from '../silences/silence';
import { SilenceService } from '../silences/silence.service';
import { AlertIntakeRepository, isExpectationFailure } from './alert-intake.repository';
import { RecentKeys } from './recent-keys';

export const NEW_GROUP_PATH = 'alerting_new_group_path_total';

/** Alerts and groups remembered as stored (beyond this, a misguess costs one round trip). */
const REMEMBERED = 100_000;

interface PlannedGroup extends GroupRef {
  labels: LabelSet;
  timings: GroupTimings;
  changes: AlertChange[];
}

type NewGroup = PlannedGroup & {
  createdAt: Date;
  flush: { nextFlushInMs: number; notifiedFiring: string[] | null } | null;
};

interface Plan {
  source: AlertSource;
  changes: AlertChange[];
  groups: PlannedGroup[];
  silences: { matcher: SilenceMatcher; signature: string };
}

/**
 * The first notification of a new incident in one database round trip. A lone request whose alerts
 * are all new and firing, and open only groups that do not exist yet, needs nothing read: the alerts,
 * their groups, the first flush of each group (group_wait 0: decided here, with the same decision
 * as GroupNotifier's), episodes, history and notifications are written behind one statement that
 * takes the writers' lock and checks that guess (new alerts, new groups, an empty journal, the same
 * silences in force), with COMMIT right behind. When the guess was wrong, the check aborts the
 * transaction and the caller takes the ordinary path (three round trips): that costs one round trip,
 * and the alerts and groups are remembered so the guess is not made again for them. The guess is not
 * made for an alert an inhibit rule could mute (inhibition depends on every firing alert).
 */
@Injectable()
export class NewGroupFastPath {
  private readonly logger = new Logger(NewGroupFastPath.name);
  private readonly storedAlerts = new RecentKeys(REMEMBERED);
  private readonly storedGroups = new RecentKeys(REMEMBERED);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly journal: AlertIntakeRepository,
    private readonly groups: AlertGroupRepository,
    private readonly episodes: EpisodeRecorder,
    private readonly outbox: NotificationOutbox,
    private readonly sender: OutboxSender,
    private readonly silences: SilenceService,
    private readonly routing: RoutingConfigService,
    @InjectMetric(NEW_GROUP_PATH) private readonly outcomes: Counter<string>,
  ) {}

  /** Alerts now stored (by any path): they are not new any more. */
  remember(applied: readonly AppliedAlert[]): void {
    for (const { state } of applied) this.storedAlerts.add(state.fingerprint);
  }

  /**
   * Applies `received` in one round trip when it fits (see the class); resolves to null, having
   * written nothing, when the caller must take the ordinary path.
   */
  async tryApply(
    received: readonly ReceivedAlert[],
  ): Promise<{ applied: AppliedAlert[]; queued: ClaimedNotification[] } | null> {
    const routing = this.routing.current;
    const plan = this.plan(received, routing);
    if (plan === null) return null;
    const { source, receivedAt } = received[0];
    try {
      const queued = await this.alerts.transaction((tx) => this.write(tx, plan, routing, receivedAt));
      this.rememberPlan(plan);
      this.outcomes.inc({ result: 'applied' });
      return {
        applied: plan.changes.map((c) => ({ state: c.next, transition: c.transition, source })),
        queued,
      };
    } catch (error) {
      if (!isExpectationFailure(error)) throw error;
      // Some of it exists (written by another replica, or before this one started): the ordinary
      // path applies it; do not guess again for these.
      this.rememberPlan(plan);
      this.outcomes.inc({ result: 'fallback' });
      return null;
    }
  }

  /** The plan's writes in one round trip: the check, every write, then COMMIT (aborted if the check fails). */
  private async write(
    tx: Transaction,
    plan: Plan,
    routing: RoutingConfig,
    receivedAt: Date,
  ): Promise<ClaimedNotification[]> {
    // Everything leaves in one write, the lock and the check first: one wake-up of the backend per
    // alert, not two (sending them ahead bought tens of microseconds of overlap, and on two busy
    // cores any wake-up may wait for a scheduler tick, 4 ms here).
    const expecting = this.journal.lockWritersExpectingNew(tx, {
      fingerprints: plan.changes.map((c) => c.next.fingerprint),
      groups: plan.groups,
      silences: plan.silences.signature,
    });
    const { created, notifications } = this.firstFlushes(plan, routing, new Date());
    const writes = [
      expecting,
      this.alerts.saveAll(
        tx,
        plan.changes.map((c) => c.next),
      ),
      this.groups.createAll(
        tx,
        created,
        plan.groups.flatMap((g) =>
          g.changes.map((c) => ({ ...g, fingerprint: c.next.fingerprint, startsAt: c.next.startsAt })),
        ),
      ),
      this.episodes.record(tx, plan.changes, plan.source, routing, receivedAt),
    ] as const;
    const queuing = this.outbox.enqueueClaimedAll(tx, notifications, this.sender.leaseMs);
    tx.commitAhead?.();
    const [stored] = await Promise.all([queuing, ...writes]);
    return stored.flat();
  }

  /**
   * Each new group as its first flush leaves it (decided as GroupNotifier decides it), or due after
   * group_wait when that is not 0, and the notifications those flushes send.
   */
  private firstFlushes(
    plan: Plan,
    routing: RoutingConfig,
    now: Date,
  ): { created: NewGroup[]; notifications: GroupNotification[] } {
    const notifications: GroupNotification[] = [];
    const created = plan.groups.map((group): NewGroup => {
      if (group.timings.groupWaitMs > 0) return { ...group, createdAt: now, flush: null };
      const flush = decideGroupFlush(
        {
          ...group,
          groupLabels: group.labels,
          ...group.timings,
          lastNotifiedAt: null,
          notifiedFiring: [],
          notifications: 0,
          createdAt: now,
        },
        group.changes.map((c) => ({ ...c.next, current: true })),
        { routing, silences: plan.silences.matcher, inhibitionSources: [], now },
      );
      if (flush.notification) notifications.push(flush.notification);
      if (flush.receiverMissing) {
        this.logger.warn(
          { group_key: group.groupKey, receiver: group.receiver },
          'receiver no longer configured',
        );
      }
      return { ...group, createdAt: now, flush: flush.decision };
    });
    return { created, notifications };
  }

  /** What to write, or null when the request does not fit: see the class. */
  private plan(received: readonly ReceivedAlert[], routing: RoutingConfig): Plan | null {
    const silences = this.silences.lastInForce();
    if (silences === null || received.length === 0) return null;
    const source = received[0].source;
    const changes: AlertChange[] = [];
    const groups = new Map<string, PlannedGroup>();
    const fingerprints = new Set<string>();
    for (const { fingerprint, alert, receivedAt, source: from } of received) {
      if (from !== source || fingerprints.has(fingerprint) || this.storedAlerts.has(fingerprint)) return null;
      fingerprints.add(fingerprint);
      const change = {
        ...applyIncoming(fingerprint, null, alert, receivedAt, routing.resolveTimeoutMs),
        at: receivedAt,
      };
      if (change.next.status !== 'firing') return null;
      if (routing.inhibitRules.some((rule) => matchesAll(rule.target, alert.labels))) return null;
      changes.push(change);
      const joined = new Set<string>();
      for (const route of matchRoutes(routing.route, alert.labels)) {
        const labels = groupLabelsOf(route, alert.labels);
        const ref = { groupKey: groupKeyOf(route, labels), receiver: route.receiver };
        const id = groupIdOf(ref);
        if (this.storedGroups.has(id)) return null;
        if (joined.has(id)) continue;
        joined.add(id);
        let group = groups.get(id);
        if (!group) {
          group = {
            ...ref,
            labels,
            timings: {
              groupWaitMs: route.groupWaitMs,
              groupIntervalMs: route.groupIntervalMs,
              repeatIntervalMs: route.repeatIntervalMs,
            },
            changes: [],
          };
          groups.set(id, group);
        }
        group.changes.push(change);
      }
    }
    return { source, changes, groups: [...groups.values()], silences };
  }

  private rememberPlan(plan: Plan): void {
    for (const change of plan.changes) this.storedAlerts.add(change.next.fingerprint);
    for (const group of plan.groups) this.storedGroups.add(groupIdOf(group));
  }
}

function groupIdOf(group: GroupRef): string {
  return `${group.groupKey}\u0000${group.receiver}`;
}
