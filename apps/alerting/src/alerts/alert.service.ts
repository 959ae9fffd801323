import { Injectable, Logger } from '@nestjs/common';

import { GroupMembership } from '../grouping/group-membership';
import { GroupNotifier } from '../grouping/group-notifier';
import { EpisodeRecorder } from '../episodes/episode-recorder';
import { AlertIntake } from '../intake/alert-intake';
import { IntakeApplier } from '../intake/intake-applier';
import { RoutingConfigService } from '../routing/routing-config.service';
import { SilenceService } from '../silences/silence.service';
import { WatchdogArrivals } from '../watchdog/watchdog-arrivals';
import type { AlertSource, IncomingAlert, LabelSet } from '../model/alert';
import { expire, type AlertChange } from '../model/alert-lifecycle';
import { AlertRepository } from '../model/alert.repository';
import { viewAlerts, type AlertView } from './alert-view';

const EXPIRY_BATCH = 500;

/**
 * Alerts as the API and the NATS consumer see them: `receive` accepts a batch durably (AlertIntake:
 * applied at once when it arrives alone, else journalled and applied right behind the answer); reads
 * first wait until everything accepted before them is applied, so a client always sees what it posted.
 */
@Injectable()
export class AlertService {
  private readonly logger = new Logger(AlertService.name);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly intake: AlertIntake,
    private readonly applier: IntakeApplier,
    private readonly membership: GroupMembership,
    private readonly notifier: GroupNotifier,
    private readonly episodes: EpisodeRecorder,
    private readonly routing: RoutingConfigService,
    private readonly silences: SilenceService,
    private readonly watchdog: WatchdogArrivals,
  ) {}

  /**
   * Resolves once the alerts are durably accepted (a 200 for the API, an ack for NATS). Prometheus'
   * Watchdog is not one of them: only its arrival is recorded (WatchdogArrivals).
   */
  receive(incoming: readonly IncomingAlert[], source: AlertSource): Promise<void> {
    const others = this.watchdog.others(incoming);
    if (others === incoming) return this.intake.accept(incoming, source);
    return this.watchdog
      .record(incoming)
      .then(() => (others.length ? this.intake.accept(others, source) : undefined));
  }

  /** Resolves firing alerts whose endsAt passed without a re-send, and queues their notifications. */
  async resolveExpired(now = new Date()): Promise<number> {
    // A re-send still in the journal must extend the alert before the sweep can judge it expired.
    await this.applier.settled();
    const fingerprints = await this.alerts.expiredFingerprints(now, EXPIRY_BATCH);
    if (fingerprints.length === 0) return 0;
    const routing = this.routing.current;
    const resolved = await this.alerts.transaction(async (tx) => {
      await this.alerts.lockWriters(tx);
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

  /**
   * Alerts firing now, with their silences, inhibitions and receivers; only those carrying every one of
   * `labels`, when given, and there are no inhibit rules (inhibition is judged against every firing
   * alert, so then all are read). Callers still apply their own filter: this only narrows the read.
   */
  async firing(now = new Date(), labels: LabelSet = {}): Promise<AlertView[]> {
    await this.applier.settled();
    const routing = this.routing.current;
    const narrowed = Object.keys(labels).length > 0 && routing.inhibitRules.length === 0;
    const [firing, silences] = await Promise.all([
      narrowed ? this.alerts.firingWith(now, labels) : this.alerts.firing(now),
      this.silences.matcherAt(now),
    ]);
    return viewAlerts(firing, firing, routing, silences);
  }
}
