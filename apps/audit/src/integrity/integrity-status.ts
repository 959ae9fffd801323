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
  witnessRefusalAlert,
  witnessRefusalMsgId,
  type BrokenChain,
  type WitnessRefusal,
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
  private readonly unresolvedRefusals: WitnessRefusal[] = [];
  /** Open witness refusals (stored, shared by the replicas), by id; `announced` once its alert went out. */
  private refusals = new Map<number, { refusal: WitnessRefusal; announced: boolean }>();

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

  /** Broken: a verification found a bad record, or a witness refused the log and has not cosigned it since. */
  isBroken(category: AuditCategory): boolean {
    return this.broken.has(category) || this.refusedBy(category).length > 0;
  }

  private refusedBy(category: AuditCategory): WitnessRefusal[] {
    return [...this.refusals.values()].map((r) => r.refusal).filter((r) => r.category === category);
  }

  /**
   * Takes the open witness refusals (the whole stored set): each new one fires AuditIntegrityBroken
   * (labelled with the witness), each one gone since (its witness cosigned again) resolves. Its
   * Nats-Msg-Id (the refusal's id) keeps replicas reading the same rows to one alert.
   */
  async observeRefusals(open: readonly WitnessRefusal[]): Promise<void> {
    const now = new Date().toISOString();
    const previous = this.refusals;
    this.refusals = new Map(
      open.map((refusal) => [
        refusal.id,
        { refusal, announced: previous.get(refusal.id)?.announced ?? false },
      ]),
    );
    this.setGauge();
    const closed = [...previous.values()].filter((r) => r.announced && !this.refusals.has(r.refusal.id));
    const toResolve = [...this.unresolvedRefusals.splice(0), ...closed.map((r) => r.refusal)];
    for (const refusal of toResolve) {
      this.logger.log(
        { category: refusal.category, witness: refusal.witness },
        'witness cosigns again: refusal resolved',
      );
      const alert = witnessRefusalAlert(refusal, now);
      if (!(await this.publish(ALERT_RESOLVED_SUBJECT, alert, witnessRefusalMsgId(refusal, true)))) {
        this.unresolvedRefusals.push(refusal);
      }
    }
    for (const entry of this.refusals.values()) {
      if (entry.announced) continue;
      this.logger.error(
        { category: entry.refusal.category, witness: entry.refusal.witness, reason: entry.refusal.reason },
        'witness refused the audit log: AuditIntegrityBroken fired',
      );
      const alert = witnessRefusalAlert(entry.refusal);
      entry.announced = await this.publish(
        ALERT_FIRED_SUBJECT,
        alert,
        witnessRefusalMsgId(entry.refusal, false),
      );
    }
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
    for (const { category, value } of brokenGaugeValues({ has: (c) => this.isBroken(c) })) {
      this.gauge.set({ category }, value);
    }
  }

  private check(): Promise<void> {
    const first = [...this.broken.values()][0];
    const refused = [...this.refusals.values()][0]?.refusal;
    if (!first && !refused) return Promise.resolve();
    return Promise.reject(
      new Error(
        first
          ? `audit log "${first.bad.category}" failed verification at record ${first.bad.seq}: ${first.bad.defect}`
          : `witness "${refused.witness}" refused the audit log "${refused.category}" at size ${refused.size}: ${refused.reason}`,
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
      const refusals = this.refusedBy(category);
      if (refusals.length > 0) details[`${category}_refused_by`] = refusals.map((r) => r.witness).join(',');
    }
    return details;
  }
}
