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

import { ConsoleRoute, CurrentSession } from '../access/console-route';
import { noticeOf } from '../render/fragments';
import { layout } from '../render/layout';
import { redirectAfterWrite, sendPage } from '../render/page-response';
import { mayUse, type ConsoleSession } from '../session/console-session';
import { UpstreamClient } from '../upstream/upstream.client';
import { ISSUE_FILTERS, type IssueDetail, type IssueFilters, type IssuePage } from './errors-api';
import { issueBody, issuesBody } from './errors-view';
import { statusBodyOf, statusNotice } from './issue-status-form';

const PAGE_SIZE = 50;
/** The errors service's issue ids (digits); anything else is no issue, and never reaches its URL. */
const ISSUE_ID = /^[1-9][0-9]{0,17}$/;

/**
 * Error issues from the errors service (scope errors:read): the list with its filters, one issue with its
 * latest scrubbed events, and status changes (scope errors:write) as plain forms, each answered 303 back.
 */
@Controller('errors')
export class ErrorsController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Get()
  @ConsoleRoute({ service: 'errors', scope: 'errors:read' })
  async list(
    @CurrentSession() session: ConsoleSession,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ): Promise<void> {
    const filters = filtersOf(query);
    const page = await this.upstream.json<IssuePage>(session, 'errors', {
      path: '/errors/issues',
      query: { ...filters, limit: PAGE_SIZE },
    });
    sendPage(
      response,
      layout({
        title: 'Errors',
        session,
        active: 'errors',
        body: issuesBody(page, filters),
        notice: noticeOf(query.notice),
      }),
    );
  }

  @Get(':id')
  @ConsoleRoute({ service: 'errors', scope: 'errors:read' })
  async one(
    @CurrentSession() session: ConsoleSession,
    @Param('id') id: string,
    @Query('notice') notice: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const issue = await this.upstream.json<IssueDetail>(session, 'errors', {
      path: `/errors/issues/${issueId(id)}`,
    });
    const body = issueBody(issue, session, mayUse(session, 'errors', 'errors:write'));
    sendPage(
      response,
      layout({
        title: `Issue ${issue.id}`,
        session,
        active: 'errors',
        body,
        notice: noticeOf(notice),
      }),
    );
  }

  @Post(':id/status')
  @ConsoleRoute({ service: 'errors', scope: 'errors:write' })
  async changeStatus(
    @CurrentSession() session: ConsoleSession,
    @Param('id') id: string,
    @Body() form: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const parsed = statusBodyOf(form);
    if (!parsed.ok) throw new BadRequestException({ message: parsed.message });
    await this.upstream.json(session, 'errors', {
      method: 'POST',
      path: `/errors/issues/${issueId(id)}/status`,
      body: parsed.body,
    });
    redirectAfterWrite(response, `/errors/${id}`, statusNotice(parsed.body));
  }
}

function issueId(id: string): string {
  if (!ISSUE_ID.test(id)) throw new NotFoundException({ message: `no issue ${id}` });
  return id;
}

/** The list's filters from the query string: only known names, only non-empty text. */
function filtersOf(query: Record<string, unknown>): IssueFilters {
  const filters: IssueFilters = {};
  for (const name of [...ISSUE_FILTERS, 'cursor'] as const) {
    const value = query[name];
    if (typeof value === 'string' && value.trim() !== '') filters[name] = value.trim();
  }
  return filters;
}
