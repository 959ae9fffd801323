import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { finished } from 'node:stream';

import { PinoLogger } from 'nestjs-pino';

import type { ApiKeyGuard, GuardedRequest } from '../auth/api-key.guard';
import type { RouteAccess } from '../auth/route-access';
import { correlate } from '../context/correlation.middleware';
import { runWithContext } from '../context/request-context';
import { errorResponseOf, type ErrorBody } from '../errors/http-exception.filter';
import { httpRequestTracker } from '../metrics/http-metrics';
import { applySecurityHeaders } from './http-limits';

/**
 * A JSON route served straight off the node:http server, ahead of Express and Nest, for a hot
 * endpoint where the framework's request path costs more than the work (bench/alerting). It keeps
 * what the framework path does: correlation ids, security headers, the body limit and JSON errors of
 * http-limits.ts, the ApiKeyGuard's checks (`access`), the error filter's bodies, the pino-http access
 * line and the RED metrics. A service lists its routes in `PlatformModule.forRoot({ fastRoutes })`
 * and provides them; the same route stays declared on its controller, which serves every request
 * the fast path leaves to Express (another content type, encoding or charset, a path spelled
 * differently).
 */
export interface FastRoute {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The exact path, e.g. `/api/v2/alerts` (a query string is allowed). */
  readonly path: string;
  /** What the controller's `@RequireScope`/`@AnyApiKey`/`@Public` says for the same route. */
  readonly access: RouteAccess;
  /** Status of a success (the controller's `@HttpCode`). */
  readonly successStatus: number;
  /**
   * Handles the parsed JSON body, as the controller method would (throwing Nest HttpExceptions for
   * bad input); resolves to the response body, or undefined for none.
   */
  handle(body: unknown): Promise<unknown>;
}

/**
 * A fast route over a family of paths whose handler reads the request itself (any method it names, any
 * body, e.g. heartbeat pings `GET /ping/<token>`), with the same correlation ids, security headers, guard,
 * access line and RED metrics as every other route. Its controller should declare the same routes.
 */
export interface StreamFastRoute {
  readonly methods: readonly string[];
  /** Tested against the path without its query. */
  readonly pattern: RegExp;
  /** The `route` label of its metrics, e.g. `/ping/:token`. */
  readonly label: string;
  readonly access: RouteAccess;
  /** Reads the request and writes the whole answer. */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Injection token: the `Type<FastRoute>`s given to `PlatformModule.forRoot({ fastRoutes })`. */
export const FAST_ROUTES = 'vigil:fast-routes';

export interface FastRouteOptions {
  guard: ApiKeyGuard;
  /** HTTP_BODY_LIMIT_BYTES, as installBodyLimits applies it. */
  bodyLimitBytes: number;
}

/** Only what Express's JSON parser would read as UTF-8 JSON is served here; the rest goes to Express. */
const JSON_CONTENT_TYPE = /^application\/json[ \t]*(;[ \t]*charset="?utf-8"?[ \t]*)?$/i;
const JSON_START = /^[ \t\n\r]*([^ \t\n\r])/;

type BodyRead = { ok: true; body: unknown } | { ok: false; status: number; error: ErrorBody };

/**
 * Puts `routes` in front of every request listener of `server` (Express, once Nest created it): a
 * request for one of them is served here, every other request passes through.
 */
export function interceptFastRoutes(
  server: Server,
  routes: readonly (FastRoute | StreamFastRoute)[],
  options: FastRouteOptions,
): void {
  if (routes.length === 0) return;
  const jsonRoutes = routes.filter((route): route is FastRoute => !('pattern' in route));
  const streamRoutes = routes.filter((route): route is StreamFastRoute => 'pattern' in route);
  const table = new Map(jsonRoutes.map((route) => [`${route.method} ${route.path}`, route]));
  const track = httpRequestTracker();
  const downstream = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const route = routeOf(table, req);
    if (route) {
      serve(route, req, res, track, options);
      return;
    }
    const stream = streamRouteOf(streamRoutes, req);
    if (stream) {
      serveStream(stream, req, res, track, options);
      return;
    }
    for (const listener of downstream) listener.call(server, req, res);
  });
}

function streamRouteOf(
  routes: readonly StreamFastRoute[],
  req: IncomingMessage,
): StreamFastRoute | undefined {
  if (routes.length === 0) return undefined;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return routes.find((route) => route.methods.includes(req.method ?? '') && route.pattern.test(path));
}

function serveStream(
  route: StreamFastRoute,
  req: IncomingMessage,
  res: ServerResponse,
  track: ReturnType<typeof httpRequestTracker>,
  options: FastRouteOptions,
): void {
  const context = correlate(req, res);
  track(req.method ?? '', res, () => route.label);
  applySecurityHeaders(res);
  runWithContext(context, () => {
    void (async () => {
      const started = Date.now();
      const guarded = guardedRequestOf(req, route.label);
      try {
        await options.guard.authorize(guarded, res, route.access);
        await route.serve(req, res);
      } catch (error) {
        if (!res.headersSent) {
          const [status, body] = errorResponseOf(error);
          sendJson(res, status, body);
        } else {
          res.destroy();
        }
      }
      logAccess(req, res, guarded.vigilApiKey, started);
    })();
  });
}

/** What the guard reads of a fast-routed request; `path` is the route's label, as Express's route would be. */
function guardedRequestOf(req: IncomingMessage, path: string): GuardedRequest {
  return { headers: req.headers, ip: req.socket.remoteAddress, method: req.method ?? '', path };
}

function routeOf(table: Map<string, FastRoute>, req: IncomingMessage): FastRoute | undefined {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const route = table.get(`${req.method} ${query === -1 ? url : url.slice(0, query)}`);
  if (!route) return undefined;
  const { headers } = req;
  // What body-parser would skip, decompress or decode differently is left to Express.
  const hasBody = headers['transfer-encoding'] !== undefined || headers['content-length'] !== undefined;
  const encoding = headers['content-encoding'];
  if (!hasBody || (encoding !== undefined && encoding.toLowerCase() !== 'identity')) return undefined;
  return JSON_CONTENT_TYPE.test(headers['content-type'] ?? '') ? route : undefined;
}

function serve(
  route: FastRoute,
  req: IncomingMessage,
  res: ServerResponse,
  track: ReturnType<typeof httpRequestTracker>,
  options: FastRouteOptions,
): void {
  const context = correlate(req, res);
  // Like Express: a body the parser refuses never reaches the router, so it counts as unmatched.
  let routeLabel = 'unmatched';
  track(req.method ?? '', res, () => routeLabel);
  applySecurityHeaders(res);
  runWithContext(context, () => {
    void (async () => {
      const read = await readJson(req, options.bodyLimitBytes);
      if (!read.ok) {
        sendJson(res, read.status, read.error);
        return;
      }
      routeLabel = route.path;
      const started = Date.now();
      const guarded = guardedRequestOf(req, route.path);
      try {
        await options.guard.authorize(guarded, res, route.access);
        const result = await route.handle(read.body);
        if (result === undefined) {
          res.statusCode = route.successStatus;
          res.end();
        } else {
          sendJson(res, route.successStatus, result);
        }
      } catch (error) {
        const [status, body] = errorResponseOf(error);
        sendJson(res, status, body);
      }
      logAccess(req, res, guarded.vigilApiKey, started);
    })();
  });
}

/** Reads and parses the body as Express's JSON parser does, with installBodyLimits' errors. */
function readJson(req: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  const tooLarge: BodyRead = {
    ok: false,
    status: 413,
    error: {
      error: 'payload_too_large',
      message: `request body is larger than ${limitBytes} bytes`,
      details: { limit_bytes: limitBytes },
    },
  };
  const unreadable: BodyRead = {
    ok: false,
    status: 400,
    error: { error: 'bad_request', message: 'request body could not be read' },
  };
  const declaredHeader = req.headers['content-length'];
  const declared = declaredHeader === undefined ? null : Number(declaredHeader);
  return new Promise((resolve) => {
    // Like body-parser, a refused body is still read off to its end before the answer.
    let failure: BodyRead | null = declared !== null && declared > limitBytes ? tooLarge : null;
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      if (failure) return;
      received += chunk.length;
      if (received > limitBytes) {
        failure = tooLarge;
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    });
    finished(req, (error) => {
      if (failure) resolve(failure);
      else if (error || (declared !== null && received !== declared)) resolve(unreadable);
      else resolve(parseJson(Buffer.concat(chunks, received)));
    });
  });
}

function parseJson(raw: Buffer): BodyRead {
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // body-parser: an empty body is `{}`; in strict mode only an object or array is JSON.
  if (text.length === 0) return { ok: true, body: {} };
  const first = JSON_START.exec(text)?.[1];
  if (first === '{' || first === '[') {
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      // answered below
    }
  }
  return {
    ok: false,
    status: 400,
    error: { error: 'bad_request', message: 'request body is not valid JSON' },
  };
}

/** As Express's `res.json`: UTF-8 JSON with its length and weak ETag. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const hash = createHash('sha1').update(payload).digest('base64').slice(0, 27);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', payload.length);
  res.setHeader('ETag', `W/"${payload.length.toString(16)}-${hash}"`);
  res.end(payload);
}

/** The line pino-http writes for a request (logging/logger-options.ts), with the same logger and fields. */
function logAccess(
  req: IncomingMessage,
  res: ServerResponse,
  apiKeyName: string | undefined,
  started: number,
): void {
  const logger = (PinoLogger as unknown as { root?: PinoLogger['logger'] }).root;
  if (!logger) return;
  const fields = {
    req,
    ...(apiKeyName ? { api_key_name: apiKeyName } : {}),
    res,
    responseTime: Date.now() - started,
  };
  if (res.statusCode >= 500) {
    logger.info(
      { ...fields, err: new Error(`failed with status code ${res.statusCode}`) },
      'request errored',
    );
  } else {
    logger.info(fields, 'request completed');
  }
}
