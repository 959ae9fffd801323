import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';

import { auditEventSubject, type AuditEventV1 } from '@vigil/contracts';
import { currentContext, NatsMessaging, SERVICE_CONFIG } from '@vigil/platform';

import type { ApiKeyEntry, ApiScope, AuditConfig } from '../config/audit-config';

/** What the guard reads of an HTTP request (Express's Request has these). */
interface Request {
  headers: { authorization?: string };
  ip?: string;
  method: string;
  path: string;
}

const SCOPE_KEY = 'vigil:audit:scope';
/** The audit service's own events (denials of its API) are published as this source. */
export const AUDIT_SELF_SOURCE = 'audit';

/** Requires a bearer API key holding `scope` on a controller or route. */
export const RequireScope = (scope: ApiScope) => SetMetadata(SCOPE_KEY, scope);

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Checks `Authorization: Bearer <key>` against the configured key hashes: 401 when missing or
 * unknown, 403 when the key lacks the scope. Every denial is itself published as an audit event
 * (`audit.api.access_denied`, outcome denied), so it lands in the trail like any other.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly logger = new Logger(ApiKeyGuard.name);
  private readonly keys: { entry: ApiKeyEntry; hash: Buffer }[];

  constructor(
    private readonly reflector: Reflector,
    private readonly messaging: NatsMessaging,
    @Inject(SERVICE_CONFIG) config: AuditConfig,
  ) {
    this.keys = config.AUDIT_API_KEYS.map((entry) => ({ entry, hash: Buffer.from(entry.sha256, 'hex') }));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.getAllAndOverride<ApiScope | undefined>(SCOPE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!scope) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const presented = match ? sha256(match[1]) : null;
    const key = presented ? this.keys.find((k) => timingSafeEqual(k.hash, presented))?.entry : undefined;
    if (!key) {
      await this.recordDenial(request, 'anonymous', match ? 'unknown API key' : 'missing bearer API key');
      throw new UnauthorizedException({
        message: match ? 'unknown API key' : 'a bearer API key is required (Authorization: Bearer <key>)',
      });
    }
    if (!key.scopes.includes(scope)) {
      await this.recordDenial(request, key.name, `key lacks scope ${scope}`);
      throw new ForbiddenException({ message: `API key "${key.name}" lacks scope ${scope}` });
    }
    return true;
  }

  private async recordDenial(request: Request, actorId: string, reason: string): Promise<void> {
    const ctx = currentContext();
    const event: AuditEventV1 = {
      id: randomUUID(),
      occurred_at: new Date().toISOString(),
      source: AUDIT_SELF_SOURCE,
      actor: { type: 'service', id: actorId, ...(request.ip ? { ip: request.ip } : {}) },
      action: 'audit.api.access_denied',
      resource: { type: 'audit_api', id: `${request.method} ${request.path}` },
      outcome: 'denied',
      metadata: { reason },
      ...(ctx ? { request_id: ctx.requestId, trace_id: ctx.traceId } : {}),
    };
    try {
      await this.messaging.publish(auditEventSubject(AUDIT_SELF_SOURCE), event, event.id);
    } catch (error) {
      this.logger.error(
        { error: error instanceof Error ? error.message : String(error), reason },
        'access denial not recorded in the audit trail',
      );
    }
    this.logger.warn({ actor: actorId, path: request.path, reason }, 'audit API access denied');
  }
}
