import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import type { AuditEventV1 } from '@vigil/contracts';
import { ConfigError, errorMessage, SERVICE_CONFIG } from '@vigil/platform';

import type { AuditConfig } from '../config/audit-config';
import { loadErasurePolicy, type ErasurePolicy } from '../config/erasure-policy';
import { tokenOfKey } from '../model/field-cipher';
import { openEvent, scopeKey, sealedKeyIds, sealEvent, sealTargets } from './personal-fields';
import { SubjectKeys } from './subject-keys';

/**
 * Seals the personal fields of events before they are stored (so the chain and the Merkle leaf hash
 * the sealed form) and opens them for readers; erased fields read as `[ERASED]`.
 */
@Injectable()
export class EventSealer implements OnApplicationBootstrap {
  private readonly logger = new Logger(EventSealer.name);
  readonly policy: ErasurePolicy;

  constructor(
    @Inject(SERVICE_CONFIG) config: AuditConfig,
    private readonly keys: SubjectKeys,
  ) {
    this.policy = loadErasurePolicy(config.AUDIT_ERASURE_FILE);
  }

  /**
   * Refuses to boot when stored keys are wrapped by a master key that is not configured: their events
   * could not be read, and ingest could not seal new events of those subjects (it would retry them
   * until they were dead-lettered).
   */
  async onApplicationBootstrap(): Promise<void> {
    let unknown: string[];
    try {
      unknown = await this.keys.unknownMasterKeyIds();
    } catch (error) {
      this.logger.warn({ error: errorMessage(error) }, 'master key check skipped: Postgres did not answer');
      return;
    }
    if (unknown.length > 0) {
      throw new ConfigError(
        'AUDIT_MASTER_KEY_PREVIOUS',
        `subject keys are wrapped by master key ${unknown.join(', ')}, which is not configured (current: ${this.keys.currentMasterKeyId}); add the retired key here`,
      );
    }
  }

  /** The events with their personal fields sealed; the batch's missing keys are made in one round trip. */
  async seal(events: readonly AuditEventV1[]): Promise<AuditEventV1[]> {
    const targets = events.map((event) => sealTargets(event, this.policy));
    const scopes = targets.flat().map((t) => t.scope);
    if (scopes.length === 0) return [...events];
    const keys = await this.keys.keysFor(scopes);
    return events.map((event, i) =>
      targets[i].length === 0
        ? event
        : sealEvent(event, targets[i], (scope) => {
            const key = keys.get(scopeKey(scope.subject, scope.bucket));
            if (!key) throw new Error(`no key made for a subject in bucket "${scope.bucket}"`);
            return key;
          }),
    );
  }

  /** Stored records as readers see them: `event` opened (keys read once for the whole page). */
  async open<R extends { event: AuditEventV1 }>(records: readonly R[]): Promise<R[]> {
    const ids = new Set<string>();
    for (const record of records) sealedKeyIds(record.event, ids);
    if (ids.size === 0) return [...records];
    const keys = await this.keys.openKeys(ids);
    return records.map((record) => ({ ...record, event: openEvent(record.event, keys) }));
  }

  /**
   * What an id filter must match: the id as published (events where it is not sealed) and the column
   * token of each of the subject's keys (events where it is sealed).
   */
  async searchValues(subject: string): Promise<string[]> {
    return [subject, ...(await this.keys.keyIdsOf(subject)).map(tokenOfKey)];
  }
}
