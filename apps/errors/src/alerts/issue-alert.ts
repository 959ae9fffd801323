import { alertEventV1Schema, type AlertEventV1, type Severity } from '@vigil/contracts';

export const ISSUE_ALERT_NAMES = {
  new: 'NewErrorIssue',
  regression: 'ErrorIssueRegressed',
  spike: 'ErrorSpike',
} as const;
export type IssueAlertKind = keyof typeof ISSUE_ALERT_NAMES;

export interface IssueAlertInput {
  kind: IssueAlertKind;
  issue: { id: string; title: string; culprit: string | null; level: string };
  project_slug: string;
  severity: Severity;
  startsAt: Date;
  /** Link to the issue in the errors API (ERRORS_PUBLIC_URL + /errors/issues/<id>). */
  link: string;
  /** The spike rule, for its description. */
  spike?: { events: number; minutes: number };
}

function summaryOf(input: IssueAlertInput): string {
  const { issue, project_slug } = input;
  switch (input.kind) {
    case 'new':
      return `New error in ${project_slug}: ${issue.title}`;
    case 'regression':
      return `Resolved error came back in ${project_slug}: ${issue.title}`;
    case 'spike':
      return `${input.spike?.events ?? 'Many'} events in ${input.spike?.minutes ?? '?'} min in ${project_slug}: ${issue.title}`;
  }
}

/**
 * The AlertEvent of an issue alert. Its labels (alertname, severity, service = project slug,
 * issue_id) are the identity alerting groups and resolves by, so the resolution repeats them.
 */
export function issueAlert(input: IssueAlertInput): AlertEventV1 {
  return alertEventV1Schema.parse({
    labels: {
      alertname: ISSUE_ALERT_NAMES[input.kind],
      severity: input.severity,
      service: input.project_slug,
      issue_id: input.issue.id,
    },
    annotations: {
      summary: summaryOf(input),
      title: input.issue.title.slice(0, 1024),
      culprit: input.issue.culprit ?? '',
      level: input.issue.level,
      link: input.link,
    },
    startsAt: input.startsAt.toISOString(),
  });
}
