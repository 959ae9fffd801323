import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

import { hashApiKey, RequireScope } from '../src';
import { startTestService, testService, type TestServiceHandle } from './test-service';

@Controller('reports')
class ReportsProbeController {
  @Get()
  list() {
    return { reports: [] };
  }

  @Post('weekly/run')
  @HttpCode(201)
  @RequireScope('reports:run')
  run() {
    return { ran: true };
  }
}

const definition = testService('reporting', { controllers: [ReportsProbeController] });

const ISSUER = 'https://id.example.test/';
const AUDIENCE = 'vigil-reporting';

/** A local identity provider: its JWKS served over HTTP on 127.0.0.1, and a signer. */
async function startIdentityProvider() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  const sign = (
    claims: Record<string, unknown>,
    options: { key?: CryptoKey; kid?: string; exp?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'k1' })
      .setIssuer(typeof claims.iss === 'string' ? claims.iss : ISSUER)
      .setAudience(typeof claims.aud === 'string' ? claims.aud : AUDIENCE)
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '5m')
      .sign(options.key ?? privateKey);
  return {
    url,
    sign,
    fetches: () => fetches,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('optional OIDC: JWTs verified against a local JWKS (real NATS + Postgres)', () => {
  let service: TestServiceHandle;
  let idp: Awaited<ReturnType<typeof startIdentityProvider>>;
  let base: string;
  const API_KEY = 'oidc-test-api-key-0123456789';

  beforeAll(async () => {
    idp = await startIdentityProvider();
    service = await startTestService(definition, {
      OIDC_JWKS_URL: idp.url,
      OIDC_ISSUER: ISSUER,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_SCOPES_CLAIM: 'scp',
      API_KEYS: JSON.stringify([
        { name: 'runner', hash: hashApiKey(API_KEY, { N: 1024 }), scopes: ['reports:run'] },
      ]),
    });
    ({ base } = service);
  });

  afterAll(async () => {
    await service?.stop();
    await idp?.stop();
  });

  const call = async (token: string, method = 'POST', path = '/reports/weekly/run') => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, res };
  };

  it('accepts a valid token and takes its scopes from the configured claim', async () => {
    expect((await call(await idp.sign({ scp: ['reports:run', 'not-a-vigil-scope'] }))).status).toBe(201);
    expect((await call(await idp.sign({ scp: 'reports:run' }))).status).toBe(201);
    // Any valid token may read; without the scope it may not run.
    const reader = await idp.sign({ scp: [] });
    expect((await call(reader, 'GET', '/reports')).status).toBe(200);
    const denied = await call(reader);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ message: 'API key "oidc:alice" lacks scope reports:run' });
  });

  it('refuses a wrong audience, a wrong issuer, an expired token and a foreign signature with 401', async () => {
    const cases: [string, Promise<string>, string][] = [
      ['audience', idp.sign({ scp: ['reports:run'], aud: 'someone-else' }), 'token claim "aud" rejected'],
      [
        'issuer',
        idp.sign({ scp: ['reports:run'], iss: 'https://evil.example/' }),
        'token claim "iss" rejected',
      ],
      ['expiry', idp.sign({ scp: ['reports:run'] }, { exp: '-1m' }), 'token expired'],
      [
        'signature',
        generateKeyPair('ES256').then(({ privateKey }) =>
          idp.sign({ scp: ['reports:run'] }, { key: privateKey }),
        ),
        'token signature invalid',
      ],
      [
        'key id',
        generateKeyPair('ES256').then(({ privateKey }) =>
          idp.sign({ scp: ['reports:run'] }, { key: privateKey, kid: 'unknown' }),
        ),
        'token signed by a key the issuer does not publish',
      ],
    ];
    for (const [what, token, reason] of cases) {
      const result = await call(await token);
      expect({ what, status: result.status, body: result.body }).toEqual({
        what,
        status: 401,
        body: { error: 'unauthorized', message: reason },
      });
      expect(result.res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it('keeps API keys working beside OIDC, and fetched the JWKS only a few times', async () => {
    expect((await call(API_KEY)).status).toBe(201);
    expect(idp.fetches()).toBeGreaterThanOrEqual(1);
    expect(idp.fetches()).toBeLessThanOrEqual(3);
  });
});
