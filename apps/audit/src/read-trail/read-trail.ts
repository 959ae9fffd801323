import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';

import { redact } from '@vigil/redaction';
import type { AuditEventV1 } from '@vigil/contracts';
import { AuditPublisher, errorMessage, type GuardedRequest } from '@vigil/platform';

/** The actions of read-events: a search or page of events, one event, a verification, an export. */
export const READ_ACTIONS = {
  list: 'audit.events.read',
  get: 'audit.event.read',
  verify: 'audit.chain.verified',
  export: 'audit.events.exported',
} as const;

export type ReadKind = keyof typeof READ_ACTIONS;

/** One successful read of audit data, as the handler that served it describes it. */
export interface AuditRead {
  kind: ReadKind;
  /** The event read (get), or what was searched or verified. */
  resource: AuditEventV1['resource'];
  /** The query's filters as received (cursor left out: it only says "next page"). */
  filters: Record<string, unknown>;
  /** Events returned, or records checked by a verification. */
  count: number;
  /** Extra figures of the read (e.g. whether a verification found the trail intact). */
  result?: Record<string, string | number | boolean | null>;
}

/** The actor of an event the audit API publishes for a request: OIDC principals (`oidc:<sub>`) are people; API keys are services. */
export function principalActor(
  principal: { name: string } | undefined,
  ip: string | undefined,
): AuditEventV1['actor'] {
  const name = principal?.name ?? 'anonymous';
  return { type: name.startsWith('oidc:') ? 'user' : 'service', id: name, ...(ip ? { ip } : {}) };
}

/** A read-event of the audit service itself; its source is the service's own name (`audit`). */
export function readEventOf(
  principal: { name: string } | undefined,
  ip: string | undefined,
  read: AuditRead,
): Omit<AuditEventV1, 'id' | 'occurred_at' | 'source'> {
  return {
    actor: principalActor(principal, ip),
    action: READ_ACTIONS[read.kind],
    resource: read.resource,
    outcome: 'success',
    metadata: {
      filters: redact<Record<string, unknown>>(read.filters),
      count: read.count,
      ...(read.result ? { result: read.result } : {}),
    },
  };
}

/**
 * Publishes every successful read of audit data as an audit event (who read, what filters, how many),
 * before the answer is sent: a read that cannot be recorded is refused (503), so no read goes
 * unrecorded. Read-events are published from the request that read, never by the consumer that stores
 * them, so one request makes exactly one read-event whatever it returns (reading read-events included):
 * the trail of reads grows with requests, never by itself.
 */
@Injectable()
export class ReadTrail {
  private readonly logger = new Logger(ReadTrail.name);

  constructor(private readonly publisher: AuditPublisher) {}

  async record(request: GuardedRequest, read: AuditRead): Promise<void> {
    try {
      await this.publisher.publish(readEventOf(request.vigilPrincipal, request.ip, read), { attempts: 3 });
    } catch (error) {
      this.logger.error(
        { action: READ_ACTIONS[read.kind], api_key_name: request.vigilApiKey, error: errorMessage(error) },
        'audit read not recorded: answer refused',
      );
      throw new ServiceUnavailableException({
        message: 'the read could not be recorded in the audit trail; retry',
      });
    }
  }
}
