import type { IssueStatusState } from '../storage/issue-row';

export type { IssueStatusState };
export interface IncomingEvent {
  release: string | null;
  received_at: Date;
}

export type EventOutcome = {
  state: IssueStatusState;
  /** A resolved issue came back: it reopens as regressed (and alerts). */
  regressed: boolean;
  /** An ignore ran out (its date passed or its event count was used up). */
  unignored: boolean;
};

export const UNRESOLVED_NEW: IssueStatusState = {
  status: 'unresolved',
  substatus: 'new',
  resolved_in_next_release: false,
  resolved_release: null,
  ignore_until: null,
  ignore_count_remaining: null,
};

const reopened = (substatus: 'regressed' | 'ongoing'): IssueStatusState => ({
  ...UNRESOLVED_NEW,
  substatus,
});

/**
 * The status after one more event of the issue (Sentry's semantics):
 * - resolved: any event reopens it as a regression, except, when resolved "in next release", an event
 *   of the release the issue was resolved in (the fix ships in a later one; an event without a release
 *   counts as that release only when the issue had none either);
 * - ignored: back to unresolved once `ignore_until` has passed or the event count is used up; an
 *   ignore without limits lasts until changed by hand;
 * - unresolved: unchanged.
 */
export function applyEvent(state: IssueStatusState, event: IncomingEvent): EventOutcome {
  switch (state.status) {
    case 'unresolved':
      return { state, regressed: false, unignored: false };
    case 'resolved': {
      if (state.resolved_in_next_release && event.release === state.resolved_release) {
        return { state, regressed: false, unignored: false };
      }
      return { state: reopened('regressed'), regressed: true, unignored: false };
    }
    case 'ignored': {
      if (state.ignore_until !== null && event.received_at.getTime() >= state.ignore_until.getTime()) {
        return { state: reopened('ongoing'), regressed: false, unignored: true };
      }
      if (state.ignore_count_remaining !== null) {
        const remaining = state.ignore_count_remaining - 1;
        if (remaining <= 0) return { state: reopened('ongoing'), regressed: false, unignored: true };
        return { state: { ...state, ignore_count_remaining: remaining }, regressed: false, unignored: false };
      }
      return { state, regressed: false, unignored: false };
    }
  }
}

/** A status change asked for through the API (validated by its zod schema first). */
export type StatusChange =
  | { status: 'unresolved' }
  | { status: 'resolved'; in_next_release: boolean }
  | { status: 'ignored'; ignore_until: Date | null; ignore_count: number | null };

/** The state after `change`; `latestRelease` is the issue's newest release (for "in next release"). */
export function applyStatusChange(
  state: IssueStatusState,
  change: StatusChange,
  latestRelease: string | null,
): IssueStatusState {
  switch (change.status) {
    case 'unresolved':
      return state.status === 'unresolved' ? state : reopened('ongoing');
    case 'resolved':
      return {
        ...UNRESOLVED_NEW,
        status: 'resolved',
        substatus: null,
        resolved_in_next_release: change.in_next_release,
        resolved_release: change.in_next_release ? latestRelease : null,
      };
    case 'ignored':
      return {
        ...UNRESOLVED_NEW,
        status: 'ignored',
        substatus: null,
        ignore_until: change.ignore_until,
        ignore_count_remaining: change.ignore_count,
      };
  }
}
