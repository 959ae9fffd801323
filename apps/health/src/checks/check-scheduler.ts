import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

import { redactString } from '@vigil/redaction';

import { TargetStateService } from '../state/target-state.service';
import type { TargetDefinition } from '../targets/target-definition';
import { HEALTH_TARGETS } from '../targets/targets.tokens';
import { HttpChecker } from './http-checker';
import { PROBE_DURATION_SECONDS, PROBE_SUCCESS } from './probe-metrics';

/**
 * Checks every target on its own interval, starting at boot. A target whose previous check is
 * still running is skipped for that tick. On shutdown the timers stop, running checks are
 * aborted and awaited, and their results are dropped.
 */
@Injectable()
export class CheckScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CheckScheduler.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    @Inject(HEALTH_TARGETS) private readonly targets: readonly TargetDefinition[],
    private readonly checker: HttpChecker,
    private readonly states: TargetStateService,
    @InjectMetric(PROBE_SUCCESS) private readonly probeSuccess: Gauge<string>,
    @InjectMetric(PROBE_DURATION_SECONDS) private readonly probeDuration: Gauge<string>,
  ) {}

  onApplicationBootstrap(): void {
    for (const target of this.targets) {
      this.tick(target);
      const timer = setInterval(() => this.tick(target), target.intervalMs);
      timer.unref();
      this.timers.push(timer);
    }
    this.logger.log({ targets: this.targets.length }, 'checks scheduled');
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.stopping.abort();
    await Promise.all(this.running.values());
  }

  private tick(target: TargetDefinition): void {
    if (this.stopping.signal.aborted || this.running.has(target.name)) return;
    const run = this.checkOnce(target)
      .catch((error: unknown) =>
        this.logger.error(
          { target: target.name, error: redactString(String(error)) },
          'check failed unexpectedly',
        ),
      )
      .finally(() => this.running.delete(target.name));
    this.running.set(target.name, run);
  }

  private async checkOnce(target: TargetDefinition): Promise<void> {
    const result = await this.checker.check(target, this.stopping.signal);
    if (this.stopping.signal.aborted) return;
    this.probeSuccess.set({ target: target.name }, result.ok ? 1 : 0);
    this.probeDuration.set({ target: target.name }, result.responseTimeMs / 1000);
    await this.states.record(target, result);
  }
}
