import { Injectable } from '@nestjs/common';

import type { AlertEventV1, Severity } from '@vigil/contracts';

import type { ErrorsProject } from '../config/projects-config';
import type { EventWriter } from '../storage/error-event.store';
import type { IssueRow } from '../storage/issue-row';
import { severityFor, type AlertSubject } from './alert-rules';
import { issueAlert, type IssueAlertKind } from './issue-alert';

/** Path of an issue in the errors API, the alerts' `link` annotation. */
export const issuePath = (issueId: string) => `/errors/issues/${issueId}`;

/** A batch's stored events of one issue, as the alerts see them. */
export interface StoredEventsContext {
  project: ErrorsProject;
  issue: Pick<IssueRow, 'id' | 'title' | 'culprit' | 'level' | 'spike_alerted_at' | 'times_seen'>;
  /** How many of the issue's events the batch stored. */
  events: number;
  /** Alert-rule inputs of the newest of those events. */
  facts: { alert: Omit<AlertSubject, 'culprit'> };
  /** When the issue was created by them (null: it existed). */
  created_at: Date | null;
  /** When a regression reopened it (null: none). */
  regressed_at: Date | null;
  /** When the newest of them was received. */
  last_at: Date;
}

/**
 * Which alerts a batch's stored events of one issue raise: NewErrorIssue for a new issue, ErrorIssueRegressed when a
 * resolved issue came back, ErrorSpike when the issue reached the project's `spike` (N events in M
 * minutes; once per M minutes). Severity: the project's first matching alert rule, else high (the
 * spike rule's own severity for spikes). Each is recorded with the issue in the batch's transaction,
 * and published after the commit.
 */
@Injectable()
export class IssueAlerts {
  async forStoredEvents(writer: EventWriter, context: StoredEventsContext): Promise<AlertEventV1[]> {
    const { project, issue, facts } = context;
    const severity = severityFor(project.alert_rules, { ...facts.alert, culprit: issue.culprit });
    const kinds: { kind: IssueAlertKind; severity: Severity; at: Date }[] = [];
    if (context.created_at) kinds.push({ kind: 'new', severity, at: context.created_at });
    if (context.regressed_at) kinds.push({ kind: 'regression', severity, at: context.regressed_at });
    if (project.spike && (await this.spiking(writer, context, project.spike, context.events)))
      kinds.push({ kind: 'spike', severity: project.spike.severity, at: context.last_at });
    const alerts: AlertEventV1[] = [];
    for (const { kind, severity: level, at } of kinds) {
      const alert = issueAlert({
        kind,
        issue,
        project_slug: project.slug,
        severity: level,
        startsAt: at,
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
    { issue, last_at }: StoredEventsContext,
    spike: { events: number; minutes: number },
    groupSize: number,
  ): Promise<boolean> {
    const since = new Date(last_at.getTime() - spike.minutes * 60_000);
    if (issue.spike_alerted_at !== null && issue.spike_alerted_at > since) return false;
    // An issue with fewer events in all than the rule asks for cannot be spiking: no query.
    if (issue.times_seen + groupSize < spike.events) return false;
    if ((await writer.recentEvents(issue.id, since, spike.events)) < spike.events) return false;
    await writer.markSpikeAlerted(issue.id, last_at);
    return true;
  }
}
