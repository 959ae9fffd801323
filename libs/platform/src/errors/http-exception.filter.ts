import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';

import { redact } from '@vigil/redaction';

import { reportError } from './error-reporting';

export interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
  [extra: string]: unknown;
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  503: 'service_unavailable',
};

const logger = new Logger('HttpExceptionFilter');

/**
 * Every HTTP error leaves as `{error, message, details?}`. Known errors keep their status; anything
 * else becomes a 500 with an error id, logged once with its stack (redacted).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = errorResponseOf(exception);
    res.status(status).json(body);
  }
}

/**
 * The status and (redacted) body a thrown `exception` answers with: what the filter sends, and what
 * routes served ahead of Nest (http/fast-route.ts) send.
 */
export function errorResponseOf(exception: unknown): [number, ErrorBody] {
  const [status, body] = exception instanceof HttpException ? known(exception) : unknown(exception);
  return [status, redact(body)];
}

function known(exception: HttpException): [number, ErrorBody] {
  const status = exception.getStatus();
  // A 5xx thrown on purpose is still a failure worth an issue; 503 is the documented answer while a
  // dependency is down (health and its alerts cover that), so it would only flood the issue list.
  if (status >= 500 && status !== 503) reportError(exception, 'http', { status: String(status) });
  const response = exception.getResponse();
  const code = CODES[status] ?? (status >= 500 ? 'internal_error' : 'http_error');
  if (typeof response === 'string') return [status, { error: code, message: response }];
  const { error, message, details, statusCode: _statusCode, ...rest } = response as Record<string, unknown>;
  return [
    status,
    {
      error: typeof error === 'string' && /^[a-z_]+$/.test(error) ? error : code,
      message: Array.isArray(message)
        ? message.join('; ')
        : typeof message === 'string'
          ? message
          : exception.message,
      ...(details !== undefined ? { details } : {}),
      ...rest,
    },
  ];
}

function unknown(exception: unknown): [number, ErrorBody] {
  const errorId = randomUUID();
  logger.error({ error_id: errorId, err: exception }, 'unhandled error');
  reportError(exception, 'http', { status: '500', error_id: errorId });
  return [
    HttpStatus.INTERNAL_SERVER_ERROR,
    {
      error: 'internal_error',
      message: `internal error (error id ${errorId})`,
      details: { error_id: errorId },
    },
  ];
}
