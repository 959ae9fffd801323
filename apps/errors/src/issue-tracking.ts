import type { Provider, Type } from '@nestjs/common';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

import { IssueAlerts } from './alerts/issue-alerts';
import { IssueAlertsPublisher } from './alerts/issue-alerts.publisher';
import { ErrorsIngestConsumer } from './ingest/errors-ingest.consumer';
import {
  ERRORS_EVENTS_REJECTED,
  ERRORS_EVENTS_STORED,
  ErrorsIngestService,
} from './ingest/errors-ingest.service';
import { ProjectRedactors } from './ingest/project-redactors';
import { EVENT_PIPELINE } from './ingest/event-pipeline';
import { sentryPipeline } from './ingest/sentry-pipeline';
import { IssuesController } from './issues/issues.controller';
import { IssuesService } from './issues/issues.service';
import { RetentionService } from './retention/retention.service';
import { ErrorEventStore } from './storage/error-event.store';
import { IssueRepository } from './storage/issue.repository';
import { RetentionRepository } from './storage/retention.repository';
import { SummaryRepository } from './storage/summary.repository';
import { ErrorsSummaryResponder } from './summary/errors-summary.responder';

export { ERRORS_MIGRATIONS } from './migrations';

/**
 * The consumer side of the errors service: ERRORS ingest (scrub, group, store), issues and their API,
 * alerts, errors.v1.summary and retention. ErrorsModule adds these beside the intake.
 */
export const ISSUE_TRACKING_CONTROLLERS: Type[] = [IssuesController];

export const ISSUE_TRACKING_PROVIDERS: Provider[] = [
  { provide: EVENT_PIPELINE, useValue: sentryPipeline },
  ProjectRedactors,
  ErrorEventStore,
  IssueRepository,
  SummaryRepository,
  RetentionRepository,
  IssueAlerts,
  IssueAlertsPublisher,
  IssuesService,
  ErrorsIngestService,
  ErrorsIngestConsumer,
  ErrorsSummaryResponder,
  RetentionService,
  makeCounterProvider({
    name: ERRORS_EVENTS_STORED,
    help: 'Error events stored (new events only, not redeliveries), by project slug',
    labelNames: ['project'],
  }),
  makeCounterProvider({
    name: ERRORS_EVENTS_REJECTED,
    help: 'Error events sent to ERRORS_DLQ by the consumer, by reason',
    labelNames: ['reason'],
  }),
];
