import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';

import { SERVICE_CONFIG } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import type { ReportingConfig } from '../config/reporting-config';
import { ReportDefinitions, type ReportDefinition } from '../definitions/report-definitions';
import { ReportRunRepository } from '../delivery/report-run.repository';
import { periodStarting, previousPeriod } from '../model/report-period';
import { ReportRunner } from '../runner/report-runner.service';

const STALE_SWEEP_BATCH = 10;

/**
 * Runs every enabled definition on its cron in its time zone. Every replica fires; the claim row
 * lets exactly one send. A sweep finishes claims whose replica died mid-send.
 */
@Injectable()
export class ReportScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportScheduler.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly definitions: ReportDefinitions,
    private readonly runner: ReportRunner,
    private readonly runs: ReportRunRepository,
    @Inject(SERVICE_CONFIG) private readonly config: ReportingConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.REPORT_SCHEDULE_ENABLED) return;
    for (const definition of this.definitions.all.filter((d) => d.enabled)) {
      const job = CronJob.from({
        cronTime: definition.cron,
        timeZone: definition.timeZone,
        onTick: () => void this.runDue(definition, new Date()),
        start: true,
      });
      this.registry.addCronJob(`report:${definition.id}`, job);
    }
    const sweep = setInterval(() => void this.resumeStaleClaims(), this.config.REPORT_STALE_SWEEP_MS);
    sweep.unref();
    this.registry.addInterval('report:stale-claims', sweep);
  }

  /** The cron tick: the definition's previous period, as of `now`. */
  async runDue(definition: ReportDefinition, now: Date): Promise<void> {
    const period = previousPeriod(definition.period, now, definition.timeZone);
    try {
      await this.runner.run(definition, period, { force: false });
    } catch (error) {
      this.logger.error(
        { report: definition.id, period: period.label, error: redactString(String(error)) },
        'scheduled report run failed',
      );
    }
  }

  /** Takes over claims older than REPORT_CLAIM_STALE_MS and sends them (the claim decides who wins). */
  async resumeStaleClaims(): Promise<number> {
    let resumed = 0;
    try {
      const stale = await this.runs.staleClaims(this.config.REPORT_CLAIM_STALE_MS, STALE_SWEEP_BATCH);
      for (const run of stale) {
        const definition = this.definitions.get(run.report);
        if (!definition) continue;
        const period = periodStarting(definition.period, new Date(run.period_start), definition.timeZone);
        const result = await this.runner.run(definition, period, { force: false });
        if (result.outcome === 'sent') resumed++;
      }
    } catch (error) {
      this.logger.error({ error: redactString(String(error)) }, 'stale report claims not resumed');
    }
    return resumed;
  }
}
