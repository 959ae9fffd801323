import type { IncomingMessage, ServerResponse } from 'node:http';

import { Controller, HttpCode, Options, Param, Post, Req, Res } from '@nestjs/common';

import { Public } from '@vigil/platform';

import type { IntakeAnswer } from './intake-answer';
import { type IntakeEndpoint, IntakeService } from './intake.service';

const STORE_PATHS = ['api/:projectId/store', 'api/:projectId/store/'];
const ENVELOPE_PATHS = ['api/:projectId/envelope', 'api/:projectId/envelope/'];

/** The intake paths, for the platform's body parsers to leave alone (this route reads the stream). */
export const INTAKE_BODY_PATHS = [/^\/api\/[^/]+\/(store|envelope)\/?$/];

/** Browsers (JavaScript SDKs) post from any origin with the key in the query string. */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'x-sentry-error, x-sentry-rate-limits, retry-after',
};
const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers':
    'content-type, content-encoding, x-sentry-auth, authorization, sentry-trace, baggage, x-requested-with',
  'Access-Control-Max-Age': '86400',
};

const PUBLIC_REASON = 'Sentry SDKs authenticate with their DSN key, checked by the intake (sentry-auth.ts)';

/**
 * The Sentry ingestion endpoints: `POST /api/<project>/store/` (one event) and
 * `POST /api/<project>/envelope/`, with or without the trailing slash, plus CORS preflights. Translates
 * the HTTP request for IntakeService and writes its answer.
 */
@Controller()
export class IntakeController {
  constructor(private readonly intake: IntakeService) {}

  @Public(PUBLIC_REASON)
  @Post(STORE_PATHS)
  async store(
    @Param('projectId') projectId: string,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ) {
    await this.serve('store', projectId, req, res);
  }

  @Public(PUBLIC_REASON)
  @Post(ENVELOPE_PATHS)
  async envelope(
    @Param('projectId') projectId: string,
    @Req() req: IncomingMessage,
    @Res() res: ServerResponse,
  ) {
    await this.serve('envelope', projectId, req, res);
  }

  @Public(PUBLIC_REASON)
  @Options([...STORE_PATHS, ...ENVELOPE_PATHS])
  @HttpCode(200)
  preflight(@Res() res: ServerResponse): void {
    for (const [name, value] of Object.entries(PREFLIGHT_HEADERS)) res.setHeader(name, value);
    res.setHeader('Content-Length', '0');
    res.statusCode = 200;
    res.end();
  }

  private async serve(
    endpoint: IntakeEndpoint,
    projectId: string,
    req: IncomingMessage,
    res: ServerResponse,
  ) {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const answer = await this.intake.handle({
      endpoint,
      projectId,
      headers: req.headers,
      query: new URLSearchParams(query === -1 ? '' : url.slice(query + 1)),
      body: req,
      ...(req.socket.remoteAddress === undefined ? {} : { clientIp: req.socket.remoteAddress }),
    });
    write(res, answer);
  }
}

function write(res: ServerResponse, answer: IntakeAnswer): void {
  const payload = Buffer.from(JSON.stringify(answer.body), 'utf8');
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries({ ...CORS_HEADERS, ...answer.headers }))
    res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', payload.length);
  // The request body was not read to its end: close rather than parse what is left as a next request.
  if (answer.close) res.setHeader('Connection', 'close');
  res.end(payload);
}
