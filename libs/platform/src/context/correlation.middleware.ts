import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

import { HEADER_REQUEST_ID, HEADER_TRACEPARENT } from '@vigil/contracts';

import { contextFrom, runWithContext, type RequestContext } from './request-context';

/** Accepts or generates x-request-id and traceparent, echoes them, and scopes the request to them. */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    runWithContext(correlate(req, res), next);
  }
}

/** The request's correlation context (accepted or generated), echoed on `res`. */
export function correlate(req: IncomingMessage, res: ServerResponse): RequestContext {
  const context = contextFrom({
    requestId: headerOf(req, HEADER_REQUEST_ID),
    traceparent: headerOf(req, HEADER_TRACEPARENT),
  });
  res.setHeader(HEADER_REQUEST_ID, context.requestId);
  res.setHeader(HEADER_TRACEPARENT, context.traceparent);
  return context;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
