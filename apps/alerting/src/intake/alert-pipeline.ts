import { Injectable } from '@nestjs/common';

import { GroupMembership } from '../grouping/group-membership';
import { EpisodeRecorder } from '../episodes/episode-recorder';
import type { RoutingConfig } from '../routing/routing-config';
import type { AlertSource, AlertState, IncomingAlert } from '../model/alert';
import { applyIncoming, type AlertChange } from '../model/alert-lifecycle';
import { AlertRepository, type StoredAlert, type Transaction } from '../model/alert.repository';

/** An alert taken from the intake journal: fingerprinted and redacted when it was accepted. */
export interface ReceivedAlert {
  fingerprint: string;
  alert: IncomingAlert;
  receivedAt: Date;
  source: AlertSource;
}

export interface AppliedAlert {
  state: AlertState;
  /** Its status changed: a notification and a history entry follow. */
  transition: boolean;
  source: AlertSource;
}

type SourcedChange = AlertChange & { source: AlertSource };

/**
 * The one pipeline every alert goes through, whatever transport brought it: merge it into the stored
 * state, put it into its groups and record its episode, all in the caller's transaction, a whole
 * batch in a few statements. Each alert is merged as of when it was received, in the order received.
 */
@Injectable()
export class AlertPipeline {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly membership: GroupMembership,
    private readonly episodes: EpisodeRecorder,
  ) {}

  /**
   * The stored state of the alerts `received` names, issued now: a caller pipelines it with the
   * writers' lock and hands the result to apply().
   */
  known(tx: Transaction, received: readonly ReceivedAlert[]): Promise<Map<string, StoredAlert>> {
    return this.alerts.findAll(tx, [...new Set(received.map((r) => r.fingerprint))]);
  }

  /**
   * Returns what was applied. The caller holds `lockWriters` and
   * read `known` after taking it. Every write is issued before this first waits, so a caller may
   * pipeline the statements that read their effect (the flush) right behind them.
   */
  async apply(
    tx: Transaction,
    received: readonly ReceivedAlert[],
    routing: RoutingConfig,
    known: ReadonlyMap<string, StoredAlert>,
  ): Promise<{ applied: AppliedAlert[] }> {
    if (received.length === 0) return { applied: [] };
    // The sort is stable: a fingerprint received several times is merged in the order received.
    const keyed = [...received].sort((a, b) =>
      a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0,
    );
    const latest = new Map<string, SourcedChange>();
    for (const { fingerprint, alert, receivedAt, source } of keyed) {
      const earlier = latest.get(fingerprint);
      const previous = earlier?.next ?? known.get(fingerprint) ?? null;
      const change = applyIncoming(fingerprint, previous, alert, receivedAt, routing.resolveTimeoutMs);
      latest.set(
        fingerprint,
        change.transition || !earlier
          ? {
              ...change,
              transition: change.transition || (earlier?.transition ?? false),
              at: receivedAt,
              source,
            }
          : { ...earlier, next: change.next },
      );
    }
    const changes = [...latest.values()];
    const bySource = new Map<AlertSource, SourcedChange[]>();
    for (const change of changes) {
      const mine = bySource.get(change.source);
      if (mine) mine.push(change);
      else bySource.set(change.source, [change]);
    }
    // Issued in this order, travelling together; awaited together, so that no failure goes unheard.
    const saving = this.alerts.saveAll(
      tx,
      changes.map((c) => c.next),
    );
    const tracking = this.membership.track(tx, changes, routing);
    const recording = [...bySource].map(([source, mine]) =>
      this.episodes.record(tx, mine, source, routing, mine[0].at ?? new Date()),
    );
    await Promise.all([tracking, saving, ...recording]);
    return {
      applied: changes.map((c) => ({ state: c.next, transition: c.transition, source: c.source })),
    };
  }
}
