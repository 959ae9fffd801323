import type { ErrorIssueStatus } from '@vigil/contracts';

/** An error_issues row as the service reads it (timestamps as Date, counters as numbers). */
export interface IssueRow {
  id: string;
  project_id: string;
  grouping_version: string;
  fingerprint: string;
  title: string;
  culprit: string | null;
  level: string;
  status: ErrorIssueStatus;
  substatus: 'new' | 'regressed' | 'ongoing' | null;
  resolved_in_next_release: boolean;
  resolved_release: string | null;
  resolved_at: Date | null;
  ignore_until: Date | null;
  ignore_count_remaining: number | null;
  first_seen: Date;
  last_seen: Date;
  times_seen: number;
  user_count: number;
  last_release: string | null;
  releases: Record<string, number>;
  environments: Record<string, number>;
  regressed_at: Date | null;
  spike_alerted_at: Date | null;
  merged_into: string | null;
}

/** The columns of IssueRow, for SELECT lists. */
export const ISSUE_COLUMNS = `id::text AS id, project_id, grouping_version, fingerprint, title, culprit, level,
  status, substatus, resolved_in_next_release, resolved_release, resolved_at, ignore_until,
  ignore_count_remaining, first_seen, last_seen, times_seen::int AS times_seen, user_count::int AS user_count,
  last_release, releases, environments, regressed_at, spike_alerted_at, merged_into::text AS merged_into`;

/**
 * What an issue's status is made of. `substatus` says why an unresolved issue is unresolved: `new`
 * (never resolved), `regressed` (it was resolved and came back), `ongoing` (reopened by hand, or an
 * ignore ran out).
 */
export interface IssueStatusState {
  status: ErrorIssueStatus;
  substatus: 'new' | 'regressed' | 'ongoing' | null;
  /** Resolved "in next release": events of `resolved_release` do not reopen the issue. */
  resolved_in_next_release: boolean;
  /** The issue's latest release when it was resolved (null: none seen). */
  resolved_release: string | null;
  /** Ignored until this instant (null: no date limit). */
  ignore_until: Date | null;
  /** Ignored for this many more events (null: no count limit). */
  ignore_count_remaining: number | null;
}
