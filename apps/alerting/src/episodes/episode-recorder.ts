import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import type { AlertState } from '../model/alert';
import type { AlertChange } from '../model/alert-lifecycle';
import type { Transaction } from '../model/alert.repository';
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
 * entry; a resolution closes it with a `resolved` entry. One statement, issued before this first waits.
 */
@Injectable()
export class EpisodeRecorder {
  constructor(private readonly episodes: EpisodeRepository) {}

  /** `now` is when the changes happened, unless a change carries its own `at` (journalled alerts do). */
  async record(
    tx: Transaction,
    changes: readonly AlertChange[],
    actor: string,
    routing: RoutingConfig,
    now: Date,
  ): Promise<void> {
    const fired = changes.filter((c) => c.transition && c.next.status === 'firing');
    const resolved = changes.filter((c) => c.transition && c.next.status === 'resolved');
    if (fired.length === 0 && resolved.length === 0) return;
    await this.episodes.recordAll(tx, {
      open: fired.map(({ next: alert, at = now }) => {
        const policy = routing.escalationPolicies.find((p) => matchesAll(p.matchers, alert.labels));
        return {
          fingerprint: alert.fingerprint,
          startsAt: alert.startsAt,
          ...episodeKeyOf(alert),
          labels: alert.labels,
          firedAt: at,
          escalationPolicy: policy?.name ?? null,
          nextEscalationAt: policy ? new Date(at.getTime() + policy.steps[0].afterMs) : null,
        };
      }),
      resolve: resolved.map(({ next: a }) => ({
        fingerprint: a.fingerprint,
        startsAt: a.startsAt,
        at: a.endsAt,
      })),
      resolvedBy: actor,
      history: [
        ...fired.map(({ next, at = now }) => this.entry(next, 'fired', actor, at, {})),
        ...resolved.map(({ next, at = now }) => this.entry(next, 'resolved', actor, at, {})),
      ],
    });
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
