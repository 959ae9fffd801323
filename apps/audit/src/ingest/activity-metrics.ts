import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { AUDIT_OUTCOMES, type AuditEventV1 } from '@vigil/contracts';

export const AUDIT_PRIVACY_EVENTS = 'audit_privacy_events_total';
export const AUDIT_ADMIN_ACTIONS = 'audit_admin_actions_total';
/** Distinct admin actions given their own label value; later ones are counted as `other`. */
export const ADMIN_ACTION_LABELS_MAX = 200;

/**
 * Counts stored events for the privacy and admin-activity dashboards and alert rules
 * (k8s/base/prometheus-rules/fleet.rules.yaml): privacy actions (privacy.*) by source and outcome, and
 * admin actions by source and action. Two counter increments at most per event.
 */
@Injectable()
export class ActivityMetrics {
  private readonly adminActions = new Set<string>();
  private readonly privacySources = new Set<string>();

  constructor(
    @InjectMetric(AUDIT_PRIVACY_EVENTS) private readonly privacy: Counter<string>,
    @InjectMetric(AUDIT_ADMIN_ACTIONS) private readonly admin: Counter<string>,
  ) {}

  record(event: AuditEventV1): void {
    if (event.action.startsWith('privacy.')) {
      if (!this.privacySources.has(event.source)) {
        // Every outcome of a source exists from its first privacy event on, so a later first failure is an
        // increase Prometheus sees (a series born at 1 shows no increase).
        this.privacySources.add(event.source);
        for (const outcome of AUDIT_OUTCOMES) this.privacy.inc({ source: event.source, outcome }, 0);
      }
      this.privacy.inc({ source: event.source, outcome: event.outcome });
    }
    if (event.actor.type === 'admin')
      this.admin.inc({ source: event.source, action: this.adminActionLabel(event.action) });
  }

  /** The action as a label value, bounded: publishers choose actions, the time series count must not grow without end. */
  private adminActionLabel(action: string): string {
    if (this.adminActions.has(action)) return action;
    if (this.adminActions.size >= ADMIN_ACTION_LABELS_MAX) return 'other';
    this.adminActions.add(action);
    return action;
  }
}
