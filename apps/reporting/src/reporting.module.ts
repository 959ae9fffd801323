import { DynamicModule, Module } from '@nestjs/common';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

import { PlatformModule } from '@vigil/platform';

import { ReportsController } from './api/reports.controller';
import type { ReportingConfig } from './config/reporting-config';
import { ReportClaims } from './delivery/report-claims';
import { ReportDelivery } from './delivery/report-delivery';
import { ReportMailer } from './delivery/report-mailer';
import { ReportRunRepository } from './delivery/report-run.repository';
import { REPORTING_MIGRATIONS } from './migrations';
import { REPORT_RUNS_TOTAL, WeeklyReportService } from './report/weekly-report.service';
import { SummaryClient } from './sources/summary.client';

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
      ],
      controllers: [ReportsController],
      providers: [
        SummaryClient,
        ReportRunRepository,
        ReportClaims,
        ReportMailer,
        ReportDelivery,
        WeeklyReportService,
        makeCounterProvider({
          name: REPORT_RUNS_TOTAL,
          help: 'Report runs by report and outcome (sent, failed, conflict)',
          labelNames: ['report', 'outcome'],
        }),
      ],
    };
  }
}
