import { createHash } from 'node:crypto';

import { createRemoteJWKSet, decodeJwt, errors, jwtVerify } from 'jose';
import { z } from 'zod';

import { ConfigError, errorMessage } from '@vigil/platform';

import type { ConsoleConfig } from '../config/console-config';

/** The console as an OIDC client: who it is at the issuer and where the issuer sends people back. */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: string;
  redirectUri: string;
  algorithms: string[];
}

/** Why an OIDC sign-in was refused, in words for the login page and logs (never a token or code). */
export class OidcSignInError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'OidcSignInError';
  }
}

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});
type Discovery = z.infer<typeof discoverySchema>;

const tokenSchema = z.object({
  access_token: z.string().min(1),
  id_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i, 'token_type must be Bearer'),
  expires_in: z.coerce.number().positive().optional(),
});

/** What a successful code exchange yields once the ID token is verified. */
export interface OidcTokens {
  /** The bearer the services accept: it becomes the session's credential. */
  accessToken: string;
  /** When the access token stops working (the earlier of its `exp` and `expires_in`), if the issuer says. */
  expiresAt: Date | null;
  subject: string;
}

/** The OIDC client settings from config, or null when OIDC sign-in is off. Bad settings stop boot. */
export function oidcClientSettings(config: ConsoleConfig): OidcClientSettings | null {
  if (config.OIDC_CLIENT_ID === undefined) return null;
  const issuer = config.OIDC_ISSUER;
  if (issuer === undefined) throw new ConfigError('OIDC_ISSUER', 'is required with OIDC_CLIENT_ID');
  if (!/^https?:\/\/[^\s]+$/.test(issuer))
    throw new ConfigError(
      'OIDC_ISSUER',
      `must be the issuer's http(s) URL with OIDC_CLIENT_ID (got "${issuer}")`,
    );
  return {
    issuer,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    scopes: config.OIDC_SCOPES,
    redirectUri: `${config.CONSOLE_PUBLIC_URL}/login/oidc/callback`,
    algorithms: config.OIDC_ALGORITHMS,
  };
}

/** S256 code challenge of a PKCE verifier (RFC 7636 §4.2). */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * Authorization code flow with PKCE against the issuer's discovery document (fetched on first use, kept
 * for ten minutes). The ID token proves who signed in to this login (signature, issuer, audience = our
 * client id, expiry, nonce); the access token is what the services verify and take scopes from.
 */
export class OidcClient {
  private discovery?: { value: Discovery; fetchedAt: number };
  private jwks?: { uri: string; keys: ReturnType<typeof createRemoteJWKSet> };

  constructor(readonly settings: OidcClientSettings) {}

  /** The issuer's name for the button: its host. */
  get issuerName(): string {
    return new URL(this.settings.issuer).host;
  }

  async authorizationUrl(params: { state: string; nonce: string; codeVerifier: string }): Promise<string> {
    const url = new URL((await this.discover()).authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      state: params.state,
      nonce: params.nonce,
      code_challenge: codeChallengeOf(params.codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /** Exchanges the code (with the verifier only this browser holds) and verifies the ID token's nonce. */
  async exchange(code: string, codeVerifier: string, nonce: string): Promise<OidcTokens> {
    const discovery = await this.discover();
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.settings.redirectUri,
      code_verifier: codeVerifier,
    });
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    this.authenticate(discovery, form, headers);
    const answer = await this.post(discovery.token_endpoint, form, headers);
    const tokens = tokenSchema.safeParse(answer);
    if (!tokens.success)
      throw new OidcSignInError(
        `the issuer's token answer is unusable: ${tokens.error.issues[0]?.message}`,
        502,
      );
    const subject = await this.verifyIdToken(discovery, tokens.data.id_token, nonce);
    return {
      accessToken: tokens.data.access_token,
      expiresAt: expiryOf(tokens.data.access_token, tokens.data.expires_in),
      subject,
    };
  }

  /** client_secret_basic unless the issuer only lists client_secret_post; a public client sends its id. */
  private authenticate(discovery: Discovery, form: URLSearchParams, headers: Record<string, string>): void {
    const { clientId, clientSecret } = this.settings;
    if (clientSecret === undefined) {
      form.set('client_id', clientId);
      return;
    }
    const methods = discovery.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    if (!methods.includes('client_secret_basic') && methods.includes('client_secret_post')) {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
      return;
    }
    const encode = (value: string) => encodeURIComponent(value);
    headers.authorization = `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
  }

  private async post(url: string, form: URLSearchParams, headers: Record<string, string>): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body: form,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new OidcSignInError(`the issuer's token endpoint cannot be reached: ${errorMessage(error)}`, 502);
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const code = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : '';
      // invalid_grant: a code used twice, expired, issued to another client or for another PKCE verifier.
      throw new OidcSignInError(
        `the issuer refused the sign-in code (${code || `HTTP ${response.status}`}); please sign in again`,
        code === 'invalid_grant' ? 400 : 502,
      );
    }
    return body;
  }

  private async verifyIdToken(discovery: Discovery, idToken: string, nonce: string): Promise<string> {
    if (this.jwks?.uri !== discovery.jwks_uri)
      this.jwks = { uri: discovery.jwks_uri, keys: createRemoteJWKSet(new URL(discovery.jwks_uri)) };
    try {
      const { payload } = await jwtVerify(idToken, this.jwks.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.clientId,
        algorithms: this.settings.algorithms,
      });
      if (payload.nonce !== nonce)
        throw new OidcSignInError('the ID token was not issued for this sign-in (nonce mismatch)');
      if (payload.azp !== undefined && payload.azp !== this.settings.clientId)
        throw new OidcSignInError('the ID token was issued to another client (azp)');
      if (typeof payload.sub !== 'string' || payload.sub.length === 0)
        throw new OidcSignInError('the ID token names no subject');
      return payload.sub;
    } catch (error) {
      if (error instanceof OidcSignInError) throw error;
      const reason =
        error instanceof errors.JOSEError ? `${error.code}: ${error.message}` : errorMessage(error);
      throw new OidcSignInError(`the ID token is not valid (${reason})`);
    }
  }

  private async discover(): Promise<Discovery> {
    if (this.discovery !== undefined && Date.now() - this.discovery.fetchedAt < 10 * 60_000)
      return this.discovery.value;
    const url = `${this.settings.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let body: unknown;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new OidcSignInError(
        `the issuer's discovery document cannot be read: ${errorMessage(error)}`,
        502,
      );
    }
    const parsed = discoverySchema.safeParse(body);
    if (!parsed.success)
      throw new OidcSignInError(
        `the issuer's discovery document is unusable: ${parsed.error.issues[0]?.message}`,
        502,
      );
    // OpenID Connect Discovery §4.3: the document must name exactly the issuer it was fetched for.
    if (parsed.data.issuer !== this.settings.issuer)
      throw new OidcSignInError(
        `the discovery document names issuer "${parsed.data.issuer}", not OIDC_ISSUER`,
        502,
      );
    this.discovery = { value: parsed.data, fetchedAt: Date.now() };
    return parsed.data;
  }
}

/** The earlier of the access token's own `exp` (when it is a JWT) and the token answer's `expires_in`. */
function expiryOf(accessToken: string, expiresIn: number | undefined): Date | null {
  const candidates: number[] = [];
  if (expiresIn !== undefined) candidates.push(Date.now() + expiresIn * 1000);
  try {
    const { exp } = decodeJwt(accessToken);
    if (typeof exp === 'number') candidates.push(exp * 1000);
  } catch {
    // An opaque token: only expires_in can tell.
  }
  return candidates.length === 0 ? null : new Date(Math.min(...candidates));
}
