import { Inject, Injectable } from '@nestjs/common';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { AlertingConfig } from '../config/alerting-config';
import type { IncomingAlert } from '../model/alert';
import { isLiveWatchdog } from './watchdog';
import { WatchdogRepository } from './watchdog.repository';

/**
 * Takes Prometheus' Watchdog out of what alerting receives: its arrival is recorded (durably, shared by
 * every replica) and it is never stored, listed or routed as an alert, so nobody is told about it.
 */
@Injectable()
export class WatchdogArrivals {
  private readonly alertname: string;

  constructor(
    @Inject(SERVICE_CONFIG) config: AlertingConfig,
    private readonly watchdogs: WatchdogRepository,
  ) {
    this.alertname = config.WATCHDOG_ALERTNAME;
  }

  /** `incoming` itself when it holds no Watchdog (the usual case, no copy); else the other alerts. */
  others(incoming: readonly IncomingAlert[]): readonly IncomingAlert[] {
    if (!incoming.some((alert) => alert.labels.alertname === this.alertname)) return incoming;
    return incoming.filter((alert) => alert.labels.alertname !== this.alertname);
  }

  /** Records an arrival when `incoming` holds a firing Watchdog. */
  async record(incoming: readonly IncomingAlert[], now = new Date()): Promise<void> {
    if (incoming.some((alert) => isLiveWatchdog(alert, this.alertname, now))) {
      await this.watchdogs.recordArrival(this.alertname, now);
    }
  }
}
