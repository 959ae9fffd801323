import { Injectable, Logger } from '@nestjs/common';

import { ALERT_FIRED_SUBJECT, ALERT_RESOLVED_SUBJECT } from '@vigil/contracts';
import { errorMessage, NatsMessaging } from '@vigil/platform';

import type { AuditCategory } from '../model/audit-category';
import {
  retentionStalledAlert,
  retentionStalledMsgId,
  type RetentionStall,
} from '../integrity/integrity-alerts';

/**
 * AuditRetentionStalled (medium): fired when retention cannot cut a category because its expired
 * records are not covered by a checkpoint (checkpoints are withheld while the log fails verification),
 * resolved when that category's retention proceeds.
 */
@Injectable()
export class RetentionStallAlarm {
  private readonly logger = new Logger(RetentionStallAlarm.name);
  private readonly stalls = new Map<AuditCategory, RetentionStall>();

  constructor(private readonly messaging: NatsMessaging) {}

  async stalled(category: AuditCategory, cutSeq: number, signedUpTo: number): Promise<void> {
    this.logger.warn(
      { category, cut_seq: cutSeq, signed_up_to: signedUpTo },
      'retention waits for a checkpoint',
    );
    const known = this.stalls.get(category);
    if (known?.cutSeq === cutSeq && known.signedUpTo === signedUpTo) return;
    const stall = { category, cutSeq, signedUpTo, startsAt: known?.startsAt ?? new Date().toISOString() };
    this.stalls.set(category, stall);
    if (!(await this.publish(ALERT_FIRED_SUBJECT, stall, false))) this.stalls.delete(category);
  }

  async proceeded(category: AuditCategory): Promise<void> {
    const stall = this.stalls.get(category);
    if (!stall) return;
    if (await this.publish(ALERT_RESOLVED_SUBJECT, stall, true)) this.stalls.delete(category);
  }

  private async publish(subject: string, stall: RetentionStall, resolved: boolean): Promise<boolean> {
    const endsAt = resolved ? new Date().toISOString() : undefined;
    try {
      await this.messaging.publish(
        subject,
        retentionStalledAlert(stall, endsAt),
        retentionStalledMsgId(stall, resolved),
      );
      return true;
    } catch (error) {
      this.logger.error(
        { subject, category: stall.category, error: errorMessage(error) },
        'retention alert not published; retried on the next run',
      );
      return false;
    }
  }
}
