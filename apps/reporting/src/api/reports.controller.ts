import {
  BadGatewayException,
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
  UnsupportedMediaTypeException,
} from '@nestjs/common';

import { AnyApiKey, RequireScope } from '@vigil/platform';

import { PdfRenderer } from '../archive/pdf-renderer';
import { ReportDefinitions, type ReportDefinition } from '../definitions/report-definitions';
import { ReportRunRepository, type ReportRun } from '../delivery/report-run.repository';
import { renderArchiveHtml } from '../report/report-email';
import { parsePeriod, previousPeriod, type ReportPeriod } from '../model/report-period';
import { ReportRunner, WEEKLY_REPORT, type ReportRunOutcome } from '../runner/report-runner.service';
import {
  periodOf,
  unsupportedBodyType,
  weeklyReportBodySchema,
  type BodyHeaders,
} from './weekly-report.request';

const MAX_LIMIT = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The part of Express' response the HTML endpoints use. */
interface HtmlResponse {
  type(contentType: string): unknown;
}

/**
 * HTTP side of reporting: run reports on demand (or dry; scope reports:run), list runs and show
 * archived reports (any valid key). Pages carry the platform's security headers (CSP default-src
 * 'none' with inline styles and data: images, nosniff, no-referrer, frame DENY).
 */
@Controller('reports')
@AnyApiKey()
export class ReportsController {
  constructor(
    private readonly runner: ReportRunner,
    private readonly definitions: ReportDefinitions,
    private readonly runs: ReportRunRepository,
    private readonly pdf: PdfRenderer,
  ) {}

  /** Sends the weekly report for the period (default: the previous ISO week in its time zone) and answers once it is sent. */
  @Post('weekly')
  @HttpCode(HttpStatus.CREATED)
  @RequireScope('reports:run')
  async sendWeekly(@Body() body: unknown, @Headers() headers: BodyHeaders, @Query('force') force?: string) {
    const unsupported = unsupportedBodyType(headers);
    if (unsupported) {
      throw new UnsupportedMediaTypeException({
        message: unsupported,
        details: { content_type: headers['content-type'] ?? null },
      });
    }
    const parsed = weeklyReportBodySchema.safeParse(body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BadRequestException({ message: `${issue.path.join('.') || 'body'}: ${issue.message}` });
    }
    const forced = flag('force', force);
    const definition = this.definition(WEEKLY_REPORT);
    const period = periodOf(parsed.data, new Date(), definition.timeZone);
    if (!period.ok) throw new BadRequestException({ message: period.message });
    return outcomeResponse(await this.runner.run(definition, period.period, { force: forced }));
  }

  /**
   * Runs a definition for `?period=` (2026-11-16, 2026-W47 or 2026-11 by its kind, in the
   * definition's time zone; default: the previous one). With `?dry_run=true` answers the report's HTML and sends nothing.
   */
  @Post(':definition/run')
  @HttpCode(HttpStatus.CREATED)
  @RequireScope('reports:run')
  async run(
    @Param('definition') id: string,
    @Res({ passthrough: true }) res: HtmlResponse,
    @Query('period') periodText?: string,
    @Query('dry_run') dryRun?: string,
    @Query('force') force?: string,
  ) {
    const definition = this.definition(id);
    const dry = flag('dry_run', dryRun);
    const forced = flag('force', force);
    const period = this.periodFor(definition, periodText);
    if (dry) {
      const preview = await this.runner.dryRun(definition, period);
      res.type('text/html; charset=utf-8');
      return preview.html;
    }
    return outcomeResponse(await this.runner.run(definition, period, { force: forced }));
  }

  /** The report definitions (for a UI's "run now" choice); declared before `:id`, which would take the name. */
  @Get('definitions')
  listDefinitions() {
    return {
      definitions: this.definitions.all.map((d) => ({
        id: d.id,
        name: d.name,
        period: d.period,
        time_zone: d.timeZone,
        cron: d.cron,
        sections: d.sections,
        enabled: d.enabled,
      })),
    };
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

  /** The archived report as the e-mail showed it, charts embedded; `<id>.pdf` prints it to PDF. */
  @Get(':id')
  async show(@Param('id') param: string, @Res({ passthrough: true }) res: HtmlResponse) {
    const pdf = param.endsWith('.pdf');
    const id = pdf ? param.slice(0, -'.pdf'.length) : param;
    if (!UUID.test(id)) {
      throw new BadRequestException({ message: 'id must be a report run id (uuid)', details: { id } });
    }
    const found = await this.runs.findDocument(id);
    if (!found?.document) throw new NotFoundException({ message: `no archived report with id ${id}` });
    const html = renderArchiveHtml(found.document);
    if (!pdf) {
      res.type('text/html; charset=utf-8');
      return html;
    }
    const document = await this.pdf.render(html);
    res.type('application/pdf');
    return new StreamableFile(document);
  }

  private definition(id: string): ReportDefinition {
    const definition = this.definitions.get(id);
    if (!definition) {
      throw new NotFoundException({
        message: `no report definition "${id}"`,
        details: { definitions: this.definitions.all.map((d) => d.id) },
      });
    }
    return definition;
  }

  private periodFor(definition: ReportDefinition, text: string | undefined): ReportPeriod {
    const now = new Date();
    if (text === undefined) return previousPeriod(definition.period, now, definition.timeZone);
    const period = parsePeriod(definition.period, text, definition.timeZone);
    const example = { day: '2026-11-16', week: '2026-W47', month: '2026-11' }[definition.period];
    if (!period) {
      throw new BadRequestException({
        message: `period must name a ${definition.period} such as ${example}`,
        details: { period: text },
      });
    }
    if (period.end.getTime() > now.getTime()) {
      throw new BadRequestException({
        message: `period ${text} has not ended yet`,
        details: { period: text },
      });
    }
    return period;
  }
}

function flag(name: string, value: string | undefined): boolean {
  if (value !== undefined && value !== 'true' && value !== 'false') {
    throw new BadRequestException({ message: `${name} must be true or false`, details: { [name]: value } });
  }
  return value === 'true';
}

function outcomeResponse(result: ReportRunOutcome) {
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

function runResponse(run: ReportRun, label: string) {
  return {
    report_run_id: run.id,
    report: run.report,
    period: { from: run.period_start, to: run.period_end, label },
    status: run.status,
    message_id: run.message_id,
    attempts: run.attempts,
  };
}
