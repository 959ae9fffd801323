import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

import { API_SCOPES, type ApiScope } from './api-scopes';

export interface OidcOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Claim holding the scopes: a space-separated string (OAuth `scope`) or an array (`scp`, `roles`). */
  scopesClaim: string;
  algorithms: string[];
}

/** Who a verified bearer token speaks for. */
export interface Principal {
  /** The actor in logs and audit events: a key's name, or `oidc:<sub>`. */
  name: string;
  scopes: readonly ApiScope[];
  /** This principal's own write rate limit (API keys may set one; 0: none). */
  write_rate_per_s?: number;
  write_burst?: number;
  /**
   * The audit sources this principal may publish as (scope audit:publish), `["*"]` for any. OIDC tokens
   * carry none: publishing is for API keys, whose entry binds the sources.
   */
  sources?: readonly string[];
}

/** Why a JWT was refused, in words safe for logs and the audit trail (never the token). */
export class OidcTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'OidcTokenError';
  }
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const KNOWN_SCOPES: ReadonlySet<string> = new Set(API_SCOPES);

/**
 * Optional OIDC: bearer JWTs verified against the issuer's JWKS (fetched on first use, cached by jose
 * and refetched at most every 30 s when a token names an unknown key id), with issuer, audience,
 * expiry and algorithm checks. Scopes come from `scopesClaim`; names that are not Vigil scopes are
 * ignored.
 */
export class OidcVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: OidcOptions) {
    this.jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
    });
  }

  /** Whether `token` has a JWT's shape (API keys never do: they have no dots). */
  static looksLikeJwt(token: string): boolean {
    return JWT_SHAPE.test(token);
  }

  /** The principal of a valid token; throws OidcTokenError with the reason otherwise. */
  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.options.algorithms,
      }));
    } catch (error) {
      throw new OidcTokenError(reasonOf(error));
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new OidcTokenError('token has no subject');
    }
    return { name: `oidc:${payload.sub}`, scopes: scopesOf(payload[this.options.scopesClaim]) };
  }
}

function scopesOf(claim: unknown): ApiScope[] {
  const names = typeof claim === 'string' ? claim.split(/\s+/) : Array.isArray(claim) ? claim : [];
  return names.filter((name): name is ApiScope => typeof name === 'string' && KNOWN_SCOPES.has(name));
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" rejected`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token signed by a key the issuer does not publish';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  // Other jose errors (JWKS timeout or fetch failure, malformed token) by their code.
  if (error instanceof errors.JOSEError) return `token not verified (${error.code})`;
  return 'token not verified';
}
