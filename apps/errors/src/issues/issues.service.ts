import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';

import { alertEventV1Schema } from '@vigil/contracts';
import { AuditPublisher } from '@vigil/platform';

import { IssueAlertsPublisher } from '../alerts/issue-alerts.publisher';
import { ERRORS_PROJECTS, type ErrorsProject } from '../config/projects-config';
import { IssueRepository } from '../storage/issue.repository';
import type { IssueRow } from '../storage/issue-row';
import { applyStatusChange, type StatusChange } from './issue-status';
import type { StatusChangeBody } from './issue-query';

/** Who asked (the API key's name, or `oidc:<sub>`), for the history and the audit trail. */
export type Actor = string;

/**
 * Status changes and merges: each in one transaction with its history entry, then published as an
 * AuditEvent (errors.issue.status_changed, errors.issue.merged) with the key as actor. Resolving an
 * issue resolves its open alerts (alerts.v1.resolved with the labels they fired with).
 */
@Injectable()
export class IssuesService {
  private readonly projects: ReadonlyMap<string, ErrorsProject>;

  constructor(
    @Inject(ERRORS_PROJECTS) projects: readonly ErrorsProject[],
    private readonly repository: IssueRepository,
    private readonly alerts: IssueAlertsPublisher,
    private readonly audit: AuditPublisher,
  ) {
    this.projects = new Map(projects.map((p) => [p.id, p]));
  }

  projectMap(): ReadonlyMap<string, ErrorsProject> {
    return this.projects;
  }

  /** Ids of the projects a `project` filter (slug or id) names; empty when none does. */
  projectIds(project: string): string[] {
    return [...this.projects.values()].filter((p) => p.slug === project || p.id === project).map((p) => p.id);
  }

  async changeStatus(id: string, body: StatusChangeBody, actor: Actor): Promise<IssueRow> {
    const change = toChange(body);
    const at = new Date();
    const { before, after, closed } = await this.repository.transaction(async (manager) => {
      const issue = await this.repository.lock(manager, id);
      if (!issue) throw new NotFoundException({ message: `no issue ${id}`, details: { id } });
      if (issue.merged_into !== null) throw merged(issue);
      const state = applyStatusChange(issue, change, issue.last_release);
      await this.repository.setStatus(manager, id, state, at);
      await this.repository.recordActivity(manager, id, 'status_changed', at, actor, {
        from: issue.status,
        to: state.status,
        ...body,
      });
      const open = state.status === 'resolved' ? await this.repository.closeAlerts(manager, id, at) : [];
      return { before: issue, after: (await this.repository.byId(id, manager))!, closed: open };
    });
    for (const row of closed) await this.alerts.resolve(alertEventV1Schema.parse(row.alert), at);
    await this.audit.publish({
      actor: { type: 'user', id: actor },
      action: 'errors.issue.status_changed',
      resource: { type: 'error_issue', id },
      outcome: 'success',
      changes: { status: { before: before.status, after: after.status } },
      metadata: { project_id: after.project_id, request: body },
    });
    return after;
  }

  async merge(id: string, into: string, actor: Actor): Promise<IssueRow> {
    if (id === into)
      throw new BadRequestException({
        message: 'an issue cannot be merged into itself',
        details: { id, into },
      });
    const target = await this.repository.transaction(async (manager) => {
      // Locked in id order, so two opposite merges cannot deadlock.
      const [first, second] = [id, into].sort((a, b) => Number(a) - Number(b));
      const locked = new Map<string, IssueRow | undefined>();
      locked.set(first, await this.repository.lock(manager, first));
      locked.set(second, await this.repository.lock(manager, second));
      const source = locked.get(id);
      const destination = locked.get(into);
      if (!source) throw new NotFoundException({ message: `no issue ${id}`, details: { id } });
      if (!destination) throw new NotFoundException({ message: `no issue ${into}`, details: { into } });
      if (source.merged_into !== null) throw merged(source);
      if (destination.merged_into !== null) throw merged(destination);
      if (source.project_id !== destination.project_id)
        throw new BadRequestException({
          message: 'issues of different projects cannot be merged',
          details: { id, into },
        });
      const at = new Date();
      await this.repository.merge(manager, source, destination);
      await this.repository.recordActivity(manager, into, 'merged', at, actor, { from: id });
      await this.repository.recordActivity(manager, id, 'merged_into', at, actor, { into });
      return (await this.repository.byId(into, manager))!;
    });
    await this.audit.publish({
      actor: { type: 'user', id: actor },
      action: 'errors.issue.merged',
      resource: { type: 'error_issue', id },
      outcome: 'success',
      changes: { merged_into: { before: null, after: into } },
      metadata: { project_id: target.project_id, into },
    });
    return target;
  }
}

function toChange(body: StatusChangeBody): StatusChange {
  switch (body.status) {
    case 'unresolved':
      return { status: 'unresolved' };
    case 'resolved':
      return { status: 'resolved', in_next_release: body.in_next_release ?? false };
    case 'ignored':
      return {
        status: 'ignored',
        ignore_until: body.ignore_until ? new Date(body.ignore_until) : null,
        ignore_count: body.ignore_count ?? null,
      };
  }
}

function merged(issue: IssueRow): ConflictException {
  return new ConflictException({
    message: `issue ${issue.id} was merged into ${issue.merged_into}`,
    details: { id: issue.id, merged_into: issue.merged_into },
  });
}
