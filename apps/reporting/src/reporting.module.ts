import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

import { PlatformModule } from '@vigil/platform';

import { ReportsController } from './api/reports.controller';
import { PdfRenderer } from './archive/pdf-renderer';
import type { ReportingConfig } from './config/reporting-config';
import { loadReportDefinitions, ReportDefinitions } from './definitions/report-definitions';
import { ReportClaims } from './delivery/report-claims';
import { ReportDelivery } from './delivery/report-delivery';
import { ReportMailer } from './delivery/report-mailer';
import { ReportRunRepository } from './delivery/report-run.repository';
import { REPORTING_MIGRATIONS } from './migrations';
import { REPORT_RUNS_TOTAL, ReportRunner } from './runner/report-runner.service';
import { ReportDeliveryHealth } from './schedule/report-delivery.health';
import { ReportScheduler } from './schedule/report-scheduler';
import { PrometheusClient } from './sources/prometheus.client';
import { SummaryClient } from './sources/summary.client';
import { TrafficSource } from './sources/traffic.source';

@Module({})
export class ReportingModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return {
      module: ReportingModule,
      imports: [
        PlatformModule.forRoot({
          service: 'reporting',
          config,
          database: { entities: [], migrations: REPORTING_MIGRATIONS },
        }),
        ScheduleModule.forRoot(),
      ],
      controllers: [ReportsController],
      providers: [
        { provide: ReportDefinitions, useValue: new ReportDefinitions(loadReportDefinitions(config)) },
        SummaryClient,
        PdfRenderer,
        PrometheusClient,
        TrafficSource,
        ReportRunRepository,
        ReportClaims,
        ReportMailer,
        ReportDelivery,
        ReportRunner,
        ReportScheduler,
        ReportDeliveryHealth,
        makeCounterProvider({
          name: REPORT_RUNS_TOTAL,
          help: 'Report runs by report and outcome (sent, failed, conflict)',
          labelNames: ['report', 'outcome'],
        }),
      ],
    };
  }
}
