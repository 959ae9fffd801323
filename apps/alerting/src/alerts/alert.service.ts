import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { redact } from '@vigil/redaction';

import { GroupMembership } from '../grouping/group-membership';
import { GroupNotifier } from '../grouping/group-notifier';
import { EpisodeRecorder } from '../incidents/episode-recorder';
import { RoutingConfigService } from '../routing/routing-config.service';
import { SilenceService } from '../silences/silence.service';
import type { AlertSource, AlertState, IncomingAlert } from './alert';
import { applyIncoming, expire, type AlertChange } from './alert-lifecycle';
import { AlertRepository } from './alert.repository';
import { viewAlerts, type AlertView } from './alert-view';
import { fingerprintOf } from './fingerprint';

export const ALERTS_RECEIVED = 'alerting_alerts_received_total';

const EXPIRY_BATCH = 500;

/**
 * The one pipeline every alert goes through, whatever transport brought it: identify it by
 * fingerprint, merge it into the stored state, and queue a notification when its status changed,
 * all in one transaction. Labels and annotations are stored redacted; the fingerprint is computed
 * on the labels as sent, so it matches what the producer computes.
 */
@Injectable()
export class AlertService {
  private readonly logger = new Logger(AlertService.name);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly membership: GroupMembership,
    private readonly notifier: GroupNotifier,
    private readonly episodes: EpisodeRecorder,
    private readonly routing: RoutingConfigService,
    private readonly silences: SilenceService,
    @InjectMetric(ALERTS_RECEIVED) private readonly received: Counter<string>,
  ) {}

  async receive(incoming: readonly IncomingAlert[], source: AlertSource): Promise<AlertState[]> {
    const now = new Date();
    const routing = this.routing.current;
    // Locks are taken in fingerprint order, so concurrent batches never deadlock. A fingerprint sent
    // twice in one batch is merged in the order sent.
    const keyed = incoming
      .map((alert) => ({ fingerprint: fingerprintOf(alert.labels), alert: redact(alert) }))
      .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
    const fingerprints = [...new Set(keyed.map((k) => k.fingerprint))];
    const results = await this.alerts.transaction(async (tx) => {
      await this.alerts.lockAll(tx, fingerprints);
      const known = await this.alerts.findAll(tx, fingerprints);
      const latest = new Map<string, AlertChange>();
      for (const { fingerprint, alert } of keyed) {
        const previous = latest.get(fingerprint)?.next ?? known.get(fingerprint) ?? null;
        const change = applyIncoming(fingerprint, previous, alert, now, routing.resolveTimeoutMs);
        const earlier = latest.get(fingerprint);
        latest.set(fingerprint, {
          next: change.next,
          transition: change.transition || (earlier?.transition ?? false),
        });
      }
      const changes = [...latest.values()];
      await this.alerts.saveAll(
        tx,
        changes.map((c) => c.next),
      );
      const due = await this.membership.track(tx, changes, routing);
      await this.episodes.record(tx, changes, source, routing, now);
      return { due, changed: changes.map((c) => ({ state: c.next, queued: c.transition })) };
    });
    this.received.inc({ source }, incoming.length);
    for (const { state, queued } of results.changed) {
      const fields = {
        alert_fingerprint: state.fingerprint,
        alertname: state.labels.alertname,
        status: state.status,
        source,
      };
      // Producers re-send firing alerts on every evaluation: only changes are worth an info line.
      if (queued) this.logger.log(fields, 'alert state changed');
      else this.logger.debug(fields, 'alert received');
    }
    if (results.due) this.notifier.nudge();
    return results.changed.map((r) => r.state);
  }

  /** Resolves firing alerts whose endsAt passed without a re-send, and queues their notifications. */
  async resolveExpired(now = new Date()): Promise<number> {
    const fingerprints = await this.alerts.expiredFingerprints(now, EXPIRY_BATCH);
    if (fingerprints.length === 0) return 0;
    const routing = this.routing.current;
    const resolved = await this.alerts.transaction(async (tx) => {
      await this.alerts.lockAll(tx, fingerprints);
      const known = await this.alerts.findAll(tx, fingerprints);
      const changes: AlertChange[] = [];
      for (const fingerprint of fingerprints) {
        const current = known.get(fingerprint);
        const change = current && expire(current, now);
        if (change) changes.push(change);
      }
      await this.alerts.saveAll(
        tx,
        changes.map((c) => c.next),
      );
      await this.membership.track(tx, changes, routing);
      await this.episodes.record(tx, changes, 'system', routing, now);
      return changes.map((c) => c.next);
    });
    for (const state of resolved) {
      this.logger.log(
        { alert_fingerprint: state.fingerprint, alertname: state.labels.alertname },
        'alert resolved by timeout',
      );
    }
    if (resolved.length) this.notifier.nudge();
    return resolved.length;
  }

  /** Alerts firing now, with their silences, inhibitions and receivers. */
  async firing(now = new Date()): Promise<AlertView[]> {
    const [firing, silences] = await Promise.all([this.alerts.firing(now), this.silences.matcherAt(now)]);
    return viewAlerts(firing, firing, this.routing.current, silences);
  }
}
