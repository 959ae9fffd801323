import type { ErrorsProject } from '../config/projects-config';
import type { EventRow } from '../storage/issue.repository';
import type { IssueRow } from '../storage/issue-row';

/** An issue as the API shows it. */
export function issueView(row: IssueRow, projects: ReadonlyMap<string, ErrorsProject>) {
  return {
    id: row.id,
    project: { id: row.project_id, slug: projects.get(row.project_id)?.slug ?? null },
    title: row.title,
    culprit: row.culprit,
    level: row.level,
    status: row.status,
    substatus: row.substatus,
    first_seen: row.first_seen.toISOString(),
    last_seen: row.last_seen.toISOString(),
    count: row.times_seen,
    users: row.user_count,
    releases: row.releases,
    environments: row.environments,
    resolved_in_next_release: row.resolved_in_next_release,
    resolved_at: row.resolved_at?.toISOString() ?? null,
    ignore_until: row.ignore_until?.toISOString() ?? null,
    ignore_count_remaining: row.ignore_count_remaining,
    regressed_at: row.regressed_at?.toISOString() ?? null,
    merged_into: row.merged_into,
    grouping_version: row.grouping_version,
    fingerprint: row.fingerprint,
  };
}

/** A stored (scrubbed) event as the API shows it. */
export function eventView(row: EventRow) {
  return {
    event_id: row.event_id,
    issue_id: row.issue_id,
    received_at: row.received_at.toISOString(),
    occurred_at: row.occurred_at.toISOString(),
    level: row.level,
    release: row.release,
    environment: row.environment,
    scrub_rules: row.scrub_rules,
    event: row.event,
  };
}
