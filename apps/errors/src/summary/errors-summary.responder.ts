import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';

import {
  ERRORS_SUMMARY_SUBJECT,
  summaryRequestV1Schema,
  type ErrorsSummaryReplyV1,
  type SummaryRequestV1,
} from '@vigil/contracts';
import { NatsMessaging } from '@vigil/platform';

import { ERRORS_PROJECTS, type ErrorsProject } from '../config/projects-config';
import { SummaryRepository } from '../storage/summary.repository';

/** Answers errors.v1.summary for the weekly report: totals and the top 10 issues of [from, to). */
@Injectable()
export class ErrorsSummaryResponder implements OnApplicationBootstrap {
  private readonly slugs: ReadonlyMap<string, string>;

  constructor(
    private readonly messaging: NatsMessaging,
    private readonly repository: SummaryRepository,
    @Inject(ERRORS_PROJECTS) projects: readonly ErrorsProject[],
  ) {
    this.slugs = new Map(projects.map((p) => [p.id, p.slug]));
  }

  onApplicationBootstrap(): void {
    this.messaging.serve(ERRORS_SUMMARY_SUBJECT, summaryRequestV1Schema, (request) =>
      this.summarise(request),
    );
  }

  async summarise(request: SummaryRequestV1): Promise<ErrorsSummaryReplyV1> {
    const period = { from: new Date(request.from), to: new Date(request.to) };
    const [totals, top] = await Promise.all([
      this.repository.totals(period),
      this.repository.topIssues(period, 10),
    ]);
    return {
      from: request.from,
      to: request.to,
      ...totals,
      top_issues: top.map((row) => ({
        issue_id: row.issue_id,
        title: row.title,
        culprit: row.culprit,
        level: row.level,
        project: this.slugs.get(row.project_id) ?? row.project_id,
        count: row.count,
        users: row.users,
        status: row.status,
        new: row.first_seen >= period.from && row.first_seen < period.to,
        regressed: row.regressed,
        resolved: row.status === 'resolved' && row.resolved,
      })),
    };
  }
}
