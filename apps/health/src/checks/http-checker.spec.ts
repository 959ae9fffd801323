import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { freePort } from '@vigil/testing';

import type { HttpTarget } from '../targets/target-definition';
import { defaultAlertRules } from '../targets/common-fields';
import { TargetSecrets } from '../targets/secret-references';
import { HttpChecker } from './http-checker';

describe('HttpChecker (against a local HTTP server)', () => {
  let server: http.Server;
  let base: string;
  const checker = new HttpChecker();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2000).unref();
        return;
      }
      if (req.url === '/private') {
        const expected = `Basic ${Buffer.from('probe:s3cret pw').toString('base64')}`;
        res.writeHead(req.headers.authorization === expected ? 200 : 401).end('private');
        return;
      }
      if (req.url === '/json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { items: [{ state: 'ready' }] }, count: 3 }));
        return;
      }
      if (req.url === '/echo') {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () =>
          res.writeHead(200).end(`${req.method} ${String(req.headers['x-probe'])} ${body}`),
        );
        return;
      }
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/json' }).end();
        return;
      }
      if (req.url === '/sluggish') {
        setTimeout(() => res.end('late but fine'), 150).unref();
        return;
      }
      if (req.url === '/broken') {
        res.writeHead(503).end('maintenance');
        return;
      }
      res.writeHead(req.method === 'HEAD' ? 204 : 200).end('all systems nominal');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const target = (overrides: Partial<HttpTarget>): HttpTarget => ({
    kind: 'http',
    name: 'web',
    url: `${base}/`,
    method: 'GET',
    intervalMs: 1000,
    timeoutMs: 1000,
    headers: {},
    body: null,
    expectStatus: 200,
    keyword: null,
    jsonPath: null,
    maxResponseTimeMs: null,
    expectHtml: false,
    ...defaultAlertRules(2),
    recoveryThreshold: 1,
    ...overrides,
  });

  it('is up on the expected status, with its response time', async () => {
    const result = await checker.check(target({}));
    expect(result).toMatchObject({ target: 'web', ok: true, statusCode: 200, error: null });
    expect(result.responseTimeMs).toBeGreaterThanOrEqual(0);
    expect(result.checkedAt).toBeInstanceOf(Date);
  });

  it('is down on another status and says which', async () => {
    const result = await checker.check(target({ url: `${base}/broken` }));
    expect(result).toMatchObject({ ok: false, statusCode: 503, error: 'expected status 200, got 503' });
  });

  it('uses the method and expected status of the target', async () => {
    expect(await checker.check(target({ method: 'HEAD', expectStatus: 204 }))).toMatchObject({
      ok: true,
      statusCode: 204,
    });
  });

  it('checks the keyword in the body', async () => {
    expect(await checker.check(target({ keyword: 'nominal' }))).toMatchObject({ ok: true });
    expect(await checker.check(target({ keyword: 'degraded' }))).toMatchObject({
      ok: false,
      statusCode: 200,
      error: 'response body does not contain "degraded"',
    });
  });

  it('times out after timeout_ms', async () => {
    const result = await checker.check(target({ url: `${base}/slow`, timeoutMs: 200 }));
    expect(result).toMatchObject({ ok: false, statusCode: null, error: 'timed out after 200 ms' });
    expect(result.responseTimeMs).toBeLessThan(1500);
  });

  it('reports a refused connection with its code', async () => {
    const port = await freePort();
    const result = await checker.check(target({ url: `http://127.0.0.1:${port}/` }));
    expect(result.ok).toBe(false);
    expect(result.error).toContain('ECONNREFUSED');
  });

  it('sends credentials in the URL as Basic auth', async () => {
    const url = `${base.replace('http://', 'http://probe:s3cret%20pw@')}/private`;
    expect(await checker.check(target({ url }))).toMatchObject({ ok: true, statusCode: 200 });
  });

  it('stops when cancelled', async () => {
    const cancel = new AbortController();
    const pending = checker.check(target({ url: `${base}/slow`, timeoutMs: 5000 }), cancel.signal);
    cancel.abort();
    expect(await pending).toMatchObject({ ok: false, statusCode: null });
  });

  it('sends the method, headers and body of the target', async () => {
    const result = await checker.check(
      target({
        url: `${base}/echo`,
        method: 'POST',
        headers: { 'x-probe': 'yes' },
        body: 'ping',
        keyword: 'POST yes ping',
      }),
    );
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
  });

  it('checks a JSON-path condition, following redirects', async () => {
    const url = `${base}/moved`;
    expect(
      await checker.check(target({ url, jsonPath: { path: '$.data.items[0].state', equals: 'ready' } })),
    ).toMatchObject({ ok: true });
    expect(await checker.check(target({ url, jsonPath: { path: '$.count' } }))).toMatchObject({ ok: true });
    expect(await checker.check(target({ url, jsonPath: { path: '$.count', equals: 4 } }))).toMatchObject({
      ok: false,
      error: '$.count is 3, expected 4',
    });
    expect(await checker.check(target({ url, jsonPath: { path: '$.data.missing' } }))).toMatchObject({
      ok: false,
      error: '$.data.missing not found in the response',
    });
    expect(await checker.check(target({ jsonPath: { path: '$.a' } }))).toMatchObject({
      ok: false,
      error: 'response body is not JSON (needed for $.a)',
    });
  });

  it('fails a slow answer past max_response_ms, with the right status', async () => {
    const result = await checker.check(target({ url: `${base}/sluggish`, maxResponseTimeMs: 50 }));
    expect(result).toMatchObject({ ok: false, statusCode: 200 });
    expect(result.error).toMatch(/^answered in \d+ ms, above max_response_ms 50$/);
  });

  it('times each phase of the request', async () => {
    const result = await checker.check(target({}));
    expect(Object.keys(result.phases ?? {}).sort()).toEqual([
      'connect',
      'processing',
      'resolve',
      'tls',
      'transfer',
    ]);
    expect(Object.values(result.phases ?? {}).every((ms) => ms >= 0)).toBe(true);
  });

  it('fills secret references per request and scrubs their values from the error', async () => {
    const secrets = new TargetSecrets(
      new Map([
        ['PROBE', 'token 42'],
        ['BODY', 'p@ss'],
      ]),
    );
    const echo = await checker.check(
      target({
        url: `${base}/echo`,
        method: 'POST',
        headers: { 'x-probe': '${PROBE}' },
        body: 'password=${BODY}',
        keyword: 'POST token 42 password=p@ss',
        secrets,
      }),
    );
    expect(echo).toMatchObject({ ok: true, error: null });

    const hidden = new TargetSecrets(new Map([['HOST', 'secret-host.invalid']]));
    const failed = await checker.check(target({ url: 'http://${HOST}:1/', secrets: hidden }));
    expect(failed.ok).toBe(false);
    expect(failed.error).toContain('[REDACTED]');
    expect(failed.error).not.toContain('secret-host');
  });

  it('drops credentials and secret headers on a redirect to another origin', async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const other = http.createServer((req, res) => {
      seen.push(req.headers);
      res.end('elsewhere');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    const away = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(302, { location: elsewhere }).end();
    });
    await new Promise<void>((resolve) => away.listen(0, '127.0.0.1', resolve));
    try {
      const result = await checker.check(
        target({
          url: `http://127.0.0.1:${(away.address() as AddressInfo).port}/`,
          headers: { Authorization: 'Bearer t', 'x-key': '${KEY}', 'x-plain': 'kept' },
          secrets: new TargetSecrets(new Map([['KEY', 'k1']])),
        }),
      );
      expect(result.ok).toBe(true);
      // The first hop got everything; the other origin only what is not a credential.
      expect(seen[0]).toMatchObject({ authorization: 'Bearer t', 'x-key': 'k1', 'x-plain': 'kept' });
      expect(seen[1]['x-plain']).toBe('kept');
      expect(seen[1].authorization).toBeUndefined();
      expect(seen[1]['x-key']).toBeUndefined();
    } finally {
      await new Promise((resolve) => away.close(resolve));
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
