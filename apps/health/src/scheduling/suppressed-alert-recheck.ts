import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { errorMessage } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import { TargetLeases } from '../leases/target-leases.service';
import { TargetStateService } from '../state/target-state.service';
import { TargetCatalog } from '../targets/target-catalog';

/** How soon a held alert is published once nothing holds it (a parent recovered, a window ended). */
export const ALERT_RECHECK_MS = 2000;

/**
 * Every few seconds, publishes the alerts that were held and are held no more: a target still down
 * when its parent recovers or its maintenance window ends fires then, and a resolve held by a window
 * goes out when it ends, without waiting for the target's next check (a heartbeat's may be a day
 * away). Only the targets whose lease this replica holds, so one replica speaks for each.
 */
@Injectable()
export class SuppressedAlertRecheck implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SuppressedAlertRecheck.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly catalog: TargetCatalog,
    private readonly leases: TargetLeases,
    private readonly states: TargetStateService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.recheck().finally(() => (this.running = null));
    }, ALERT_RECHECK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async recheck(now: Date = new Date()): Promise<void> {
    for (const target of this.catalog.list()) {
      if (!this.leases.owns(target.name)) continue;
      try {
        await this.states.reconcileAlert(target, now);
      } catch (error) {
        this.logger.error(
          { target: target.name, error: redactString(errorMessage(error)) },
          'held alert not rechecked',
        );
      }
    }
  }
}
