import { Injectable } from '@nestjs/common';

import type { LabelSet } from '../model/alert';
import type { AlertChange } from '../model/alert-lifecycle';
import type { Transaction } from '../model/alert.repository';
import { groupKeyOf, groupLabelsOf, matchRoutes, type RoutingConfig } from '../routing/routing-config';
import { AlertGroupRepository, type GroupRef, type GroupTimings } from './alert-group.repository';

interface Candidate extends GroupRef {
  fingerprint: string;
  startsAt: Date;
  transition: boolean;
  labels: LabelSet;
  timings: GroupTimings;
}

/**
 * Puts alerts into their groups in the caller's transaction (Alertmanager's aggregation): a firing
 * alert joins the group of every route it takes; a new member or a status change makes the group due
 * (after group_wait for a new group, at its next group_interval otherwise). A batch costs one
 * statement whatever its size. Callers hold the alert writers' lock (AlertRepository.lockWriters).
 */
@Injectable()
export class GroupMembership {
  constructor(private readonly groups: AlertGroupRepository) {}

  async track(tx: Transaction, changes: readonly AlertChange[], routing: RoutingConfig): Promise<void> {
    const candidates: Candidate[] = [];
    for (const change of changes) {
      const alert = change.next;
      if (alert.status !== 'firing') continue;
      const seen = new Set<string>();
      for (const route of matchRoutes(routing.route, alert.labels)) {
        const labels = groupLabelsOf(route, alert.labels);
        const group: GroupRef = { groupKey: groupKeyOf(route, labels), receiver: route.receiver };
        const id = idOf(group);
        if (seen.has(id)) continue;
        seen.add(id);
        candidates.push({
          ...group,
          fingerprint: alert.fingerprint,
          startsAt: alert.startsAt,
          transition: change.transition,
          labels,
          timings: {
            groupWaitMs: route.groupWaitMs,
            groupIntervalMs: route.groupIntervalMs,
            repeatIntervalMs: route.repeatIntervalMs,
          },
        });
      }
    }
    const resolved = changes.filter((c) => c.transition && c.next.status === 'resolved');
    await this.groups.track(
      tx,
      candidates,
      resolved.map((c) => c.next.fingerprint),
    );
  }
}

function idOf(group: GroupRef): string {
  return `${group.groupKey}\u0000${group.receiver}`;
}
