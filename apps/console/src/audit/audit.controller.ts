import { BadRequestException, Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';

import { ConsoleRoute, CurrentSession } from '../access/console-route';
import { layout } from '../render/layout';
import { sendPage } from '../render/page-response';
import type { ConsoleSession } from '../session/console-session';
import { UpstreamClient, UpstreamError } from '../upstream/upstream.client';
import type { EventPage } from './audit-api';
import { streamExport, type ExportFormat } from './audit-export';
import { AuditReader } from './audit-reader';
import { detectionsPageBody, DETECTION_RULES } from './detections.page';
import { eventPageBody } from './event.page';
import { searchPageBody } from './search.page';
import { auditQueryOf, instantOf, searchFormOf } from './search-filters';
import { verifyPageBody, type VerifyForm } from './verify.page';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUDIT_READ = { service: 'audit', scope: 'audit:read' } as const;

/** The service refused the person's input (400): the page shows why and keeps the form. */
const refusedInput = (error: unknown): error is UpstreamError =>
  error instanceof UpstreamError && error.status === 400;

/** The earlier size of a growth check: a non-negative integer. */
function growthSize(value: string | undefined): number {
  if (value === undefined || !/^\d{1,15}$/.test(value)) {
    throw new BadRequestException({ message: 'the earlier size must be a non-negative integer' });
  }
  return Number(value);
}

/** A root hash the person holds: 64 hex digits, or none. */
function heldRoot(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9a-f]{64}$/.test(value))
    throw new BadRequestException({ message: 'a root hash is 64 hex digits' });
  return value;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 512) : undefined;

/**
 * The auditor's pages: search, an event with its proof, chain verification, exports, detections and the
 * monthly privacy report. Every read goes to the audit service with the person's own key, so the
 * service records it (audit.events.read, audit.event.read, audit.chain.verified) under their name.
 */
@Controller('audit')
export class AuditController {
  constructor(
    private readonly reader: AuditReader,
    private readonly upstream: UpstreamClient,
  ) {}

  @Get()
  @ConsoleRoute(AUDIT_READ)
  async search(
    @CurrentSession() session: ConsoleSession,
    @Query() query: Record<string, unknown>,
    @Query('notice') notice: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const form = searchFormOf(query);
    const cursor = text(query['cursor']);
    let page: EventPage | null = null;
    let error: string | undefined;
    try {
      page = await this.reader.search(session, { ...auditQueryOf(form), cursor });
    } catch (failure) {
      if (!refusedInput(failure)) throw failure;
      error = `The search was refused: ${failure.message}`;
    }
    const body = searchPageBody({ form, page, firstPage: cursor === undefined });
    const title = 'Audit search';
    sendPage(
      response,
      layout({ title, session, active: 'audit', body, error, notice: text(notice) }),
      error === undefined ? 200 : 400,
    );
  }

  @Get('export.csv')
  @ConsoleRoute(AUDIT_READ)
  exportCsv(
    @CurrentSession() session: ConsoleSession,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ) {
    return this.export(session, query, 'csv', response);
  }

  @Get('export.json')
  @ConsoleRoute(AUDIT_READ)
  exportJson(
    @CurrentSession() session: ConsoleSession,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ) {
    return this.export(session, query, 'json', response);
  }

  @Get('events/:id')
  @ConsoleRoute(AUDIT_READ)
  async event(
    @CurrentSession() session: ConsoleSession,
    @Param('id') id: string,
    @Res() response: Response,
  ): Promise<void> {
    if (!UUID.test(id)) throw new BadRequestException({ message: `${id} is not an audit event id (a UUID)` });
    const detail = await this.reader.event(session, id);
    const proof = await this.reader.proofOf(session, detail);
    sendPage(
      response,
      layout({
        title: `Audit event ${detail.event.action}`,
        session,
        active: 'audit',
        body: eventPageBody(detail, proof),
      }),
    );
  }

  @Get('verify')
  @ConsoleRoute(AUDIT_READ)
  async verify(
    @CurrentSession() session: ConsoleSession,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const category = text(query['category']);
    const form: VerifyForm = {
      category,
      from: text(query['from']),
      to: text(query['to']),
      first: text(query['first']),
      first_root: text(query['first_root'])?.toLowerCase(),
    };
    let error: string | undefined;
    let report = null;
    let growth = null;
    try {
      // The forms alone are a page; a walk or a proof runs only when asked (a walk reads the whole range).
      if (text(query['run']) !== undefined) {
        report = await this.reader.verify(session, instantOf(form.from), instantOf(form.to));
      }
      if (text(query['grow']) !== undefined) {
        growth = await this.reader.growth(
          session,
          category ?? 'security',
          growthSize(form.first),
          heldRoot(form.first_root),
        );
      }
    } catch (failure) {
      if (!refusedInput(failure)) throw failure;
      error = `The verification was refused: ${failure.message}`;
    }
    const body = verifyPageBody(form, report, growth);
    sendPage(
      response,
      layout({ title: 'Verify the audit chains', session, active: 'audit', body, error }),
      error === undefined ? 200 : 400,
    );
  }

  @Get('detections')
  @ConsoleRoute(AUDIT_READ)
  async detections(
    @CurrentSession() session: ConsoleSession,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const requested = text(query['rule']);
    const rule = DETECTION_RULES.some((r) => r.rule === requested) ? requested : undefined;
    const [page, reports] = await Promise.all([
      this.reader.detections(session, rule, text(query['cursor'])),
      this.reader.privacyReports(session),
    ]);
    const body = detectionsPageBody({ rule, page, reports });
    sendPage(response, layout({ title: 'Detections', session, active: 'audit', body }));
  }

  /**
   * An archived monthly privacy report, as reporting rendered it (inline styles, charts as data: images),
   * under a CSP that lets it style itself and nothing else: sandboxed, no script, no request anywhere.
   */
  @Get('privacy-report/:id')
  @ConsoleRoute({ service: 'reporting' })
  async privacyReport(
    @CurrentSession() session: ConsoleSession,
    @Param('id') id: string,
    @Res() response: Response,
  ): Promise<void> {
    if (!UUID.test(id)) throw new BadRequestException({ message: `${id} is not a report run id (a UUID)` });
    const answer = await this.upstream.stream(session, 'reporting', { path: `/reports/${id}` });
    response
      .status(200)
      .setHeader(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'none'",
      )
      .setHeader('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(await answer.text());
  }

  private async export(
    session: ConsoleSession,
    query: Record<string, unknown>,
    format: ExportFormat,
    response: Response,
  ): Promise<void> {
    await streamExport({
      session,
      query: auditQueryOf(searchFormOf(query)),
      format,
      fetchPage: (s, q, limit) => this.reader.search(s, q, limit),
      response,
    });
  }
}
