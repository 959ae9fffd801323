import { Injectable } from '@nestjs/common';

import { GroupMembership } from '../grouping/group-membership';
import { EpisodeRecorder } from '../incidents/episode-recorder';
import type { RoutingConfig } from '../routing/routing-config';
import type { AlertSource, AlertState, IncomingAlert } from './alert';
import { applyIncoming, type AlertChange } from './alert-lifecycle';
import { AlertRepository, type Transaction } from './alert.repository';

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

  /** Returns what was applied and whether any group became due. The caller holds `lockWriters`. */
  async apply(
    tx: Transaction,
    received: readonly ReceivedAlert[],
    routing: RoutingConfig,
  ): Promise<{ due: boolean; applied: AppliedAlert[] }> {
    if (received.length === 0) return { due: false, applied: [] };
    // The caller holds the writers' lock. The sort is stable: a fingerprint received several times is
    // merged in the order received.
    const keyed = [...received].sort((a, b) =>
      a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0,
    );
    const fingerprints = [...new Set(keyed.map((k) => k.fingerprint))];
    const known = await this.alerts.findAll(tx, fingerprints);
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
    await this.alerts.saveAll(
      tx,
      changes.map((c) => c.next),
    );
    const due = await this.membership.track(tx, changes, routing);
    for (const source of new Set(changes.map((c) => c.source))) {
      const mine = changes.filter((c) => c.source === source);
      await this.episodes.record(tx, mine, source, routing, mine[0].at ?? new Date());
    }
    return {
      due,
      applied: changes.map((c) => ({ state: c.next, transition: c.transition, source: c.source })),
    };
  }
}
