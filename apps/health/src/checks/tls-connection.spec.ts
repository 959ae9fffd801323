import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';

import {
  daysUntil,
  makeTestCertificates,
  startTlsServer,
  type TestCertificates,
  type TlsServer,
} from '../../test/test-certificates';
import type { HttpTarget } from '../targets/target-definition';
import { HttpChecker } from './http-checker';
import { earliestExpiry } from './tls-connection';
import { defaultAlertRules } from '../targets/common-fields';

describe('HttpChecker over TLS (certificates made by the test, real https servers on 127.0.0.1)', () => {
  let certs: TestCertificates;
  let ca: string;
  const servers: (TlsServer & { requests: number })[] = [];
  const checker = new HttpChecker();

  beforeAll(() => {
    certs = makeTestCertificates();
    ca = fs.readFileSync(certs.caFile, 'utf8');
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    certs?.remove();
  });

  const serve = async (certificate: Parameters<typeof startTlsServer>[0]) => {
    const server = await startTlsServer(certificate);
    servers.push(server);
    return server;
  };

  const target = (port: number, overrides: Partial<HttpTarget> = {}): HttpTarget => ({
    kind: 'http',
    name: 'secure',
    url: `https://127.0.0.1:${port}/`,
    method: 'GET',
    intervalMs: 1000,
    timeoutMs: 3000,
    headers: { 'x-probe': 'yes' },
    body: null,
    expectStatus: 200,
    keyword: null,
    jsonPath: null,
    maxResponseTimeMs: null,
    expectHtml: false,
    ...defaultAlertRules(1),
    recoveryThreshold: 1,
    tls: { caFile: certs.caFile, ca },
    ...overrides,
  });

  it.each([3, 15, 90])('is up with a certificate valid %i more days and carries its expiry', async (days) => {
    const leaf = certs.leaf(days);
    const server = await serve(leaf);
    const result = await checker.check(target(server.port));
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null });
    // The leaf expires before the CA (365 days): the chain's earliest is the leaf's notAfter.
    expect(result.certExpiresAt).toEqual(leaf.expiresAt);
    expect(daysUntil(result.certExpiresAt!)).toBeGreaterThan(days - 1);
    expect(daysUntil(result.certExpiresAt!)).toBeLessThanOrEqual(days);
    expect(result.phases?.tls).toBeGreaterThan(0);
  });

  it('takes the earliest expiry over the chain: a CA expiring before its leaf wins', async () => {
    const server = await serve(certs.leaf(400));
    const result = await checker.check(target(server.port));
    expect(result.ok).toBe(true);
    expect(result.certExpiresAt).toEqual(new Date(new X509Certificate(ca).validTo));
  });

  it('fails an expired certificate, saying on which day it expired, and sends nothing', async () => {
    const expired = certs.leaf(-1);
    const server = await serve(expired);
    const result = await checker.check(target(server.port));
    const day = expired.expiresAt.toISOString().slice(0, 10);
    expect(daysUntil(expired.expiresAt)).toBeLessThan(0);
    expect(result).toMatchObject({ ok: false, statusCode: null, error: `certificate expired on ${day}` });
    expect(result.certExpiresAt).toEqual(expired.expiresAt);
    expect(server.requests).toBe(0);
  });

  it('fails a certificate for another host, naming both', async () => {
    const server = await serve(certs.leaf(90, ['other.example']));
    const result = await checker.check(target(server.port));
    expect(result).toMatchObject({
      ok: false,
      error: 'hostname mismatch: certificate is for other.example, not 127.0.0.1',
    });
    expect(result.certExpiresAt).toBeInstanceOf(Date);
    expect(server.requests).toBe(0);
  });

  it('fails a self-signed certificate as untrusted, and sends no header to it', async () => {
    const server = await serve(certs.selfSigned(90));
    const result = await checker.check(target(server.port, { tls: undefined }));
    expect(result).toMatchObject({ ok: false, error: 'untrusted certificate: self-signed' });
    expect(server.requests).toBe(0);
  });

  it('fails a certificate of a CA it was not told to trust, naming the CA', async () => {
    const server = await serve(certs.leaf(90));
    const result = await checker.check(target(server.port, { tls: undefined }));
    expect(result).toMatchObject({
      ok: false,
      error: 'untrusted certificate: issued by unknown CA "Vigil Test CA"',
    });
    // The same server is fine once the CA is trusted: the failure came from trust alone.
    expect(await checker.check(target(server.port))).toMatchObject({ ok: true });
  });

  it('fails a chain that ends in a root it does not trust, naming the root', async () => {
    const leaf = certs.leaf(90);
    const server = await serve({ ...leaf, cert: `${leaf.cert}${ca}` });
    const result = await checker.check(target(server.port, { tls: undefined }));
    expect(result).toMatchObject({
      ok: false,
      error: 'untrusted certificate: self-signed certificate in the chain (root "Vigil Test CA")',
    });
    // The CA (365 days) outlives the leaf: the earliest expiry is still the leaf's.
    expect(result.certExpiresAt).toEqual(leaf.expiresAt);
  });

  it('carries no certificate expiry for plain http, and null when no handshake happened', async () => {
    const server = await serve(certs.leaf(90));
    await server.stop();
    const refused = await checker.check(target(server.port));
    expect(refused.ok).toBe(false);
    expect(refused.error).toContain('ECONNREFUSED');
    expect(refused.certExpiresAt).toBeNull();
    const plain = await checker.check(target(server.port, { url: `http://127.0.0.1:${server.port}/` }));
    expect('certExpiresAt' in plain).toBe(false);
  });
});

describe('earliestExpiry', () => {
  it('walks the issuers to the self-referencing root and returns the earliest valid_to', () => {
    const root = { valid_to: 'Jan  1 00:00:00 2030 GMT', fingerprint256: 'root' } as never as {
      issuerCertificate: unknown;
    };
    root.issuerCertificate = root;
    const intermediate = {
      valid_to: 'Mar  1 00:00:00 2027 GMT',
      fingerprint256: 'mid',
      issuerCertificate: root,
    };
    const leaf = {
      valid_to: 'Jun  1 00:00:00 2027 GMT',
      fingerprint256: 'leaf',
      issuerCertificate: intermediate,
    };
    expect(earliestExpiry(leaf as never)?.toISOString()).toBe('2027-03-01T00:00:00.000Z');
    expect(earliestExpiry({} as never)).toBeNull();
  });
});
