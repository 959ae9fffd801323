import { randomUUID } from 'node:crypto';

import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AuditPublisher, errorMessage, type GuardedRequest } from '@vigil/platform';

import { principalActor } from '../read-trail/read-trail';
import { sqlFromEntityManager } from '../storage/sql';
import { SubjectKeyStore } from '../storage/subject-key.store';
import { SubjectKeys } from './subject-keys';

export const SUBJECT_ERASED_ACTION = 'audit.subject.erased';
export const RULE_ERASED_ACTION = 'audit.retention.erased';

export interface ErasureReceipt {
  /** Names the erasure in the trail (the event's resource id); the subject itself is recorded nowhere. */
  erasure_id: string;
  keys_destroyed: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Destroys data subjects' keys: on request (POST /audit/subjects/:id/erase) or when an erase rule's
 * keep_days have passed. Each erasure is itself an audit event; the request's is published inside the
 * transaction that deletes the keys, so an erasure that cannot be recorded does not happen.
 */
@Injectable()
export class SubjectEraser {
  private readonly logger = new Logger(SubjectEraser.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: SubjectKeyStore,
    private readonly keys: SubjectKeys,
    private readonly publisher: AuditPublisher,
  ) {}

  async erase(request: GuardedRequest, subject: string): Promise<ErasureReceipt> {
    const erasure_id = randomUUID();
    let keys_destroyed = 0;
    try {
      await this.dataSource.transaction(async (manager) => {
        keys_destroyed = await this.store.deleteSubject(sqlFromEntityManager(manager), subject);
        await this.publisher.publish(
          {
            actor: principalActor(request.vigilPrincipal, request.ip),
            action: SUBJECT_ERASED_ACTION,
            // Not the subject's id: the trail must not keep what it was asked to forget.
            resource: { type: 'data_subject_erasure', id: erasure_id },
            outcome: 'success',
            metadata: { keys_destroyed },
          },
          { attempts: 3 },
        );
      });
    } catch (error) {
      this.logger.error({ erasure_id, error: errorMessage(error) }, 'subject erasure not done');
      throw new ServiceUnavailableException({
        message: 'the erasure could not be done and recorded in the audit trail; nothing was erased, retry',
        details: { erasure_id },
      });
    }
    this.keys.forget([subject]);
    await this.vacuum();
    this.logger.log({ erasure_id, keys_destroyed }, 'data subject erased');
    return { erasure_id, keys_destroyed };
  }

  /** Destroys the keys of each erase rule's days older than its keep_days; returns keys' subjects per rule. */
  async eraseExpired(rules: readonly { name: string; keep_days: number }[], now: Date): Promise<number> {
    let total = 0;
    for (const rule of rules) {
      // A day's key goes once the whole day is older than keep_days.
      const beforeDay = new Date(now.getTime() - rule.keep_days * DAY_MS).toISOString().slice(0, 10);
      const subjects = await this.store.deleteRuleDaysBefore(rule.name, beforeDay);
      if (subjects.length === 0) continue;
      this.keys.forget(subjects);
      total += subjects.length;
      await this.publisher.publish(
        {
          actor: { type: 'system', id: 'audit-retention' },
          action: RULE_ERASED_ACTION,
          resource: { type: 'retention_rule', id: rule.name },
          outcome: 'success',
          metadata: { before_day: beforeDay, subjects: subjects.length },
        },
        { attempts: 3 },
      );
      this.logger.log(
        { rule: rule.name, before_day: beforeDay, subjects: subjects.length },
        'personal fields erased by retention rule',
      );
    }
    if (total > 0) await this.vacuum();
    return total;
  }

  /** Removes the deleted rows' dead versions now (best effort: autovacuum would do it later). */
  private async vacuum(): Promise<void> {
    await this.store
      .vacuum()
      .catch((error: unknown) =>
        this.logger.warn(
          { error: errorMessage(error) },
          'VACUUM audit_subject_keys failed; autovacuum will do it',
        ),
      );
  }
}
