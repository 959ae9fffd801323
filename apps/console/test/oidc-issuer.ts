import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** Who the issuer signs in at /authorize (it consents for them) and the scopes their access token carries. */
export interface IssuerUser {
  sub: string;
  scope: string;
}

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string;
  user: IssuerUser;
}

export interface TestIssuer {
  /** The issuer identifier (its base URL), as OIDC_ISSUER. */
  issuer: string;
  jwksUrl: string;
  /** The audience of the access tokens: what the services' OIDC_AUDIENCE names. */
  audience: string;
  clientId: string;
  clientSecret: string;
  /** The console's callback, registered after it started (its port is known only then). */
  registerRedirect(uri: string): void;
  signInAs(user: IssuerUser): void;
  /** ID tokens issued so far, oldest first. */
  idTokens: string[];
  /** Make the next token answer carry this ID token instead of a fresh one (a replayed token). */
  replayIdToken(token: string): void;
  /** Token requests answered, and the reasons of those refused. */
  exchanges: { granted: number; refused: string[] };
  stop(): Promise<void>;
}

/**
 * A minimal OpenID Connect provider written for the console's tests (the npm `oidc-provider` package is
 * not installable offline here): discovery, JWKS, /authorize (code flow; PKCE S256 required) and /token
 * (client_secret_basic, single-use codes, redirect_uri and code_verifier checks), ES256-signed tokens.
 */
export async function startTestIssuer(audience: string): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'console-test', alg: 'ES256', use: 'sig' };
  const clientId = 'vigil-console';
  const clientSecret = randomBytes(16).toString('hex');
  const codes = new Map<string, IssuedCode>();
  let redirectUri = '';
  let user: IssuerUser = { sub: 'alice', scope: '' };
  let replay: string | undefined;
  const state: Pick<TestIssuer, 'idTokens' | 'exchanges'> = {
    idTokens: [],
    exchanges: { granted: 0, refused: [] },
  };
  let base = '';

  const sign = (claims: Record<string, unknown>, aud: string, key: CryptoKey = privateKey) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'console-test' })
      .setIssuer(base)
      .setAudience(aud)
      .setSubject(user.sub)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  const authorize = (url: URL, res: ServerResponse) => {
    const q = url.searchParams;
    const problem =
      q.get('response_type') !== 'code'
        ? 'unsupported_response_type'
        : q.get('client_id') !== clientId
          ? 'unauthorized_client'
          : q.get('redirect_uri') !== redirectUri
            ? 'redirect_uri not registered'
            : !(q.get('scope') ?? '').split(' ').includes('openid')
              ? 'invalid_scope'
              : q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')
                ? 'PKCE S256 required'
                : !q.get('state') || !q.get('nonce')
                  ? 'state and nonce required'
                  : null;
    if (problem !== null) return json(res, 400, { error: 'invalid_request', error_description: problem });
    const code = randomBytes(24).toString('base64url');
    codes.set(code, {
      clientId,
      redirectUri,
      challenge: q.get('code_challenge') ?? '',
      nonce: q.get('nonce') ?? '',
      user,
    });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: back.toString() }).end();
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    const refuse = (reason: string, error = 'invalid_grant') => {
      state.exchanges.refused.push(reason);
      json(res, 400, { error, error_description: reason });
    };
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== basic) return refuse('client authentication failed', 'invalid_client');
    if (form.get('grant_type') !== 'authorization_code')
      return refuse('unsupported grant', 'unsupported_grant_type');
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code); // single use, whatever happens next
    if (issued === undefined) return refuse('unknown or used code');
    if (form.get('redirect_uri') !== issued.redirectUri) return refuse('redirect_uri mismatch');
    const challenge = createHash('sha256')
      .update(form.get('code_verifier') ?? '')
      .digest('base64url');
    if (challenge !== issued.challenge) return refuse('code_verifier does not match code_challenge');
    user = issued.user;
    const idToken = replay ?? (await sign({ nonce: issued.nonce }, clientId));
    replay = undefined;
    state.idTokens.push(idToken);
    state.exchanges.granted += 1;
    json(res, 200, {
      access_token: await sign({ scope: issued.user.scope }, audience),
      id_token: idToken,
      token_type: 'Bearer',
      expires_in: 300,
    });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/.well-known/openid-configuration')
      return json(res, 200, {
        issuer: base,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    if (url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
    if (url.pathname === '/authorize' && req.method === 'GET') return authorize(url, res);
    if (url.pathname === '/token' && req.method === 'POST') return void token(req, res);
    json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: base,
    jwksUrl: `${base}/jwks`,
    audience,
    clientId,
    clientSecret,
    registerRedirect: (uri) => {
      redirectUri = uri;
    },
    signInAs: (next) => {
      user = next;
    },
    replayIdToken: (t) => {
      replay = t;
    },
    ...state,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
