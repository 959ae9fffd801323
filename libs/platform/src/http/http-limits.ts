import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

import type { ErrorBody } from '../errors/http-exception.filter';

/** body-parser's errors carry these (http-errors). */
interface BodyParserError {
  status?: number;
  type?: string;
  limit?: number;
}

/**
 * JSON and form bodies up to `limitBytes`. Nest's own parsers are off (`bodyParser: false`); these
 * are the same Express parsers with a limit. Their errors happen before Nest routes, so the error
 * middleware below turns them into the usual `{error, message, details?}`: 413 for a body over the
 * limit, 400 for one that is not JSON.
 */
export function installBodyLimits(
  app: NestExpressApplication,
  limitBytes: number,
  streamedBodies: readonly RegExp[] = [],
): void {
  const parses = (mediaType: string) => (req: IncomingMessage) =>
    mediaTypeOf(req) === mediaType && !isStreamedBody(req, streamedBodies);
  app.useBodyParser('json', { limit: limitBytes, type: parses('application/json') });
  app.useBodyParser('urlencoded', {
    limit: limitBytes,
    extended: true,
    type: parses('application/x-www-form-urlencoded'),
  });
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const parserError = error as BodyParserError;
    if (parserError?.type === 'entity.too.large') {
      sendJson(res, 413, {
        error: 'payload_too_large',
        message: `request body is larger than ${limitBytes} bytes`,
        details: { limit_bytes: limitBytes },
      });
    } else if (parserError?.type === 'entity.parse.failed') {
      sendJson(res, 400, { error: 'bad_request', message: 'request body is not valid JSON' });
    } else if (
      typeof parserError?.status === 'number' &&
      parserError.status >= 400 &&
      parserError.status < 500
    ) {
      sendJson(res, parserError.status, { error: 'bad_request', message: 'request body could not be read' });
    } else {
      next(error);
    }
  });
}

/** Injection token: PlatformOptions.streamedBodies, the paths whose route reads the request stream itself. */
export const STREAMED_BODIES = 'vigil:streamed-bodies';

/** The media type of the request's Content-Type, lower case, without parameters ('' when absent). */
function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function isStreamedBody(req: IncomingMessage, streamedBodies: readonly RegExp[]): boolean {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return streamedBodies.some((pattern) => pattern.test(path));
}

/**
 * Most header fields a request may carry (Apache's LimitRequestFields). Node's own cap
 * (`maxHeadersCount`, 2000) silently drops the fields past it instead of refusing the request, and
 * thousands of tiny fields fit in HTTP_MAX_HEADER_BYTES.
 */
export const MAX_HEADER_FIELDS = 100;

/**
 * Request heads (request line and headers) up to `maxBytes` (Node's `maxHeaderSize`, read per
 * connection) and MAX_HEADER_FIELDS fields, and a Host header on every HTTP/1.1 request. A larger
 * head is refused by Node's parser before any handler runs; the client gets a 431 JSON body instead
 * of Node's bare one. The field count and the Host header are checked here, ahead of every other
 * request listener (so install this last, after the fast routes and probes): Node's own Host check
 * answers a bare 400 that no hook can replace, so it is off.
 */
export function installHeaderLimit(server: Server, maxBytes: number): void {
  // Node reads these per connection or request (its typings omit `maxHeaderSize`). One field more
  // than the limit is kept, so that a head over the limit can be told from one at it.
  Object.assign(server, {
    maxHeaderSize: maxBytes,
    maxHeadersCount: MAX_HEADER_FIELDS + 1,
    requireHostHeader: false,
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, body]: [number, string, ErrorBody] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'Request Header Fields Too Large',
            {
              error: 'request_header_fields_too_large',
              message: `request headers are larger than ${maxBytes} bytes`,
              details: { limit_bytes: maxBytes },
            },
          ]
        : [400, 'Bad Request', { error: 'bad_request', message: 'malformed HTTP request' }];
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  });
  const downstream = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = headRefusal(req);
    if (refusal) {
      refuse(res, refusal[0], refusal[1]);
      return;
    }
    for (const listener of downstream) listener.call(server, req, res);
  });
}

/** What is wrong with a head Node's parser accepted, as a status and body; null when nothing is. */
function headRefusal(req: IncomingMessage): [number, ErrorBody] | null {
  if (req.rawHeaders.length / 2 > MAX_HEADER_FIELDS) {
    return [
      431,
      {
        error: 'request_header_fields_too_large',
        message: `request has more than ${MAX_HEADER_FIELDS} header fields`,
        details: { limit_fields: MAX_HEADER_FIELDS },
      },
    ];
  }
  // HTTP/1.1 requires Host (RFC 9112, 3.2); HTTP/1.0 clients may leave it out.
  if (req.httpVersion === '1.1' && req.headers.host === undefined) {
    return [400, { error: 'bad_request', message: 'an HTTP/1.1 request needs a Host header' }];
  }
  return null;
}

/** Answers before any routing and closes the connection (a body the request may carry is not read). */
function refuse(res: ServerResponse, status: number, body: ErrorBody): void {
  const text = JSON.stringify(body);
  applySecurityHeaders(res);
  res.shouldKeepAlive = false;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    Connection: 'close',
  });
  res.end(text);
}

/**
 * Helmet's defaults that matter for these services, on every response: HTML pages (the health status
 * page, archived reports) may load nothing but their own inline styles and data: images; no page may
 * be framed, sniffed into another type or leak its URL as a referrer.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  applySecurityHeaders(res);
  next();
}

export function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

function sendJson(res: Response, status: number, body: ErrorBody): void {
  res.status(status).type('application/json').send(JSON.stringify(body));
}
