import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { SERVICE_CONFIG } from '../config/config.tokens';
import type { PlatformConfig } from '../config/platform-config';
import { AccessDenials } from './access-denials';
import { WRITE_SCOPES } from './api-scopes';
import { ApiKeyVerifier, VerifierBusyError } from './api-key.verifier';
import { OIDC_VERIFIER } from './auth.tokens';
import { OidcTokenError, OidcVerifier, type Principal } from './oidc.verifier';
import { ROUTE_ACCESS, type RouteAccess } from './route-access';
import { TokenBuckets } from './token-bucket';

/** What the guard reads and writes of an HTTP request and response (Express has these). */
export interface GuardedRequest {
  headers: { authorization?: string | undefined };
  ip?: string;
  method: string;
  path: string;
  /** The name of the key (or `oidc:<sub>`) that authenticated the request: `api_key_name` in logs. */
  vigilApiKey?: string;
  /** Who that is: scopes and, for publishing keys, the audit sources it may publish as. */
  vigilPrincipal?: Principal;
}
export interface GuardedResponse {
  setHeader(name: string, value: string): unknown;
}

const ANY_KEY: RouteAccess = { kind: 'any-key' };
const BEARER = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i;

/**
 * The HTTP trust boundary of every service (PlatformModule installs it for every route). A route is
 * `@Public`, `@RequireScope(scope)` or, by default, needs any valid key (`@AnyApiKey`).
 *
 * `Authorization: Bearer <key>` is looked up among the configured key hashes (ApiKeyVerifier), or,
 * when OIDC is configured and the token is a JWT, verified against the issuer's JWKS (OidcVerifier):
 * 401 with `WWW-Authenticate: Bearer` when missing, unknown or invalid, 403 when it lacks the scope. Each
 * denial is published as an audit event `<service>.api.access_denied` (outcome denied; the actor is
 * the key's name, or "anonymous", never the key; past a budget, as one summary with a count:
 * AccessDenials). Routes of write scopes are rate limited per key
 * name (token bucket, per replica; API_WRITE_RATE_PER_S unless the key sets its own): 429 with
 * Retry-After.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate, OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyGuard.name);
  private readonly buckets = new TokenBuckets();
  private readonly writeRatePerS: number;
  private readonly writeBurst: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: ApiKeyVerifier,
    private readonly denials: AccessDenials,
    @Inject(OIDC_VERIFIER) private readonly oidc: OidcVerifier | null,
    @Inject(SERVICE_CONFIG) config: PlatformConfig,
  ) {
    this.writeRatePerS = config.API_WRITE_RATE_PER_S;
    this.writeBurst = config.API_WRITE_BURST;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access =
      this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? ANY_KEY;
    const http = context.switchToHttp();
    await this.authorize(http.getRequest<GuardedRequest>(), http.getResponse<GuardedResponse>(), access);
    return true;
  }

  /**
   * Lets `request` through `access` or throws the 401/403/429 HttpException (headers set on
   * `response`), auditing denials. The guard and routes served ahead of Nest (http/fast-route.ts) call it.
   */
  async authorize(request: GuardedRequest, response: GuardedResponse, access: RouteAccess): Promise<void> {
    if (access.kind === 'public') return;
    const key = await this.authenticate(request, response);
    request.vigilApiKey = key.name;
    request.vigilPrincipal = key;
    if (access.kind === 'scope' && !key.scopes.includes(access.scope)) {
      this.deny(request, key.name, `key lacks scope ${access.scope}`);
      throw new ForbiddenException({
        message: `API key "${key.name}" lacks scope ${access.scope}`,
        details: { required_scope: access.scope },
      });
    }
    if (access.kind === 'scope' && WRITE_SCOPES.has(access.scope)) this.limit(key, response);
  }

  private async authenticate(request: GuardedRequest, response: GuardedResponse): Promise<Principal> {
    const header = request.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    let key: Principal | null = null;
    let reason = token === undefined ? 'missing bearer API key' : 'unknown API key';
    if (token !== undefined && this.oidc && OidcVerifier.looksLikeJwt(token)) {
      try {
        key = await this.oidc.verify(token);
      } catch (error) {
        if (!(error instanceof OidcTokenError)) throw error;
        reason = error.reason;
      }
    } else if (token !== undefined) {
      try {
        key = await this.verifier.verify(token, request.ip);
      } catch (error) {
        if (!(error instanceof VerifierBusyError)) throw error;
        response.setHeader('Retry-After', String(error.retryAfterS));
        throw new HttpException(
          {
            message: `${error.message}; retry in ${error.retryAfterS} s`,
            details: { retry_after_s: error.retryAfterS },
          },
          HttpStatus.TOO_MANY_REQUESTS,
        );
      }
    }
    if (key) return key;
    this.deny(request, 'anonymous', reason);
    response.setHeader(
      'WWW-Authenticate',
      token === undefined ? 'Bearer realm="vigil"' : 'Bearer realm="vigil", error="invalid_token"',
    );
    throw new UnauthorizedException({
      message:
        token === undefined
          ? 'an API key is required, as a bearer token in the Authorization header'
          : reason,
    });
  }

  private limit(key: Principal, response: GuardedResponse): void {
    const rate = key.write_rate_per_s ?? this.writeRatePerS;
    if (rate === 0) return;
    const retryAfter = this.buckets.take(key.name, rate, key.write_burst ?? this.writeBurst);
    if (retryAfter === 0) return;
    this.logger.warn({ api_key_name: key.name, retry_after_s: retryAfter }, 'API write rate limit reached');
    response.setHeader('Retry-After', String(retryAfter));
    throw new HttpException(
      {
        message: `API key "${key.name}" is over its write rate limit; retry in ${retryAfter} s`,
        details: { retry_after_s: retryAfter },
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  /** Logs the denial and publishes it to the audit trail (AccessDenials); the response does not wait for NATS. */
  private deny(request: GuardedRequest, actor: string, reason: string): void {
    this.denials.record({ actor, ip: request.ip, route: `${request.method} ${request.path}`, reason });
  }

  onModuleDestroy(): void {
    this.denials.flush();
  }
}
