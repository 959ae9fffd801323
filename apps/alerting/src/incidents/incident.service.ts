import { Inject, Injectable, Logger } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';
import { redact } from '@vigil/redaction';

import type { AlertState } from '../model/alert';
import type { AlertChange } from '../model/alert-lifecycle';
import { AlertRepository, type Transaction } from '../model/alert.repository';
import type { AlertingConfig } from '../config/alerting-config';
import { NotificationOutbox } from '../delivery/notification-outbox';
import { OutboxSender } from '../delivery/outbox.sender';
import { AlertGroupRepository } from '../grouping/alert-group.repository';
import { GroupMembership } from '../grouping/group-membership';
import { GroupNotifier } from '../grouping/group-notifier';
import { IntakeApplier } from '../intake/intake-applier';
import { RoutingConfigService } from '../routing/routing-config.service';
import { AuditPublisher } from './audit-publisher';
import { EpisodeRecorder, episodeKeyOf } from '../episodes/episode-recorder';
import {
  EpisodeRepository,
  type Episode,
  type HistoryEntry,
  type HistoryQuery,
} from '../episodes/episode.repository';

export type IncidentAction = 'acknowledge' | 'resolve' | 'false_positive';

export interface IncidentCommand {
  fingerprint: string;
  action: IncidentAction;
  who: string;
  comment: string | null;
}

export class AlertNotFoundError extends Error {}
export class AlertNotFiringError extends Error {}

/**
 * What on-call people do to an alert: acknowledge it (escalation stops; PagerDuty is told), resolve
 * it by hand (receivers are told as if it had resolved), or mark it a false positive (resolved and
 * counted as such). Each is a history entry with its actor, published to the audit trail.
 */
@Injectable()
export class IncidentService {
  private readonly logger = new Logger(IncidentService.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: AlertingConfig,
    private readonly alerts: AlertRepository,
    private readonly episodes: EpisodeRepository,
    private readonly recorder: EpisodeRecorder,
    private readonly groups: AlertGroupRepository,
    private readonly membership: GroupMembership,
    private readonly outbox: NotificationOutbox,
    private readonly routing: RoutingConfigService,
    private readonly notifier: GroupNotifier,
    private readonly sender: OutboxSender,
    private readonly audit: AuditPublisher,
    private readonly applier: IntakeApplier,
  ) {}

  async apply(command: IncidentCommand, now = new Date()): Promise<Episode> {
    // Act on the alert as the caller knows it: everything it posted before is applied first.
    await this.applier.settled();
    const input = redact({ who: command.who, comment: command.comment });
    const episode = await this.alerts.transaction(async (tx) => {
      await this.alerts.lockWriters(tx);
      const current = await this.alerts.find(tx, command.fingerprint);
      if (!current) throw new AlertNotFoundError(`no alert has fingerprint ${command.fingerprint}`);
      const firing = current.status === 'firing' && current.endsAt > now;
      if (!firing && command.action !== 'false_positive') {
        throw new AlertNotFiringError(`alert ${command.fingerprint} is not firing`);
      }
      const known = await this.episodes.find(tx, current.fingerprint, current.startsAt);
      if (!known) {
        await this.episodes.open(tx, {
          fingerprint: current.fingerprint,
          startsAt: current.startsAt,
          ...episodeKeyOf(current),
          labels: current.labels,
          firedAt: current.startsAt,
          escalationPolicy: null,
          nextEscalationAt: null,
        });
      }
      const extra = { comment: input.comment, audit: true };
      switch (command.action) {
        case 'acknowledge':
          if (known?.acknowledgedAt) break;
          await this.episodes.acknowledge(tx, current.fingerprint, current.startsAt, now, input.who);
          await this.recorder.history(tx, current, 'acknowledged', input.who, now, extra);
          await this.acknowledgePagers(tx, current);
          break;
        case 'resolve':
          await this.resolveNow(tx, current, now);
          await this.episodes.resolve(tx, current.fingerprint, current.startsAt, now, input.who);
          await this.recorder.history(tx, current, 'resolved_manually', input.who, now, extra);
          break;
        case 'false_positive':
          if (firing) await this.resolveNow(tx, current, now);
          await this.episodes.resolve(tx, current.fingerprint, current.startsAt, now, input.who, true);
          await this.recorder.history(tx, current, 'false_positive', input.who, now, extra);
          break;
      }
      const after = await this.episodes.find(tx, current.fingerprint, current.startsAt);
      if (!after) throw new Error(`episode of ${current.fingerprint} vanished`);
      return after;
    });
    this.logger.log(
      { alert_fingerprint: command.fingerprint, action: command.action, actor: input.who },
      'alert action recorded',
    );
    this.notifier.nudge();
    this.sender.nudge();
    this.audit.nudge();
    return episode;
  }

  /** Every state change matching the query, including those of alerts accepted just before. */
  async history(query: HistoryQuery): Promise<HistoryEntry[]> {
    await this.applier.settled();
    return this.episodes.history(query);
  }

  /** Resolves the alert now, through the same grouping as a resolution reported by its source. */
  private async resolveNow(tx: Transaction, current: AlertState, now: Date): Promise<void> {
    const change: AlertChange = { next: { ...current, endsAt: now, status: 'resolved' }, transition: true };
    await this.alerts.save(tx, change.next);
    await this.membership.track(tx, [change], this.routing.current);
  }

  /** Queues a PagerDuty acknowledge for the incident of every group the alert is in. */
  private async acknowledgePagers(tx: Transaction, alert: AlertState): Promise<void> {
    const routing = this.routing.current;
    for (const group of await this.groups.groupsOf(tx, alert.fingerprint)) {
      const receiver = routing.receivers.get(group.receiver);
      if (!receiver) continue;
      await this.outbox.enqueue(tx, {
        groupKey: group.groupKey,
        groupLabels: {},
        receiver,
        key: `ack:${group.receiver}:${group.groupKey}:${alert.fingerprint}:${alert.startsAt.toISOString()}`,
        alerts: [alert],
        action: 'acknowledge',
      });
    }
  }
}
