import type { IssueCounts } from '../storage/error-event.store';
import type { IssueRow } from '../storage/issue-row';
import { applyEvent, type IncomingEvent } from './issue-status';

export interface BatchEvent extends IncomingEvent {
  environment: string | null;
}

export interface IssueBatchOutcome {
  counts: IssueCounts;
  /** When each regression happened (a resolved issue seen again). */
  regressions: Date[];
  /** When an ignore ran out. */
  unignored: Date[];
}

const counted = (counts: Record<string, number>, key: string | null) =>
  key === null ? counts : { ...counts, [key]: (counts[key] ?? 0) + 1 };

/**
 * The issue after a batch's events of it, in order: counts, breakdowns, last seen and release, and its
 * status taken through each event (so an ignore for N events or a regression lands on the right one).
 */
export function applyEvents(issue: IssueRow, events: readonly BatchEvent[]): IssueBatchOutcome {
  let state = {
    status: issue.status,
    substatus: issue.substatus,
    resolved_in_next_release: issue.resolved_in_next_release,
    resolved_release: issue.resolved_release,
    ignore_until: issue.ignore_until,
    ignore_count_remaining: issue.ignore_count_remaining,
  };
  let releases = issue.releases;
  let environments = issue.environments;
  let lastSeen = issue.last_seen;
  let lastRelease: string | null = null;
  const regressions: Date[] = [];
  const unignored: Date[] = [];
  for (const event of events) {
    const outcome = applyEvent(state, event);
    state = outcome.state;
    if (outcome.regressed) regressions.push(event.received_at);
    if (outcome.unignored) unignored.push(event.received_at);
    releases = counted(releases, event.release);
    environments = counted(environments, event.environment);
    if (event.received_at > lastSeen) lastSeen = event.received_at;
    if (event.release !== null) lastRelease = event.release;
  }
  return {
    counts: {
      events: events.length,
      last_seen: lastSeen,
      last_release: lastRelease,
      releases,
      environments,
      state,
      regressed_at: regressions[regressions.length - 1] ?? null,
    },
    regressions,
    unignored,
  };
}
