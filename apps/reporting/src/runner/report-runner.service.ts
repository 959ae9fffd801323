import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { ALERT_FIRED_SUBJECT, type AlertEventV1 } from '@vigil/contracts';
import { NatsMessaging, SERVICE_CONFIG } from '@vigil/platform';
import { redactString } from '@vigil/redaction';

import type { ReportingConfig } from '../config/reporting-config';
import type { ReportDefinition } from '../definitions/report-definitions';
import { ReportClaims } from '../delivery/report-claims';
import { ReportDelivery } from '../delivery/report-delivery';
import { ReportRunRepository, type ReportRun } from '../delivery/report-run.repository';
import { SummaryClient } from '../sources/summary.client';
import { TrafficSource } from '../sources/traffic.source';
import type { ReportDocument } from '../model/report-document';
import { composeReportEmail, renderArchiveHtml } from '../report/report-email';
import { precedingPeriod, type ReportPeriod } from '../model/report-period';
import { buildWeeklyReport } from '../report/weekly-report.builder';

export const WEEKLY_REPORT = 'weekly';
export const REPORT_RUNS_TOTAL = 'report_runs_total';
export const REPORT_FAILED_ALERT = 'ReportDeliveryFailed';

export type ReportRunOutcome =
  | { outcome: 'sent'; run: ReportRun; period: ReportPeriod }
  | { outcome: 'conflict'; run: ReportRun; period: ReportPeriod; reason: string }
  | { outcome: 'failed'; run: ReportRun; period: ReportPeriod; error: string };

export interface DryRun {
  period: ReportPeriod;
  subject: string;
  html: string;
}

/**
 * Sends a report definition's report for a period at most once: claim the period, build the
 * document (or reuse the one a dead replica stored), store it (outbox and archive), deliver. A
 * permanent SMTP failure fires ReportDeliveryFailed on alerts.v1.fired.
 */
@Injectable()
export class ReportRunner {
  private readonly logger = new Logger(ReportRunner.name);

  constructor(
    private readonly claims: ReportClaims,
    private readonly sources: SummaryClient,
    private readonly traffic: TrafficSource,
    private readonly delivery: ReportDelivery,
    private readonly runs: ReportRunRepository,
    private readonly messaging: NatsMessaging,
    @InjectMetric(REPORT_RUNS_TOTAL) private readonly counter: Counter<string>,
    @Inject(SERVICE_CONFIG) private readonly config: ReportingConfig,
  ) {}

  /** Builds the report without claiming or sending: what the e-mail would show, as standalone HTML. */
  async dryRun(definition: ReportDefinition, period: ReportPeriod): Promise<DryRun> {
    const document = await this.build(definition, period);
    return { period, subject: redactString(document.headline), html: renderArchiveHtml(document) };
  }

  async run(
    definition: ReportDefinition,
    period: ReportPeriod,
    options: { force: boolean },
  ): Promise<ReportRunOutcome> {
    const report = definition.id;
    const claim = await this.claims.claim(report, period, options);
    if (!claim.claimed) {
      this.counter.inc({ report, outcome: 'conflict' });
      this.logger.log(
        { report, report_run_id: claim.run.id, period: period.label, status: claim.run.status },
        'report already claimed',
      );
      return { outcome: 'conflict', run: claim.run, period, reason: claim.reason };
    }

    // A claim taken over from a replica that died mid-send keeps the document it stored.
    const stored = options.force ? null : (await this.runs.findDocument(claim.run.id))?.document;
    const document = stored ?? (await this.build(definition, period));
    const email = composeReportEmail(document);
    if (!stored) await this.runs.storeDocument(claim.run.id, email.subject, document);
    const result = await this.delivery.deliver(claim.run, email, definition.recipients);

    if (!result.sent) {
      this.counter.inc({ report, outcome: 'failed' });
      this.logger.error(
        {
          report,
          report_run_id: result.run.id,
          period: period.label,
          attempts: result.run.attempts,
          error: result.error,
        },
        'report not sent',
      );
      await this.raiseAlert(definition, period, result.run, result.error);
      return { outcome: 'failed', run: result.run, period, error: result.error };
    }
    this.counter.inc({ report, outcome: 'sent' });
    this.logger.log(
      {
        report,
        report_run_id: result.run.id,
        period: period.label,
        message_id: result.run.message_id,
        recipients: definition.recipients.length,
        resumed: stored !== null && stored !== undefined,
      },
      'report sent',
    );
    return { outcome: 'sent', run: result.run, period };
  }

  private async build(definition: ReportDefinition, period: ReportPeriod): Promise<ReportDocument> {
    // The period before too: every headline figure shows its week-over-week move.
    const before = precedingPeriod(period, definition.timeZone);
    const [summaries, previous, traffic] = await Promise.all([
      this.sources.collect(
        { from: period.start.toISOString(), to: period.end.toISOString() },
        definition.severities,
      ),
      this.sources.collect(
        { from: before.start.toISOString(), to: before.end.toISOString() },
        definition.severities,
      ),
      this.traffic.collect(period, definition.timeZone),
    ]);
    const sources = { ...summaries, traffic };
    const unavailable = (['audit', 'alerting', 'health', 'traffic'] as const).filter(
      (name) => !sources[name].available,
    );
    if (unavailable.length)
      this.logger.warn(
        { report: definition.id, unavailable_sources: unavailable },
        'report sections degraded',
      );
    return buildWeeklyReport({
      period,
      sources,
      generatedAt: new Date(),
      timeZone: definition.timeZone,
      sections: definition.sections,
      name: definition.name,
      severities: definition.severities,
      previous,
      uptimeSloPct: this.config.REPORT_UPTIME_SLO,
    });
  }

  private async raiseAlert(
    definition: ReportDefinition,
    period: ReportPeriod,
    run: ReportRun,
    error: string,
  ): Promise<void> {
    const alert: AlertEventV1 = {
      labels: {
        alertname: REPORT_FAILED_ALERT,
        severity: 'high',
        service: 'reporting',
        report: definition.id,
        period: period.label,
      },
      annotations: {
        summary: `the ${definition.name} report for ${period.label} was not sent after ${run.attempts} attempts`,
        description: error,
      },
      startsAt: new Date().toISOString(),
    };
    try {
      await this.messaging.publish(ALERT_FIRED_SUBJECT, alert, `report-failed-${run.id}-${run.attempts}`);
    } catch (publishError) {
      this.logger.error(
        { report: definition.id, error: redactString(String(publishError)) },
        'report failure alert not published',
      );
    }
  }
}
