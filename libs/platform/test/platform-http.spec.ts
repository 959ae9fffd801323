import type { IncomingMessage } from 'node:http';

import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { connect } from 'node:net';

import { hashApiKey, Public } from '../src';
import { startTestService, testService, type TestServiceHandle } from './test-service';

@Controller('boom')
class BoomController {
  @Get()
  @Public('test route')
  boom(): never {
    throw new Error('secret token=abc123 leaked');
  }
}

/** A route that reads its own request stream (PlatformOptions.streamedBodies), beside a parsed one. */
@Controller('body')
class BodyController {
  @Post('raw')
  @HttpCode(200)
  @Public('test route')
  async raw(@Req() req: IncomingMessage & { body?: unknown }): Promise<{ parsed: boolean; bytes: number }> {
    const parsed = req.body !== undefined;
    let bytes = 0;
    for await (const chunk of req) bytes += (chunk as Buffer).length;
    return { parsed, bytes };
  }

  @Post('parsed')
  @HttpCode(200)
  @Public('test route')
  parsed(@Body() body: unknown): unknown {
    return body;
  }
}

const definition = testService('audit', {
  controllers: [BoomController, BodyController],
  streamedBodies: [/^\/body\/raw$/],
});

const OPS_KEY = 'ops-key-0123456789abcdef';

/** Sends `head` as it is on a new connection and reads the answer until the server closes it. */
function rawRequest(port: number, head: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(head));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = text.indexOf('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
        headers: text.slice(0, split),
        body: text.slice(split + 4),
      });
    });
  });
}

describe('platform HTTP surface (real NATS + Postgres)', () => {
  let service: TestServiceHandle;
  let base: string;

  beforeAll(async () => {
    service = await startTestService(definition, {
      SERVICE_VERSION: '1.2.3',
      GIT_SHA: 'abc1234',
      API_KEYS: JSON.stringify([
        { name: 'ops', hash: hashApiKey(OPS_KEY, { N: 1024 }), scopes: ['health:detailed'] },
      ]),
    });
    ({ base } = service);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('leaves the body of a streamed route unread by the JSON parser, and parses the others', async () => {
    const json = JSON.stringify({ a: 'x'.repeat(2 * 1024 * 1024) });
    const raw = await fetch(`${base}/body/raw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json,
    });
    // Over HTTP_BODY_LIMIT_BYTES (1 MiB): only a route reading the stream itself can take it.
    expect(await raw.json()).toEqual({ parsed: false, bytes: Buffer.byteLength(json) });
    const parsed = await fetch(`${base}/body/parsed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"b":1}',
    });
    expect(await parsed.json()).toEqual({ b: 1 });
    const tooBig = await fetch(`${base}/body/parsed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json,
    });
    expect(tooBig.status).toBe(413);
  });

  it('echoes x-request-id and continues the caller trace', async () => {
    const res = await fetch(`${base}/health`, {
      headers: {
        'x-request-id': 'req-e2e-1',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    });
    expect(res.headers.get('x-request-id')).toBe('req-e2e-1');
    expect(res.headers.get('traceparent')).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  it('generates correlation ids when the caller sends none', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('describes itself on GET /health', async () => {
    const body = (await (await fetch(`${base}/health`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'ok',
      version: '1.2.3',
      git_sha: 'abc1234',
      environment: 'development',
    });
    expect(body.uptime_s).toEqual(expect.any(Number));
    expect(body.timestamp).toEqual(expect.any(String));
  });

  it('is ready once NATS and Postgres checks pass, and details every component', async () => {
    let res = await fetch(`${base}/health/readiness`);
    for (let i = 0; i < 20 && res.status !== 200; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      res = await fetch(`${base}/health/readiness`);
    }
    expect(res.status).toBe(200);
    expect((await fetch(`${base}/health/startup`)).status).toBe(200);
    const detailed = (await (
      await fetch(`${base}/health/detailed`, { headers: { authorization: `Bearer ${OPS_KEY}` } })
    ).json()) as {
      components: { name: string; status: string }[];
    };
    expect(detailed.components.map((c) => [c.name, c.status]).sort()).toEqual([
      ['nats', 'up'],
      ['postgres', 'up'],
    ]);
  });

  it('answers probes ahead of the framework, echoing the caller request id', async () => {
    const res = await fetch(`${base}/health/liveness?probe=1`, { headers: { 'x-request-id': 'kubelet-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('kubelet-1');
    // No correlation middleware ran: the request never reached Express.
    expect(res.headers.get('traceparent')).toBeNull();
    expect(await res.json()).toMatchObject({ status: 'ok', event_loop_lag_ms: expect.any(Number) });
    expect((await fetch(`${base}/health/startup`, { method: 'HEAD' })).status).toBe(200);
    // Other methods on a probe path go to Nest, which has no such route.
    expect((await fetch(`${base}/health/readiness`, { method: 'POST' })).status).toBe(404);
  });

  it('serves the HTTP metrics with the matched route as label', async () => {
    await fetch(`${base}/health`);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/health",status_code="200"\} \d+/);
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toContain('http_requests_in_progress');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: expect.any(String) });
  });

  it('turns an unexpected error into a 500 with an error id and no secret', async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: string; details: { error_id: string } };
    expect(body.error).toBe('internal_error');
    expect(body.details.error_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(body)).not.toContain('abc123');
  });

  it('answers an HTTP/1.1 request without a Host header with a JSON 400', async () => {
    const answer = await rawRequest(service.port, 'GET /health HTTP/1.1\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.headers).toMatch(/\r\ncontent-type: application\/json/i);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'bad_request',
      message: 'an HTTP/1.1 request needs a Host header',
    });
    // The same request with its Host is served.
    expect(
      (await rawRequest(service.port, 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status,
    ).toBe(200);
  });

  it('refuses thousands of tiny header fields (well under HTTP_MAX_HEADER_BYTES) with a JSON 431', async () => {
    const fields = 'x:\r\n'.repeat(2000);
    for (const path of ['/health', '/health/liveness', '/nope']) {
      const answer = await rawRequest(service.port, `GET ${path} HTTP/1.1\r\nHost: x\r\n${fields}\r\n`);
      expect(answer.status).toBe(431);
      expect(JSON.parse(answer.body)).toEqual({
        error: 'request_header_fields_too_large',
        message: 'request has more than 100 header fields',
        details: { limit_fields: 100 },
      });
    }
    const hundred = 'x:\r\n'.repeat(98); // with Host and Connection: 100 fields
    expect(
      (
        await rawRequest(
          service.port,
          `GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${hundred}\r\n`,
        )
      ).status,
    ).toBe(200);
  });
});
