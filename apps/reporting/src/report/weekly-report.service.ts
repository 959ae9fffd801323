import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { SERVICE_CONFIG } from '@vigil/platform';

import type { ReportingConfig } from '../config/reporting-config';
import { ReportClaims } from '../delivery/report-claims';
import { ReportDelivery } from '../delivery/report-delivery';
import type { ReportRun } from '../delivery/report-run.repository';
import { SummaryClient } from '../sources/summary.client';
import { composeReportEmail } from './report-email';
import type { ReportPeriod } from './report-period';
import { buildWeeklyReport } from './weekly-report.builder';

export const WEEKLY_REPORT = 'weekly';
export const REPORT_RUNS_TOTAL = 'report_runs_total';

export type WeeklyReportOutcome =
  | { outcome: 'sent'; run: ReportRun; period: ReportPeriod }
  | { outcome: 'conflict'; run: ReportRun; period: ReportPeriod; reason: string }
  | { outcome: 'failed'; run: ReportRun; period: ReportPeriod; error: string };

/**
 * Sends the weekly report for a period at most once: claim the period, ask the sources, build,
 * render and deliver. Used by the HTTP trigger now and by the schedule later.
 */
@Injectable()
export class WeeklyReportService {
  private readonly logger = new Logger(WeeklyReportService.name);

  constructor(
    private readonly claims: ReportClaims,
    private readonly sources: SummaryClient,
    private readonly delivery: ReportDelivery,
    @Inject(SERVICE_CONFIG) private readonly config: ReportingConfig,
    @InjectMetric(REPORT_RUNS_TOTAL) private readonly runs: Counter<string>,
  ) {}

  async send(period: ReportPeriod, options: { force: boolean }): Promise<WeeklyReportOutcome> {
    const claim = await this.claims.claim(WEEKLY_REPORT, period, options);
    if (!claim.claimed) {
      this.runs.inc({ report: WEEKLY_REPORT, outcome: 'conflict' });
      this.logger.log(
        { report_run_id: claim.run.id, period: period.label, status: claim.run.status },
        'report already claimed',
      );
      return { outcome: 'conflict', run: claim.run, period, reason: claim.reason };
    }

    const sources = await this.sources.collect({
      from: period.start.toISOString(),
      to: period.end.toISOString(),
    });
    const document = buildWeeklyReport({
      period,
      sources,
      generatedAt: new Date(),
      timeZone: this.config.REPORT_TIME_ZONE,
    });
    const result = await this.delivery.deliver(claim.run, composeReportEmail(document));
    const unavailable = (['audit', 'alerting', 'health'] as const).filter((name) => !sources[name].available);

    if (!result.sent) {
      this.runs.inc({ report: WEEKLY_REPORT, outcome: 'failed' });
      this.logger.error(
        {
          report_run_id: result.run.id,
          period: period.label,
          attempts: result.run.attempts,
          error: result.error,
        },
        'report not sent',
      );
      return { outcome: 'failed', run: result.run, period, error: result.error };
    }
    this.runs.inc({ report: WEEKLY_REPORT, outcome: 'sent' });
    this.logger.log(
      {
        report_run_id: result.run.id,
        period: period.label,
        message_id: result.run.message_id,
        recipients: this.config.REPORT_RECIPIENTS.length,
        unavailable_sources: unavailable,
      },
      'report sent',
    );
    return { outcome: 'sent', run: result.run, period };
  }
}
