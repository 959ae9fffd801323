import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { z } from 'zod';

import { RequireScope, type GuardedRequest } from '@vigil/platform';

import { IssueRepository } from '../storage/issue.repository';
import {
  decodeCursor,
  encodeCursor,
  ISSUE_ID,
  issueEventsQuerySchema,
  issueListQuerySchema,
  mergeBodySchema,
  statusChangeBodySchema,
  type PageCursor,
} from './issue-query';
import { eventView, issueView } from './issue-view';
import { IssuesService } from './issues.service';

/** Latest events shown with an issue. */
const LATEST_EVENTS = 10;

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
  throw new BadRequestException({
    message,
    details: { issues: parsed.error.issues.map((i) => i.path.join('.')) },
  });
}

function cursorOf(value: string | undefined): PageCursor | undefined {
  if (value === undefined) return undefined;
  const cursor = decodeCursor(value);
  if (!cursor)
    throw new BadRequestException({
      message: 'cursor is not one this API issued',
      details: { cursor: value },
    });
  return cursor;
}

function issueId(id: string): string {
  if (!ISSUE_ID.test(id))
    throw new BadRequestException({ message: 'id must be an issue id (digits)', details: { id } });
  return id;
}

interface RedirectingResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

/**
 * Issues: list and search (errors:read), one issue with its latest scrubbed events, its events, and
 * status changes and merges (errors:write). Events were scrubbed before they were stored.
 */
@Controller('errors/issues')
export class IssuesController {
  constructor(
    private readonly repository: IssueRepository,
    private readonly issues: IssuesService,
  ) {}

  @Get()
  @RequireScope('errors:read')
  async list(@Query() raw: Record<string, unknown>) {
    const { cursor: cursorText, project, ...query } = parse(issueListQuerySchema, raw);
    const cursor = cursorOf(cursorText);
    const project_ids = project === undefined ? undefined : this.issues.projectIds(project);
    const rows = await this.repository.page({ ...query, project_ids, after: cursor });
    const last = rows[rows.length - 1];
    const next_cursor =
      rows.length === query.limit && last
        ? encodeCursor({ at: last.last_seen.toISOString(), id: last.id })
        : null;
    const projects = this.issues.projectMap();
    return { issues: rows.map((row) => issueView(row, projects)), count: rows.length, next_cursor };
  }

  /** A merged issue answers 308 to the issue it was merged into. */
  @Get(':id')
  @RequireScope('errors:read')
  async one(@Param('id') id: string, @Res({ passthrough: true }) response: RedirectingResponse) {
    const row = await this.repository.byId(issueId(id));
    if (!row) throw new NotFoundException({ message: `no issue ${id}`, details: { id } });
    if (row.merged_into !== null) {
      response.status(308);
      response.setHeader('Location', `/errors/issues/${row.merged_into}`);
      return {
        error: 'merged',
        message: `issue ${id} was merged into ${row.merged_into}`,
        details: { merged_into: row.merged_into },
      };
    }
    const [events, scrub_rules, activity] = await Promise.all([
      this.repository.events(row.id, LATEST_EVENTS),
      this.repository.scrubTotals(row.id),
      this.repository.activity(row.id),
    ]);
    return {
      ...issueView(row, this.issues.projectMap()),
      scrub_rules,
      latest_events: events.map(eventView),
      activity,
    };
  }

  @Get(':id/events')
  @RequireScope('errors:read')
  async events(@Param('id') id: string, @Query() raw: Record<string, unknown>) {
    const { limit, cursor: cursorText } = parse(issueEventsQuerySchema, raw);
    const row = await this.repository.byId(issueId(id));
    if (!row) throw new NotFoundException({ message: `no issue ${id}`, details: { id } });
    const rows = await this.repository.events(row.id, limit, cursorOf(cursorText));
    const last = rows[rows.length - 1];
    const next_cursor =
      rows.length === limit && last
        ? encodeCursor({ at: last.received_at.toISOString(), id: last.id })
        : null;
    return { events: rows.map(eventView), count: rows.length, next_cursor };
  }

  @Post(':id/status')
  @HttpCode(200)
  @RequireScope('errors:write')
  async status(@Param('id') id: string, @Body() body: unknown, @Req() request: GuardedRequest) {
    const change = parse(statusChangeBodySchema, body);
    const row = await this.issues.changeStatus(issueId(id), change, actorOf(request));
    return issueView(row, this.issues.projectMap());
  }

  @Post(':id/merge')
  @HttpCode(200)
  @RequireScope('errors:write')
  async merge(@Param('id') id: string, @Body() body: unknown, @Req() request: GuardedRequest) {
    const { into } = parse(mergeBodySchema, body);
    const row = await this.issues.merge(issueId(id), into, actorOf(request));
    return issueView(row, this.issues.projectMap());
  }
}

const actorOf = (request: GuardedRequest) => request.vigilApiKey ?? 'unknown';
