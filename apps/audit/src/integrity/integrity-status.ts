import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

import { ALERT_FIRED_SUBJECT, ALERT_RESOLVED_SUBJECT, type AlertEventV1 } from '@vigil/contracts';
import { DependencyMonitor, type DependencyDetails, errorMessage, NatsMessaging } from '@vigil/platform';

import type { AuditCategory } from '../model/audit-category';
import type { VerifyReport } from './chain-verifier';
import {
  brokenGaugeValues,
  integrityAlert,
  integrityAlertMsgId,
  integrityTransitions,
  type BrokenChain,
} from './integrity-alerts';

export const AUDIT_INTEGRITY_BROKEN = 'audit_integrity_broken';

/**
 * What the periodic verifications found, per log (category): the `audit_integrity_broken{category}`
 * gauge, the `audit-integrity` component of /health/detailed (read from this cache: probes never walk a
 * chain), and the AuditIntegrityBroken alert, fired when a log is found broken and resolved (same labels
 * and startsAt) when a later walk over that record finds it intact. Not critical for readiness: taking
 * a replica out of service repairs nothing, and ingest must go on; the alert tells people.
 */
@Injectable()
export class IntegrityStatus implements OnModuleInit {
  private readonly logger = new Logger(IntegrityStatus.name);
  private broken = new Map<AuditCategory, BrokenChain>();
  private checkedAt: string | null = null;
  /** Nats-Msg-Id of the fired alert published for each broken log. */
  private readonly announced = new Map<AuditCategory, string>();
  /** Resolutions not published yet. */
  private readonly unresolved: Array<{ chain: BrokenChain; endsAt: string }> = [];

  constructor(
    private readonly monitor: DependencyMonitor,
    private readonly messaging: NatsMessaging,
    @InjectMetric(AUDIT_INTEGRITY_BROKEN) private readonly gauge: Gauge<string>,
  ) {}

  onModuleInit(): void {
    this.setGauge();
    this.monitor.register({
      name: 'audit-integrity',
      critical: false,
      run: () => this.check(),
      details: () => this.details(),
    });
  }

  isBroken(category: AuditCategory): boolean {
    return this.broken.has(category);
  }

  /**
   * Records a verification's outcome and publishes what it changed. An alert whose publish failed is
   * published again after the next verification (its Nats-Msg-Id keeps replicas and retries to one copy).
   */
  async observe(report: VerifyReport): Promise<void> {
    const now = new Date().toISOString();
    const { fired, resolved, next } = integrityTransitions(this.broken, report, now);
    this.broken = next;
    this.checkedAt = now;
    this.setGauge();
    for (const chain of fired) {
      this.logger.error(
        { category: chain.bad.category, first_bad: chain.bad },
        'audit log failed verification: AuditIntegrityBroken fired',
      );
    }
    for (const chain of resolved) {
      this.logger.log(
        { category: chain.bad.category },
        'audit log verifies again: AuditIntegrityBroken resolved',
      );
      this.announced.delete(chain.bad.category);
      this.unresolved.push({ chain, endsAt: now });
    }
    for (const chain of this.broken.values()) {
      const msgId = integrityAlertMsgId(chain, false);
      if (this.announced.get(chain.bad.category) === msgId) continue;
      if (await this.publish(ALERT_FIRED_SUBJECT, integrityAlert(chain), msgId)) {
        this.announced.set(chain.bad.category, msgId);
      }
    }
    const pending = this.unresolved.splice(0);
    for (const { chain, endsAt } of pending) {
      const sent = await this.publish(
        ALERT_RESOLVED_SUBJECT,
        integrityAlert(chain, endsAt),
        integrityAlertMsgId(chain, true),
      );
      if (!sent) this.unresolved.push({ chain, endsAt });
    }
  }

  private async publish(subject: string, alert: AlertEventV1, msgId: string): Promise<boolean> {
    try {
      await this.messaging.publish(subject, alert, msgId);
      return true;
    } catch (error) {
      this.logger.error(
        { subject, category: alert.labels.category, error: errorMessage(error) },
        'integrity alert not published; retried after the next verification',
      );
      return false;
    }
  }

  private setGauge(): void {
    for (const { category, value } of brokenGaugeValues(this.broken)) this.gauge.set({ category }, value);
  }

  private check(): Promise<void> {
    const first = [...this.broken.values()][0];
    if (!first) return Promise.resolve();
    return Promise.reject(
      new Error(
        `audit log "${first.bad.category}" failed verification at record ${first.bad.seq}: ${first.bad.defect}`,
      ),
    );
  }

  private details(): DependencyDetails {
    const details: DependencyDetails = { verified_at: this.checkedAt };
    for (const { category, value } of brokenGaugeValues(this.broken)) {
      const chain = this.broken.get(category);
      details[`${category}_broken`] = value === 1;
      if (chain) {
        details[`${category}_first_bad_seq`] = chain.bad.seq;
        details[`${category}_first_bad_id`] = chain.bad.id;
        details[`${category}_defect`] = chain.bad.defect;
      }
    }
    return details;
  }
}
