import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { SERVICE_CONFIG } from '@vigil/platform';
import { redact } from '@vigil/redaction';

import type { AlertingConfig } from '../config/alerting-config';
import { NotificationOutbox } from '../delivery/notification-outbox';
import { OutboxSender } from '../delivery/outbox.sender';
import type { AlertSource, AlertState, IncomingAlert } from './alert';
import { applyIncoming, expire, type AlertChange } from './alert-lifecycle';
import { AlertRepository, type StoredAlert, type Transaction } from './alert.repository';
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
  private readonly resolveTimeoutMs: number;

  constructor(
    private readonly alerts: AlertRepository,
    private readonly outbox: NotificationOutbox,
    private readonly sender: OutboxSender,
    @Inject(SERVICE_CONFIG) config: AlertingConfig,
    @InjectMetric(ALERTS_RECEIVED) private readonly received: Counter<string>,
  ) {
    this.resolveTimeoutMs = config.ALERT_RESOLVE_TIMEOUT_S * 1000;
  }

  async receive(incoming: readonly IncomingAlert[], source: AlertSource): Promise<AlertState[]> {
    const now = new Date();
    // Locks are taken in fingerprint order, so concurrent batches never deadlock.
    const keyed = incoming
      .map((alert) => ({ fingerprint: fingerprintOf(alert.labels), alert: redact(alert) }))
      .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
    const results = await this.alerts.transaction(async (tx) => {
      const changes: { state: StoredAlert; queued: boolean }[] = [];
      for (const { fingerprint, alert } of keyed) {
        await this.alerts.lock(tx, fingerprint);
        const previous = await this.alerts.find(tx, fingerprint);
        changes.push(
          await this.commit(tx, applyIncoming(fingerprint, previous, alert, now, this.resolveTimeoutMs)),
        );
      }
      return changes;
    });
    this.received.inc({ source }, incoming.length);
    for (const { state, queued } of results) {
      const fields = {
        alert_fingerprint: state.fingerprint,
        alertname: state.labels.alertname,
        status: state.status,
        source,
      };
      // Producers re-send firing alerts on every evaluation: only changes are worth an info line.
      if (queued) this.logger.log(fields, 'alert state changed; notification queued');
      else this.logger.debug(fields, 'alert received');
    }
    if (results.some((r) => r.queued)) this.sender.nudge();
    return results.map((r) => r.state);
  }

  /** Resolves firing alerts whose endsAt passed without a re-send, and queues their notifications. */
  async resolveExpired(now = new Date()): Promise<number> {
    const fingerprints = await this.alerts.expiredFingerprints(now, EXPIRY_BATCH);
    if (fingerprints.length === 0) return 0;
    const resolved = await this.alerts.transaction(async (tx) => {
      const done: StoredAlert[] = [];
      for (const fingerprint of fingerprints) {
        await this.alerts.lock(tx, fingerprint);
        const current = await this.alerts.find(tx, fingerprint);
        const change = current && expire(current, now);
        if (change) done.push((await this.commit(tx, change)).state);
      }
      return done;
    });
    for (const state of resolved) {
      this.logger.log(
        { alert_fingerprint: state.fingerprint, alertname: state.labels.alertname },
        'alert resolved by timeout',
      );
    }
    if (resolved.length) this.sender.nudge();
    return resolved.length;
  }

  /** Alerts firing now. */
  firing(): Promise<StoredAlert[]> {
    return this.alerts.firing(new Date());
  }

  private async commit(
    tx: Transaction,
    change: AlertChange,
  ): Promise<{ state: StoredAlert; queued: boolean }> {
    const state = await this.alerts.save(tx, change.next);
    const queued = change.transition ? await this.outbox.enqueue(tx, change.next) : false;
    return { state, queued };
  }
}
