import { Injectable } from '@nestjs/common';

import type { AlertEventV1, Severity } from '@vigil/contracts';

import type { ErrorsProject } from '../config/projects-config';
import type { EventWriter } from '../storage/error-event.store';
import type { IssueRow } from '../storage/issue-row';
import { severityFor, type AlertSubject } from './alert-rules';
import { issueAlert, type IssueAlertKind } from './issue-alert';

/** Path of an issue in the errors API, the alerts' `link` annotation. */
export const issuePath = (issueId: string) => `/errors/issues/${issueId}`;

export interface StoredEventContext {
  project: ErrorsProject;
  issue: Pick<IssueRow, 'id' | 'title' | 'culprit' | 'level' | 'spike_alerted_at'>;
  facts: { alert: Omit<AlertSubject, 'culprit'> };
  created: boolean;
  regressed: boolean;
  received_at: Date;
}

/**
 * Which alerts one stored event raises: NewErrorIssue for a new issue, ErrorIssueRegressed when a
 * resolved issue came back, ErrorSpike when the issue reached the project's `spike` (N events in M
 * minutes; once per M minutes). Severity: the project's first matching alert rule, else high (the
 * spike rule's own severity for spikes). Each is recorded with the issue in the event's transaction,
 * and published after the commit.
 */
@Injectable()
export class IssueAlerts {
  async forStoredEvent(writer: EventWriter, context: StoredEventContext): Promise<AlertEventV1[]> {
    const { project, issue, facts, received_at } = context;
    const severity = severityFor(project.alert_rules, { ...facts.alert, culprit: issue.culprit });
    const kinds: { kind: IssueAlertKind; severity: Severity }[] = [];
    if (context.created) kinds.push({ kind: 'new', severity });
    if (context.regressed) kinds.push({ kind: 'regression', severity });
    if (project.spike && (await this.spiking(writer, context, project.spike)))
      kinds.push({ kind: 'spike', severity: project.spike.severity });
    const alerts: AlertEventV1[] = [];
    for (const { kind, severity: level } of kinds) {
      const alert = issueAlert({
        kind,
        issue,
        project_slug: project.slug,
        severity: level,
        startsAt: received_at,
        link: issuePath(issue.id),
        spike: project.spike,
      });
      if (await writer.recordAlert(issue.id, alert.labels.alertname, alert.startsAt, alert))
        alerts.push(alert);
    }
    return alerts;
  }

  private async spiking(
    writer: EventWriter,
    { issue, received_at }: StoredEventContext,
    spike: { events: number; minutes: number },
  ): Promise<boolean> {
    const since = new Date(received_at.getTime() - spike.minutes * 60_000);
    if (issue.spike_alerted_at !== null && issue.spike_alerted_at > since) return false;
    if ((await writer.recentEvents(issue.id, since, spike.events)) < spike.events) return false;
    await writer.markSpikeAlerted(issue.id, received_at);
    return true;
  }
}
