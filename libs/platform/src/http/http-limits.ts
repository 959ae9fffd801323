import type { Server, ServerResponse } from 'node:http';
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
export function installBodyLimits(app: NestExpressApplication, limitBytes: number): void {
  app.useBodyParser('json', { limit: limitBytes });
  app.useBodyParser('urlencoded', { limit: limitBytes, extended: true });
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

/**
 * Request heads (request line and headers) up to `maxBytes` (Node's `maxHeaderSize`, read per
 * connection). A larger head is refused by Node's parser before any handler runs; the client gets a
 * 431 JSON body instead of Node's bare one.
 */
export function installHeaderLimit(server: Server, maxBytes: number): void {
  // Node reads `server.maxHeaderSize` for each new connection (its typings omit the property).
  Object.assign(server, { maxHeaderSize: maxBytes });
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
