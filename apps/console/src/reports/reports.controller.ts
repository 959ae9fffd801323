import {
  BadRequestException,
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { SECURITY_HEADERS } from '@vigil/platform';

import { ConsoleRoute, CurrentSession } from '../access/console-route';
import { noticeOf } from '../render/fragments';
import { layout } from '../render/layout';
import { redirectAfterWrite, sendPage } from '../render/page-response';
import { mayUse, type ConsoleSession } from '../session/console-session';
import { UpstreamClient, UpstreamError } from '../upstream/upstream.client';
import type { AlertingSummary, DefinitionsAnswer, RunOutcome, RunsAnswer } from './reporting-api';
import { PANEL_DAYS, reportsBody, type PanelData, type PanelDays } from './reports-view';

const ARCHIVE_ROWS = 50;
const DAY_MS = 86_400_000;
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFINITION_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** 2026-11-16, 2026-W47 or 2026-11: reporting says which one a definition takes. */
const PERIOD = /^\d{4}-(W\d{2}|\d{2}(-\d{2})?)$/;

/**
 * A report is a document of its own, never part of a console page: it is answered as the reporting service
 * serves it, under the platform's policy (inline styles and data: images only, no script, no form, never
 * framed), so the console's stricter page CSP stays untouched and nothing in a report runs in the console.
 */
export const REPORT_DOCUMENT_CSP = SECURITY_HEADERS['Content-Security-Policy'];

interface RunForm {
  definition?: unknown;
  period?: unknown;
  mode?: unknown;
}

/**
 * The team lead's pages: the report archive (HTML and PDF streamed from reporting with the person's key),
 * "run now" and "dry run" (scope reports:run) and MTTA/MTTR with the noisiest alerts (alerting's
 * `GET /alerts/summary`).
 */
@Controller('reports')
export class ReportsController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get()
  @ConsoleRoute({ service: 'reporting' })
  async list(
    @CurrentSession() session: ConsoleSession,
    @Query('days') daysText: unknown,
    @Query('notice') notice: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const days = panelDays(daysText);
    const [runs, definitions, panel] = await Promise.all([
      this.upstream.json<RunsAnswer>(session, 'reporting', {
        path: '/reports',
        query: { limit: ARCHIVE_ROWS },
      }),
      this.upstream.json<DefinitionsAnswer>(session, 'reporting', { path: '/reports/definitions' }),
      this.panel(session, days),
    ]);
    const body = reportsBody(
      {
        runs: runs.runs,
        definitions: definitions.definitions,
        panel,
        days,
        mayRun: mayUse(session, 'reporting', 'reports:run'),
      },
      session,
    );
    sendPage(
      response,
      layout({
        title: 'Reports',
        session,
        active: 'reports',
        body,
        notice: noticeOf(notice),
      }),
    );
  }

  /** "Run now" sends the report and comes back with a notice; "Dry run" answers the report itself, unsent. */
  @Post('run')
  @ConsoleRoute({ service: 'reporting', scope: 'reports:run' })
  async run(
    @CurrentSession() session: ConsoleSession,
    @Body() form: RunForm,
    @Res() response: Response,
  ): Promise<void> {
    const definition = typeof form.definition === 'string' ? form.definition : '';
    if (!DEFINITION_ID.test(definition)) throw new BadRequestException({ message: 'choose a report to run' });
    const period = typeof form.period === 'string' ? form.period.trim() : '';
    if (period !== '' && !PERIOD.test(period))
      throw new BadRequestException({
        message: `period "${period}" is not a day, week or month such as 2026-11-16, 2026-W47 or 2026-11`,
      });
    const request = { method: 'POST' as const, path: `/reports/${definition}/run` };
    if (form.mode === 'dry') {
      const preview = await this.upstream.stream(session, 'reporting', {
        ...request,
        query: { period, dry_run: 'true' },
      });
      await sendReportDocument(
        response,
        preview,
        'inline',
        `dry-run-${definition}-${period || 'latest'}.html`,
      );
      return;
    }
    if (form.mode !== 'run') throw new BadRequestException({ message: 'mode must be run or dry' });
    const outcome = await this.upstream.json<RunOutcome>(session, 'reporting', {
      ...request,
      query: { period },
    });
    redirectAfterWrite(
      response,
      '/reports',
      `Report ${outcome.report} for ${outcome.period.label} ${outcome.status} (run ${outcome.report_run_id})`,
    );
  }

  /** `<run id>`: the archived report's HTML as its own document; `<run id>.pdf`: its PDF as a download. */
  @Get(':file')
  @ConsoleRoute({ service: 'reporting' })
  async file(
    @CurrentSession() session: ConsoleSession,
    @Param('file') file: string,
    @Res() response: Response,
  ): Promise<void> {
    const pdf = file.endsWith('.pdf');
    const id = pdf ? file.slice(0, -'.pdf'.length) : file;
    if (!RUN_ID.test(id)) throw new NotFoundException({ message: `no archived report ${file}` });
    const answer = await this.upstream.stream(session, 'reporting', {
      path: `/reports/${id}${pdf ? '.pdf' : ''}`,
    });
    if (pdf) {
      response.setHeader('Content-Type', 'application/pdf');
      response.setHeader('Content-Disposition', `attachment; filename="vigil-report-${id}.pdf"`);
      response.setHeader('Cache-Control', 'no-store');
      await pipeBody(answer, response);
      return;
    }
    await sendReportDocument(response, answer, 'inline', `vigil-report-${id}.html`);
  }

  private async panel(session: ConsoleSession, days: PanelDays): Promise<PanelData> {
    if (!mayUse(session, 'alerting'))
      return {
        unavailable: 'Your key is not accepted by the alerting service, so MTTA and MTTR cannot be shown.',
      };
    const to = new Date();
    const from = new Date(to.getTime() - days * DAY_MS);
    try {
      const summary = await this.upstream.json<AlertingSummary>(session, 'alerting', {
        path: '/alerts/summary',
        query: { from: from.toISOString(), to: to.toISOString() },
      });
      return { summary };
    } catch (error) {
      // The archive is still useful when alerting is down: the panel says so instead of failing the page.
      if (error instanceof UpstreamError)
        return { unavailable: `MTTA and MTTR are unavailable: ${error.message}` };
      throw error;
    }
  }
}

function panelDays(text: unknown): PanelDays {
  const days = Number(text);
  return (PANEL_DAYS as readonly number[]).includes(days) ? (days as PanelDays) : 7;
}

/** A report's HTML, streamed as reporting sent it, under the report CSP instead of the console's. */
async function sendReportDocument(
  response: Response,
  answer: globalThis.Response,
  disposition: 'inline',
  filename: string,
): Promise<void> {
  // A dry run is a POST, for which Nest presets 201; the preview is an ordinary answer.
  response.status(200);
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('Content-Security-Policy', REPORT_DOCUMENT_CSP);
  response.setHeader(
    'Content-Disposition',
    `${disposition}; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
  );
  response.setHeader('Cache-Control', 'no-store');
  await pipeBody(answer, response);
}

async function pipeBody(answer: globalThis.Response, response: Response): Promise<void> {
  if (answer.body === null) {
    response.end();
    return;
  }
  try {
    await pipeline(Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>), response);
  } catch (error) {
    // Once bytes went out no error page can follow: the reader left or reporting broke off; end the answer.
    if (!response.headersSent) throw error;
    response.destroy();
  }
}
