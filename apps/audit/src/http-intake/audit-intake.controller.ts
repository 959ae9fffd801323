import {
  Body,
  Controller,
  ForbiddenException,
  Post,
  Req,
  Res,
  ServiceUnavailableException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';

import { RequireScope, type GuardedRequest } from '@vigil/platform';

import { AuditIntakeService } from './audit-intake.service';
import { batchStatus, eventsOf, noEvent, type EventResult } from './intake-batch';

export const AUDIT_INTAKE_PATH = '/audit/v1/events';

/** What the route reads of Express's request and writes on its response. */
type IntakeRequest = GuardedRequest & {
  headers: Record<string, string | string[] | undefined>;
};
interface IntakeResponse {
  setHeader(name: string, value: string): unknown;
  status(code: number): { json(body: unknown): unknown };
}

/** A 503 answer tells the client when to retry (the Python client also backs off on its own). */
const RETRY_AFTER_S = 1;

/**
 * `POST /audit/v1/events`: one AuditEvent v1 or an array of up to 500, published to JetStream for
 * services without a JetStream client. 202 when every event is durably in the AUDIT stream, 207 with a
 * result per event when some were refused or failed, 403 when the key may publish as none of their
 * sources, 503 when JetStream acknowledged none; every answer but the whole-request errors is
 * `{results: [{id, status, error?}]}` in the order of the request.
 */
@Controller(AUDIT_INTAKE_PATH)
@RequireScope('audit:publish')
export class AuditIntakeController {
  constructor(private readonly intake: AuditIntakeService) {}

  @Post()
  async publish(@Req() req: IntakeRequest, @Res() res: IntakeResponse, @Body() body: unknown): Promise<void> {
    const principal = req.vigilPrincipal;
    // The guard sets it for every route of a scope; its absence would be a wiring bug, not a client's.
    if (!principal) throw new UnauthorizedException({ message: 'an API key is required' });
    const events = eventsOf(readableBody(req, body));
    const results = await this.intake.publish(events, {
      principal,
      ip: req.ip,
      route: `${req.method} ${req.path}`,
    });
    const status = batchStatus(results);
    if (status === 403) {
      throw new ForbiddenException({
        message: `API key "${principal.name}" may not publish as the sources of these events`,
        details: { results },
      });
    }
    if (status === 503) {
      res.setHeader('Retry-After', String(RETRY_AFTER_S));
      throw new ServiceUnavailableException({
        message: 'JetStream did not acknowledge the events; nothing was stored, retry',
        details: { results, retry_after_s: RETRY_AFTER_S },
      });
    }
    res.status(status).json({ results } satisfies { results: EventResult[] });
  }
}

/**
 * The parsed JSON body. Express's parser leaves other content types unread (415) and reads an empty
 * JSON body as `{}` (refused by eventsOf); no body at all is a 400.
 */
function readableBody(req: IntakeRequest, body: unknown): unknown {
  if (body !== undefined) return body;
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody) {
    throw new UnsupportedMediaTypeException({
      message: 'send the events as application/json',
      details: { content_type: req.headers['content-type'] ?? null },
    });
  }
  throw noEvent();
}
