import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { request as httpRequest } from 'node:http';

import { waitFor } from '@vigil/testing';

import { hashApiKey, Public, RequireScope } from '../src';
import { startTestService, testService, type TestServiceHandle } from './test-service';

@Controller('things')
class ThingsController {
  /** No decorator: any valid key. */
  @Get()
  list() {
    return { things: [] };
  }

  @Post()
  @HttpCode(200)
  @RequireScope('alerts:write')
  add(@Body() body: unknown) {
    return { received: Array.isArray(body) ? body.length : 0 };
  }

  @Get('open')
  @Public('test route')
  open() {
    return { open: true };
  }
}

const definition = testService('alerting', { controllers: [ThingsController] });

const KEYS = {
  old: 'old-writer-key-0123456789abcdef',
  current: 'new-writer-key-0123456789abcdef',
  reader: 'reader-key-0123456789abcdef',
  ops: 'ops-key-0123456789abcdef',
  limited: 'limited-key-0123456789abcdef',
  unlimited: 'unlimited-key-0123456789abcdef',
};
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

interface Denial {
  action: string;
  outcome: string;
  actor: { type: string; id: string };
  resource: { type: string; id: string };
  metadata: { reason: string };
}

describe('API keys, scopes and input limits on every route (real NATS + Postgres)', () => {
  let service: TestServiceHandle;
  let client: NatsConnection;
  let audit: Subscription;
  const denials: Denial[] = [];
  let port: number;
  let base: string;

  beforeAll(async () => {
    const fast = { N: 1024 };
    const apiKeys = [
      { name: 'prometheus-2025', hash: hashApiKey(KEYS.old, fast), scopes: ['alerts:write'] },
      { name: 'prometheus-2026', hash: hashApiKey(KEYS.current, fast), scopes: ['alerts:write'] },
      { name: 'auditor', hash: hashApiKey(KEYS.reader, fast), scopes: ['audit:read'] },
      { name: 'ops', hash: hashApiKey(KEYS.ops, fast), scopes: ['health:detailed'] },
      { name: 'limited', hash: hashApiKey(KEYS.limited, fast), scopes: ['alerts:write'] },
      {
        name: 'unlimited',
        hash: hashApiKey(KEYS.unlimited, fast),
        scopes: ['alerts:write'],
        write_rate_per_s: 0,
      },
    ];
    service = await startTestService(definition, {
      API_KEYS: JSON.stringify(apiKeys),
      API_WRITE_RATE_PER_S: '0.01',
      API_WRITE_BURST: '3',
      HTTP_BODY_LIMIT_BYTES: '2048',
      HTTP_MAX_HEADER_BYTES: '4096',
    });
    ({ port, base } = service);
    client = await connect({ servers: service.nats.url });
    audit = client.subscribe('audit.v1.events.alerting');
    void (async () => {
      for await (const message of audit) denials.push(message.json<Denial>());
    })();
  });

  afterAll(async () => {
    await client?.close();
    await service?.stop();
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('answers 401 with WWW-Authenticate and a JSON body without a key or with an unknown one', async () => {
    const none = await fetch(`${base}/things`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="vigil"');
    expect(await none.json()).toEqual({
      error: 'unauthorized',
      message: 'an API key is required, as a bearer token in the Authorization header',
    });
    const unknown = await fetch(`${base}/things`, { headers: bearer('not-a-key-0123456789') });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(
      (await fetch(`${base}/things`, { headers: { authorization: `Basic ${KEYS.reader}` } })).status,
    ).toBe(401);
  });

  it('lets any valid key read a route without a decorator, and opens @Public routes', async () => {
    expect((await fetch(`${base}/things`, { headers: bearer(KEYS.reader) })).status).toBe(200);
    expect((await fetch(`${base}/things/open`)).status).toBe(200);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('answers 403 naming the scope when the key lacks it', async () => {
    const res = await post('[]', bearer(KEYS.reader));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: 'forbidden',
      message: 'API key "auditor" lacks scope alerts:write',
      details: { required_scope: 'alerts:write' },
    });
    expect((await fetch(`${base}/health/detailed`, { headers: bearer(KEYS.reader) })).status).toBe(403);
    expect((await fetch(`${base}/health/detailed`, { headers: bearer(KEYS.ops) })).status).toBe(200);
  });

  it('accepts the old and the new key at once (rotation)', async () => {
    expect(await (await post('[1,2]', bearer(KEYS.old))).json()).toEqual({ received: 2 });
    expect(await (await post('[1,2,3]', bearer(KEYS.current))).json()).toEqual({ received: 3 });
  });

  it('publishes every denial to the audit trail with the key name as actor, never the key', async () => {
    const before = denials.length;
    await fetch(`${base}/things`, { headers: bearer('guess-0123456789') });
    await post('[]', bearer(KEYS.reader));
    const mine = await waitFor(() => (denials.length >= before + 2 ? denials.slice(before) : null), {
      timeoutMs: 10_000,
      description: 'two denials published',
    });
    expect(mine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'alerting.api.access_denied',
          outcome: 'denied',
          actor: expect.objectContaining({ type: 'service', id: 'anonymous' }),
          resource: { type: 'alerting_api', id: 'GET /things' },
          metadata: { reason: 'unknown API key' },
        }),
        expect.objectContaining({
          actor: expect.objectContaining({ id: 'auditor' }),
          resource: { type: 'alerting_api', id: 'POST /things' },
          metadata: { reason: 'key lacks scope alerts:write' },
        }),
      ]),
    );
    expect(JSON.stringify(mine)).not.toContain('guess-0123456789');
    expect(JSON.stringify(mine)).not.toContain(KEYS.reader);
  });

  it('rate limits write routes per key: 429 with Retry-After, other keys unaffected', async () => {
    for (let i = 0; i < 3; i++) expect((await post('[]', bearer(KEYS.limited))).status).toBe(200);
    const limited = await post('[]', bearer(KEYS.limited));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({
      error: 'too_many_requests',
      message: expect.stringContaining('"limited"'),
    });
    expect((await post('[]', bearer(KEYS.current))).status).toBe(200);
    // A key with its own write_rate_per_s 0 (e.g. Prometheus) is never limited.
    for (let i = 0; i < 6; i++) expect((await post('[]', bearer(KEYS.unlimited))).status).toBe(200);
    // Reads are not rate limited.
    expect((await fetch(`${base}/things`, { headers: bearer(KEYS.limited) })).status).toBe(200);
  });

  it('refuses a body over HTTP_BODY_LIMIT_BYTES with 413 JSON, and malformed JSON with 400 JSON', async () => {
    const big = await post(JSON.stringify(['x'.repeat(4000)]), bearer(KEYS.current));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({
      error: 'payload_too_large',
      message: 'request body is larger than 2048 bytes',
      details: { limit_bytes: 2048 },
    });
    const bad = await post('{not json', bearer(KEYS.current));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'bad_request' });
  });

  it('refuses request headers over HTTP_MAX_HEADER_BYTES with 431 JSON', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/things/open', headers: { 'x-filler': 'a'.repeat(6000) } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'request_header_fields_too_large' });
  });

  it('sends helmet-style security headers', async () => {
    const res = await fetch(`${base}/things/open`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
