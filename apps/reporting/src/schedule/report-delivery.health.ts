import { Injectable, OnModuleInit } from '@nestjs/common';

import { DependencyMonitor } from '@vigil/platform';

import { ReportRunRepository } from '../delivery/report-run.repository';

/** Failures older than this no longer show in /health/detailed. */
const FAILURE_WINDOW_MS = 35 * 86_400_000;

/**
 * `report-delivery` in /health/detailed (non-critical: readiness does not depend on it): down while
 * a report run has failed permanently and was not sent since, naming the report, period and last error.
 */
@Injectable()
export class ReportDeliveryHealth implements OnModuleInit {
  constructor(
    private readonly monitor: DependencyMonitor,
    private readonly runs: ReportRunRepository,
  ) {}

  onModuleInit(): void {
    this.monitor.register({
      name: 'report-delivery',
      critical: false,
      run: async () => {
        const failed = await this.runs.unresolvedFailures(new Date(Date.now() - FAILURE_WINDOW_MS), 5);
        if (failed.length > 0) {
          throw new Error(
            failed
              .map(
                (r) =>
                  `${r.report} ${r.period_start.slice(0, 10)} not sent after ${r.attempts} attempts: ${r.error ?? 'unknown'}`,
              )
              .join('; '),
          );
        }
      },
    });
  }
}
