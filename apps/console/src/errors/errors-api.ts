/** The parts of the errors service's issue API (`GET /errors/issues`, `GET /errors/issues/:id`) the pages show. */
export interface Issue {
  id: string;
  project: { id: string; slug: string | null };
  title: string;
  culprit: string | null;
  level: string;
  status: string;
  substatus: string | null;
  first_seen: string;
  last_seen: string;
  count: number;
  users: number;
  /** Events per release and per environment. */
  releases: Record<string, number>;
  environments: Record<string, number>;
  resolved_in_next_release: boolean;
  ignore_until: string | null;
  ignore_count_remaining: number | null;
  regressed_at: string | null;
}

export interface IssuePage {
  issues: Issue[];
  count: number;
  next_cursor: string | null;
}

export interface StoredEvent {
  event_id: string;
  received_at: string;
  level: string | null;
  release: string | null;
  environment: string | null;
  scrub_rules: Record<string, number> | null;
  /** The scrubbed Sentry event as stored: untrusted text throughout. */
  event: unknown;
}

export interface ActivityEntry {
  kind: string;
  at: string;
  actor: string | null;
  details: unknown;
}

export interface IssueDetail extends Issue {
  scrub_rules: Record<string, number> | null;
  latest_events: StoredEvent[];
  activity: ActivityEntry[];
}

/** The filters of the issue list, as the form sends them and the API takes them. */
export const ISSUE_FILTERS = ['status', 'level', 'project', 'environment', 'release', 'q'] as const;
export type IssueFilters = Partial<Record<(typeof ISSUE_FILTERS)[number] | 'cursor', string>>;
export const ISSUE_STATUSES = ['unresolved', 'resolved', 'ignored'] as const;
export const ISSUE_LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;
