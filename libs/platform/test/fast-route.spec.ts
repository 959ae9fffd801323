import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  Injectable,
  Post,
  type INestApplication,
} from '@nestjs/common';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';

import { waitFor } from '@vigil/testing';

import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  hashApiKey,
  RequireScope,
  SECURITY_HEADERS,
  type FastRoute,
  type RouteAccess,
  type StreamFastRoute,
} from '../src';
import { startTestService, testService, type TestServiceHandle } from './test-service';

const countOf = (body: unknown): { received: number } => {
  if (!Array.isArray(body)) throw new BadRequestException({ message: 'expected an array' });
  return { received: body.length };
};

/** The same route on a controller (what the fast route leaves to Express) and ahead of Nest. */
@Controller('things')
class ThingsController {
  @Post()
  @HttpCode(200)
  @RequireScope('alerts:write')
  add(@Body() body: unknown) {
    return countOf(body);
  }

  @Post('other')
  @HttpCode(204)
  @RequireScope('alerts:write')
  other(): void {}
}

@Injectable()
class AddThingsRoute implements FastRoute {
  readonly method = 'POST';
  readonly path = '/things';
  readonly access: RouteAccess = { kind: 'scope', scope: 'alerts:write' };
  readonly successStatus = 200;
  served = 0;

  handle(body: unknown): Promise<unknown> {
    this.served += 1;
    return Promise.resolve(countOf(body));
  }
}

/** A family of paths whose handler reads the request and writes the answer itself. */
@Injectable()
class EchoStreamRoute implements StreamFastRoute {
  readonly methods = ['GET'];
  readonly pattern = /^\/echo\/[^/]+$/;
  readonly label = '/echo/:id';
  readonly access: RouteAccess = { kind: 'scope', scope: 'alerts:write' };

  serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Content-Type', 'text/plain');
    res.end(`echo ${req.url ?? ''}`);
    return Promise.resolve();
  }
}

const definition = testService('alerting', {
  controllers: [ThingsController],
  providers: [AddThingsRoute, EchoStreamRoute],
  fastRoutes: [AddThingsRoute, EchoStreamRoute],
});

const KEYS = { writer: 'writer-key-0123456789abcdef', reader: 'reader-key-0123456789abcdef' };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const JSON_TYPE = { 'content-type': 'application/json' };

interface Denial {
  action: string;
  actor: { id: string };
  resource: { id: string };
  metadata: { reason: string };
}

describe('fast routes: served ahead of Nest with the same checks (real NATS + Postgres)', () => {
  let service: TestServiceHandle;
  let app: INestApplication;
  let client: NatsConnection;
  let audit: Subscription;
  const denials: Denial[] = [];
  let base: string;
  let route: AddThingsRoute;
  const logLines: Record<string, unknown>[] = [];
  let writeLine: jest.SpyInstance;

  beforeAll(async () => {
    service = await startTestService(definition, {
      LOG_LEVEL: 'info',
      API_KEYS: JSON.stringify([
        { name: 'writer', hash: hashApiKey(KEYS.writer, { N: 1024 }), scopes: ['alerts:write'] },
        { name: 'reader', hash: hashApiKey(KEYS.reader, { N: 1024 }), scopes: [] },
      ]),
      API_WRITE_RATE_PER_S: '0.01',
      API_WRITE_BURST: '6',
      HTTP_BODY_LIMIT_BYTES: '2048',
    });
    ({ app, base } = service);
    client = await connect({ servers: service.nats.url });
    audit = client.subscribe('audit.v1.events.alerting');
    void (async () => {
      for await (const message of audit) denials.push(message.json<Denial>());
    })();
    route = app.get(AddThingsRoute);
    // Keep the access lines the service's logger writes, and print none.
    const root = (PinoLogger as unknown as { root: Record<symbol, { write(line: string): boolean }> }).root;
    writeLine = jest.spyOn(root[symbols.streamSym], 'write').mockImplementation((data: string) => {
      for (const line of data.split('\n').filter(Boolean)) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.message === 'request completed') logLines.push(parsed);
      }
      return true;
    });
  });

  afterAll(async () => {
    await client?.close();
    await service?.stop();
    writeLine?.mockRestore();
  });

  const post = (body: string, headers: Record<string, string>, path = '/things') =>
    fetch(`${base}${path}`, { method: 'POST', headers, body });

  it('serves a JSON request itself, with correlation ids, security headers, the access line and metrics', async () => {
    const served = route.served;
    const res = await post('[1,2]', {
      ...JSON_TYPE,
      ...bearer(KEYS.writer),
      'x-request-id': 'fast-route-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 2 });
    expect(route.served).toBe(served + 1);
    expect(res.headers.get('x-request-id')).toBe('fast-route-1');
    expect(res.headers.get('traceparent')).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(res.headers.get('traceparent')).not.toContain('b7ad6b7169203331');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
    const line = await waitFor(() => logLines.find((l) => l.request_id === 'fast-route-1') ?? null, {
      timeoutMs: 5000,
      description: 'access line of the fast request',
    });
    expect(line).toMatchObject({
      level: 'info',
      service: 'alerting',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      api_key_name: 'writer',
      req: { method: 'POST', url: '/things' },
      res: { status_code: 200 },
      responseTime: expect.any(Number),
    });
    // The same fields as pino-http's line for a route Express serves.
    const other = await post(
      '[]',
      { ...JSON_TYPE, ...bearer(KEYS.writer), 'x-request-id': 'nest-1' },
      '/things/other',
    );
    expect(other.status).toBe(204);
    const nestLine = await waitFor(() => logLines.find((l) => l.request_id === 'nest-1') ?? null, {
      timeoutMs: 5000,
      description: 'access line of the Nest request',
    });
    expect(Object.keys(line ?? {}).sort()).toEqual(Object.keys(nestLine ?? {}).sort());
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/things",status_code="200"\} [1-9]/);
  });

  it('serves a stream route (a family of paths, its own reading and answer) with the same checks', async () => {
    const res = await fetch(`${base}/echo/abc?x=1`, {
      headers: { ...bearer(KEYS.writer), 'x-request-id': 'stream-route-1' },
    });
    expect([res.status, await res.text()]).toEqual([200, 'echo /echo/abc?x=1']);
    expect(res.headers.get('x-request-id')).toBe('stream-route-1');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
    const line = await waitFor(() => logLines.find((l) => l.request_id === 'stream-route-1') ?? null, {
      timeoutMs: 5000,
      description: 'access line of the stream route',
    });
    expect(line).toMatchObject({ req: { method: 'GET', url: '/echo/abc?x=1' }, res: { status_code: 200 } });
    expect((await fetch(`${base}/echo/abc`)).status).toBe(401); // the guard still applies
    expect((await fetch(`${base}/echo/abc`, { method: 'DELETE', headers: bearer(KEYS.writer) })).status).toBe(
      404, // a method it does not name goes on to Express, which has no such route
    );
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /http_requests_total\{method="GET",route="\/echo\/:id",status_code="200"\} [1-9]/,
    );
  });

  it('generates a request id when none (or a malformed one) is sent', async () => {
    const res = await post('[]', { ...JSON_TYPE, ...bearer(KEYS.writer), 'x-request-id': 'bad id!' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 401/403 like the guard, with WWW-Authenticate, and audits each denial', async () => {
    const served = route.served;
    const before = denials.length;
    const none = await post('[]', JSON_TYPE);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="vigil"');
    expect(await none.json()).toEqual({
      error: 'unauthorized',
      message: 'an API key is required, as a bearer token in the Authorization header',
    });
    const unknown = await post('[]', { ...JSON_TYPE, ...bearer('guess-0123456789') });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer realm="vigil", error="invalid_token"');
    const reader = await post('[]', { ...JSON_TYPE, ...bearer(KEYS.reader) });
    expect(reader.status).toBe(403);
    expect(await reader.json()).toEqual({
      error: 'forbidden',
      message: 'API key "reader" lacks scope alerts:write',
      details: { required_scope: 'alerts:write' },
    });
    expect(route.served).toBe(served);
    const mine = await waitFor(() => (denials.length >= before + 3 ? denials.slice(before) : null), {
      timeoutMs: 10_000,
      description: 'three denials published',
    });
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'alerting.api.access_denied',
          actor: expect.objectContaining({ id: 'anonymous' }),
          resource: expect.objectContaining({ id: 'POST /things' }),
          metadata: { reason: 'unknown API key' },
        }),
        expect.objectContaining({
          actor: expect.objectContaining({ id: 'reader' }),
          metadata: { reason: 'key lacks scope alerts:write' },
        }),
      ]),
    );
  });

  it('refuses bodies as Express does: 413 over the limit, 400 for invalid JSON, before the key check', async () => {
    const huge = await post(`[${'1,'.repeat(2000)}1]`, JSON_TYPE);
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({
      error: 'payload_too_large',
      message: 'request body is larger than 2048 bytes',
      details: { limit_bytes: 2048 },
    });
    const broken = await post('[1,', { ...JSON_TYPE, ...bearer(KEYS.writer) });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'bad_request', message: 'request body is not valid JSON' });
    const scalar = await post('"x"', { ...JSON_TYPE, ...bearer(KEYS.writer) });
    expect(scalar.status).toBe(400);
  });

  it("turns the handler's HttpException into the error filter's body", async () => {
    const res = await post('{"not":"an array"}', { ...JSON_TYPE, ...bearer(KEYS.writer) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'bad_request', message: 'expected an array' });
  });

  it('leaves other content types to Express and shares the rate limit with Nest routes (429 + Retry-After)', async () => {
    const served = route.served;
    const text = await post('[]', { 'content-type': 'text/plain', ...bearer(KEYS.writer) });
    expect(text.status).toBe(400);
    expect(route.served).toBe(served);
    // Burst 6, refilled at 0.01/s: what is left goes, across both paths, then both answer 429.
    let status = 200;
    for (let i = 0; i < 8 && status !== 429; i++) {
      status = (await post('[]', { ...JSON_TYPE, ...bearer(KEYS.writer) }, '/things/other')).status;
    }
    expect(status).toBe(429);
    const limited = await post('[]', { ...JSON_TYPE, ...bearer(KEYS.writer) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
    expect(await limited.json()).toMatchObject({
      error: 'too_many_requests',
      details: { retry_after_s: expect.any(Number) },
    });
  });
});
