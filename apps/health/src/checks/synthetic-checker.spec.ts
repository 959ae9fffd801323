import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { measuredBusyBlockMs, steadyEventLoopBlockMs } from '@vigil/testing';

import { parseTargets } from '../targets/targets-file';
import type { SyntheticTarget } from '../targets/target-definition';
import { HttpChecker } from './http-checker';
import { SyntheticChecker } from './synthetic-checker';

/** A body on which nested quantifiers backtrack: 40+ 'a's and no 'b'. */
const FLOOD = 'a'.repeat(42);

describe('SyntheticChecker (against a local HTTP server)', () => {
  let server: http.Server;
  let base: string;
  const control = { privateMarker: true, html: true };
  const seen: string[] = [];
  const checker = new SyntheticChecker(new HttpChecker());

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${String(req.headers['x-session'] ?? '-')}`);
      if (req.url === '/profiles/alice') {
        res.writeHead(200, {
          'content-type': control.html ? 'text/html; charset=utf-8' : 'application/json',
          'x-session': 's-77',
        });
        res.end(
          '<!doctype html><html><head><meta name="profile-id" content="42"></head><body>Alice</body></html>',
        );
        return;
      }
      if (req.url === '/profiles/42/private' && req.headers['x-session'] === 's-77') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          `<html><body>${control.privateMarker ? 'This profile is private' : 'Bob, 34, Berlin'}</body></html>`,
        );
        return;
      }
      if (req.url === '/flood') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(FLOOD);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    control.privateMarker = true;
    control.html = true;
    seen.length = 0;
  });

  const flow = () =>
    parseTargets(
      `targets:
  - name: profiles
    type: synthetic
    timeout_ms: 2000
    steps:
      - name: public profile
        url: ${base}/profiles/alice
        expect_html: true
        capture:
          id: { regex: 'name="profile-id" content="(\\d+)"' }
          session: { header: x-session }
      - name: private profile
        url: ${base}/profiles/\${id}/private
        headers: { x-session: '\${session}' }
        keyword: This profile is private
`,
      'targets.yaml',
    )[0] as SyntheticTarget;

  it('runs the steps in order, feeding captured values into later ones', async () => {
    const result = await checker.check(flow());
    expect(result).toMatchObject({ target: 'profiles', ok: true, statusCode: 200, error: null });
    expect(seen).toEqual(['GET /profiles/alice -', 'GET /profiles/42/private s-77']);
  });

  it('fails at the first failing step and names it', async () => {
    control.privateMarker = false;
    expect(await checker.check(flow())).toMatchObject({
      ok: false,
      error: 'step 2 (private profile): response body does not contain "This profile is private"',
    });
    control.html = false;
    expect(await checker.check(flow())).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^step 1 \(public profile\): response is not an HTML document/),
    });
    expect(seen.filter((s) => s.includes('private'))).toHaveLength(1);
  });

  it('fails a step that uses a value no earlier step captured', async () => {
    const target = flow();
    target.steps[0].capture = {};
    expect(await checker.check(target)).toMatchObject({
      ok: false,
      error: 'step 2 (private profile): ${id} was not captured by an earlier step',
    });
  });

  it('captures with RE2: nested quantifiers on a hostile body block the event loop under 100 ms', async () => {
    // Proof that the measure sees a block of that size.
    expect(await measuredBusyBlockMs(150)).toBeGreaterThan(100);

    const [target] = parseTargets(
      `targets:
  - name: hostile
    type: synthetic
    steps:
      - name: flood
        url: ${base}/flood
        capture:
          token: { regex: '((?:a+){6})b' }
`,
      'targets.yaml',
    ) as SyntheticTarget[];
    let result: unknown;
    const blocked = await steadyEventLoopBlockMs(async () => {
      result = await checker.check(target);
    });
    expect(result).toMatchObject({ ok: false, error: 'step 1 (flood): nothing to capture as token' });
    expect(blocked).toBeLessThan(100);
  });
});
