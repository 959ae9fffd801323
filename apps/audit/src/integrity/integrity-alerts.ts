import type { AlertEventV1 } from '@vigil/contracts';

import { AUDIT_CATEGORIES, type AuditCategory } from '../model/audit-category';
import type { BadRecord, VerifyReport } from './chain-verifier';

export const INTEGRITY_BROKEN_ALERT = 'AuditIntegrityBroken';
export const RETENTION_STALLED_ALERT = 'AuditRetentionStalled';

/** A chain found broken: its first bad record and when it was first seen broken (the alert's startsAt). */
export interface BrokenChain {
  bad: BadRecord;
  startsAt: string;
}

export type BrokenChains = ReadonlyMap<AuditCategory, BrokenChain>;

/** What one verification changes: chains newly broken (or broken at another record), chains intact again. */
export interface IntegrityTransitions {
  fired: BrokenChain[];
  resolved: BrokenChain[];
  next: Map<AuditCategory, BrokenChain>;
}

function sameRecord(a: BadRecord, b: BadRecord): boolean {
  return a.seq === b.seq && a.id === b.id && a.defect === b.defect;
}

/**
 * Compares a verification with the chains known broken. A report only clears a chain it walked from
 * before that chain's bad record (`anchor_seq < seq`): a walk of the records since the last checkpoint
 * says nothing of an older record a full walk found edited. Chains the report did not reach (the walk
 * stops at the first defect) keep their state.
 */
export function integrityTransitions(
  known: BrokenChains,
  report: VerifyReport,
  now: string,
): IntegrityTransitions {
  const next = new Map(known);
  const fired: BrokenChain[] = [];
  const resolved: BrokenChain[] = [];
  const bad = report.first_bad;
  for (const chain of report.chains) {
    const previous = known.get(chain.category);
    if (bad && bad.category === chain.category) {
      if (previous && sameRecord(previous.bad, bad)) continue;
      const broken = { bad, startsAt: previous?.startsAt ?? now };
      next.set(chain.category, broken);
      fired.push(broken);
    } else if (previous && chain.anchor_seq < previous.bad.seq) {
      next.delete(chain.category);
      resolved.push(previous);
    }
  }
  return { fired, resolved, next };
}

function integrityLabels(category: AuditCategory) {
  return { alertname: INTEGRITY_BROKEN_ALERT, severity: 'critical' as const, service: 'audit', category };
}

/** AuditIntegrityBroken for a chain, naming its first bad record; with endsAt when it resolves. */
export function integrityAlert(broken: BrokenChain, endsAt?: string): AlertEventV1 {
  const { bad } = broken;
  return {
    labels: integrityLabels(bad.category),
    annotations: {
      summary: `audit log "${bad.category}" failed verification at record ${bad.seq}`,
      description: `${bad.defect}: ${bad.detail}. Checkpoints of this log are withheld and retention cannot cut it until it verifies again (GET /audit/verify names the record).`,
      first_bad_seq: String(bad.seq),
      first_bad_id: bad.id ?? '',
      defect: bad.defect,
    },
    startsAt: broken.startsAt,
    ...(endsAt ? { endsAt } : {}),
  };
}

/** Nats-Msg-Id of an integrity alert: one per log and first bad record, so replicas and retries publish it once. */
export function integrityAlertMsgId(broken: BrokenChain, resolved: boolean): string {
  const { bad } = broken;
  const record = `${bad.category}-${bad.seq}-${bad.id ?? 'none'}-${bad.defect}`;
  return `audit-integrity-${resolved ? 'resolved' : 'fired'}-${record}`;
}

/** A cut retention cannot make: the records it would drop are not covered by a checkpoint yet. */
export interface RetentionStall {
  category: AuditCategory;
  cutSeq: number;
  signedUpTo: number;
  startsAt: string;
}

/** AuditRetentionStalled (medium); with endsAt when the category's retention proceeds again. */
export function retentionStalledAlert(stall: RetentionStall, endsAt?: string): AlertEventV1 {
  return {
    labels: {
      alertname: RETENTION_STALLED_ALERT,
      severity: 'medium',
      service: 'audit',
      category: stall.category,
    },
    annotations: {
      summary: `audit retention of "${stall.category}" waits for a checkpoint`,
      description: `Expired partitions end at record ${stall.cutSeq} but the newest checkpoint covers ${stall.signedUpTo}; checkpoints are withheld while the log fails verification.`,
      cut_seq: String(stall.cutSeq),
      signed_up_to: String(stall.signedUpTo),
    },
    startsAt: stall.startsAt,
    ...(endsAt ? { endsAt } : {}),
  };
}

export function retentionStalledMsgId(stall: RetentionStall, resolved: boolean): string {
  return `audit-retention-stalled-${resolved ? 'resolved' : 'fired'}-${stall.category}-${stall.cutSeq}-${stall.startsAt}`;
}

/**
 * A witness's refusal of a log's checkpoint (a fork, a shrink, a consistency proof that fails), or a
 * cosignature of a checkpoint the log does not hold: evidence of a split view, kept open until that
 * witness cosigns the log again.
 */
export interface WitnessRefusal {
  id: number;
  category: AuditCategory;
  witness: string;
  reason: string;
  detail: string;
  /** The size of the checkpoint refused (or cosigned inconsistently). */
  size: number;
  created_at: string;
}

/**
 * AuditIntegrityBroken for a witness refusal: the integrity alert's labels plus `witness`, so it has its
 * own lifecycle beside a chain defect of the same log. With endsAt when the witness cosigns again.
 */
export function witnessRefusalAlert(refusal: WitnessRefusal, endsAt?: string): AlertEventV1 {
  return {
    labels: { ...integrityLabels(refusal.category), witness: refusal.witness },
    annotations: {
      summary: `witness "${refusal.witness}" refused the audit log "${refusal.category}" at size ${refusal.size}`,
      description: `${refusal.reason}: ${refusal.detail}. Checkpoints of this log are withheld until the witness cosigns it again.`,
      first_bad_seq: String(refusal.size),
      first_bad_id: '',
      defect: 'witness_refused',
    },
    startsAt: refusal.created_at,
    ...(endsAt ? { endsAt } : {}),
  };
}

export function witnessRefusalMsgId(refusal: WitnessRefusal, resolved: boolean): string {
  return `audit-witness-refusal-${resolved ? 'resolved' : 'fired'}-${refusal.id}`;
}

/** 1 per broken log, 0 per intact one: the values of audit_integrity_broken{category}. */
export function brokenGaugeValues(broken: {
  has(category: AuditCategory): boolean;
}): Array<{ category: AuditCategory; value: 0 | 1 }> {
  return AUDIT_CATEGORIES.map((category) => ({ category, value: broken.has(category) ? 1 : 0 }));
}
