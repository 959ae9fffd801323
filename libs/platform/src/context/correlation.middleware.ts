import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

import { HEADER_REQUEST_ID, HEADER_TRACEPARENT } from '@vigil/contracts';

import { contextFrom, runWithContext } from './request-context';

/** Accepts or generates x-request-id and traceparent, echoes them, and scopes the request to them. */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const context = contextFrom({
      requestId: req.header(HEADER_REQUEST_ID),
      traceparent: req.header(HEADER_TRACEPARENT),
    });
    res.setHeader(HEADER_REQUEST_ID, context.requestId);
    res.setHeader(HEADER_TRACEPARENT, context.traceparent);
    runWithContext(context, next);
  }
}
