import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { AlertService } from './alert.service';
import { errorMessage } from '@vigil/platform';

/** How often firing alerts are checked for a passed endsAt; resolution is at most this late. */
const SWEEP_INTERVAL_MS = 5000;

/** Resolves alerts nobody re-sent before their endsAt (Alertmanager's resolve_timeout). */
@Injectable()
export class AlertExpiryJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertExpiryJob.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly alerts: AlertService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = null));
    }, SWEEP_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      await this.alerts.resolveExpired();
    } catch (error) {
      this.logger.warn({ error: errorMessage(error) }, 'alert expiry sweep failed');
    }
  }
}
