import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import type { AlertState } from '../alerts/alert';
import type { AlertChange } from '../alerts/alert-lifecycle';
import type { Transaction } from '../alerts/alert.repository';
import { matchesAll } from '../matchers/label-matcher';
import type { RoutingConfig } from '../routing/routing-config';
import { EpisodeRepository, type HistoryEvent, type NewHistoryEntry } from './episode.repository';

/** Labels every history row and episode is filed under. */
export function episodeKeyOf(alert: Pick<AlertState, 'labels'>): { alertname: string; severity: string } {
  return { alertname: alert.labels.alertname ?? '', severity: alert.labels.severity ?? 'none' };
}

/**
 * Keeps the memory Alertmanager lacks, in the caller's transaction: a new firing episode opens an
 * episode row (with its escalation policy, the first one whose matchers match) and a `fired` history
 * entry; a resolution closes it with a `resolved` entry.
 */
@Injectable()
export class EpisodeRecorder {
  constructor(private readonly episodes: EpisodeRepository) {}

  async record(
    tx: Transaction,
    changes: readonly AlertChange[],
    actor: string,
    routing: RoutingConfig,
    now: Date,
  ): Promise<void> {
    const fired = changes.filter((c) => c.transition && c.next.status === 'firing').map((c) => c.next);
    const resolved = changes.filter((c) => c.transition && c.next.status === 'resolved').map((c) => c.next);
    if (fired.length === 0 && resolved.length === 0) return;
    const opened = await this.episodes.openAll(
      tx,
      fired.map((alert) => {
        const policy = routing.escalationPolicies.find((p) => matchesAll(p.matchers, alert.labels));
        return {
          fingerprint: alert.fingerprint,
          startsAt: alert.startsAt,
          ...episodeKeyOf(alert),
          labels: alert.labels,
          firedAt: now,
          escalationPolicy: policy?.name ?? null,
          nextEscalationAt: policy ? new Date(now.getTime() + policy.steps[0].afterMs) : null,
        };
      }),
    );
    for (const alert of fired) {
      if (!opened.has(`${alert.fingerprint}@${alert.startsAt.toISOString()}`)) {
        await this.episodes.reopen(tx, alert.fingerprint, alert.startsAt);
      }
    }
    await this.episodes.resolveAll(
      tx,
      resolved.map((a) => ({ fingerprint: a.fingerprint, startsAt: a.startsAt, at: a.endsAt })),
      actor,
    );
    await this.episodes.addHistoryAll(tx, [
      ...fired.map((alert) => this.entry(alert, 'fired', actor, now, {})),
      ...resolved.map((alert) => this.entry(alert, 'resolved', actor, now, {})),
    ]);
  }

  /** One history entry; `audit` ones (actions by people) are also published to the audit trail. */
  history(
    tx: Transaction,
    alert: AlertState,
    event: HistoryEvent,
    actor: string,
    at: Date,
    extra: { comment?: string | null; details?: Record<string, unknown>; audit?: boolean } = {},
  ): Promise<void> {
    return this.episodes.addHistory(tx, this.entry(alert, event, actor, at, extra));
  }

  private entry(
    alert: AlertState,
    event: HistoryEvent,
    actor: string,
    at: Date,
    extra: { comment?: string | null; details?: Record<string, unknown>; audit?: boolean },
  ): NewHistoryEntry {
    return {
      id: randomUUID(),
      fingerprint: alert.fingerprint,
      episodeStartsAt: alert.startsAt,
      ...episodeKeyOf(alert),
      event,
      actor,
      comment: extra.comment ?? null,
      details: extra.details ?? null,
      at,
      audit: extra.audit ?? false,
    };
  }
}
