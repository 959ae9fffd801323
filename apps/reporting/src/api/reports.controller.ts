import {
  BadGatewayException,
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  Query,
} from '@nestjs/common';

import { ReportRunRepository, type ReportRun } from '../delivery/report-run.repository';
import { WeeklyReportService } from '../report/weekly-report.service';
import { periodOf, weeklyReportBodySchema } from './weekly-report.request';

const MAX_LIMIT = 200;

/** HTTP side of reporting: trigger the weekly report on demand, list recent runs. */
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly weekly: WeeklyReportService,
    private readonly runs: ReportRunRepository,
  ) {}

  /** Sends the report for the period (default: previous ISO week, UTC) and answers once it is sent. */
  @Post('weekly')
  @HttpCode(HttpStatus.CREATED)
  async sendWeekly(@Body() body: unknown, @Query('force') force?: string) {
    const parsed = weeklyReportBodySchema.safeParse(body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BadRequestException({ message: `${issue.path.join('.') || 'body'}: ${issue.message}` });
    }
    if (force !== undefined && force !== 'true' && force !== 'false') {
      throw new BadRequestException({ message: 'force must be true or false', details: { force } });
    }
    const period = periodOf(parsed.data, new Date());
    if (!period.ok) throw new BadRequestException({ message: period.message });

    const result = await this.weekly.send(period.period, { force: force === 'true' });
    switch (result.outcome) {
      case 'sent':
        return runResponse(result.run, result.period.label);
      case 'conflict':
        throw new ConflictException({
          message: result.reason,
          details: { report_run_id: result.run.id, status: result.run.status },
        });
      case 'failed':
        throw new BadGatewayException({
          error: 'smtp_failed',
          message: `the report e-mail was not accepted after ${result.run.attempts} attempts: ${result.error}`,
          details: { report_run_id: result.run.id, attempts: result.run.attempts },
        });
    }
  }

  @Get()
  async recent(@Query('limit') limit = '20') {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
      throw new BadRequestException({
        message: `limit must be an integer from 1 to ${MAX_LIMIT}`,
        details: { limit },
      });
    }
    const runs = await this.runs.newest(n);
    return { runs, count: runs.length };
  }
}

function runResponse(run: ReportRun, label: string) {
  return {
    report_run_id: run.id,
    period: { from: run.period_start, to: run.period_end, label },
    status: run.status,
    message_id: run.message_id,
    attempts: run.attempts,
  };
}
