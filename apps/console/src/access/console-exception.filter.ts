import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';

import { errorMessage } from '@vigil/platform';

import { ConsoleForbidden, CsrfRejected, LoginRequired } from '../session/console-errors';
import type { ConsoleRequest } from './console-route';
import { UpstreamError } from '../upstream/upstream.client';
import { html } from '../render/html';
import { layout } from '../render/layout';
import { sendPage } from '../render/page-response';

interface Failure {
  status: number;
  error: string;
  message: string;
}

/**
 * Turns every failure of a console route into what a person can act on: a redirect to sign in, or a page
 * naming what went wrong (a script asking for JSON gets `{error, message}` with the same status).
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ConsoleExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<ConsoleRequest>();
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof LoginRequired && wantsPage(request)) {
      const query = new URLSearchParams();
      if (request.method === 'GET') query.set('next', request.originalUrl);
      if (exception.ended) query.set('ended', '1');
      const search = query.toString();
      response.redirect(303, `/login${search === '' ? '' : `?${search}`}`);
      return;
    }
    const failure = failureOf(exception);
    if (failure.status >= 500)
      this.logger.warn({ err: exception, status: failure.status }, 'console page failed');
    if (!wantsPage(request)) {
      response.status(failure.status).json({ error: failure.error, message: failure.message });
      return;
    }
    const body = html`<h1>${headingOf(failure.status)}</h1>
      <p>${failure.message}</p>
      <p><a href="/">Back to the console</a></p>`;
    sendPage(
      response,
      layout({ title: headingOf(failure.status), session: request.consoleSession ?? null, body }),
      failure.status,
    );
  }
}

function wantsPage(request: Request): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html') || (request.method !== 'GET' && !accept.includes('application/json'));
}

function failureOf(exception: unknown): Failure {
  if (exception instanceof LoginRequired)
    return { status: 401, error: 'Unauthorized', message: exception.message };
  if (exception instanceof CsrfRejected)
    return { status: 403, error: 'Forbidden', message: exception.message };
  if (exception instanceof ConsoleForbidden)
    return { status: 403, error: 'Forbidden', message: exception.message };
  if (exception instanceof UpstreamError) {
    const status = exception.status === 401 ? 403 : exception.status;
    return {
      status,
      error: exception.status >= 500 ? 'Bad Gateway' : 'Refused',
      message: `${exception.service}: ${exception.message}`,
    };
  }
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : exception.message;
    return { status: exception.getStatus(), error: exception.name, message };
  }
  return {
    status: 500,
    error: 'Internal Server Error',
    message: `the console failed: ${errorMessage(exception)}`,
  };
}

function headingOf(status: number): string {
  if (status === 403) return 'Not allowed';
  if (status === 404) return 'Not found';
  if (status >= 500) return 'Something is unavailable';
  return 'That did not work';
}
