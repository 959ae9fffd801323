import { DynamicModule, Module } from '@nestjs/common';
import { makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';

import { PlatformModule } from '@vigil/platform';

import { AlertExpiryJob } from './alerts/alert-expiry.job';
import { WatchdogCheckJob } from './alerts/watchdog-check.job';
import { AlertRepository } from './model/alert.repository';
import { AlertPipeline } from './intake/alert-pipeline';
import { AlertService } from './alerts/alert.service';
import { pipelinedPoolSize } from './model/prepared-transaction';
import { AlertsController } from './api/alerts.controller';
import { PostAlertsRoute } from './api/post-alerts.route';
import { SilencesController } from './api/silences.controller';
import { StatusController } from './api/status.controller';
import type { AlertingConfig } from './config/alerting-config';
import { IntegrationSender } from './delivery/integration.sender';
import { NotificationOutbox } from './delivery/notification-outbox';
import { NotificationRepository } from './delivery/notification.repository';
import { NOTIFICATION_ATTEMPTS, OutboxSender } from './delivery/outbox.sender';
import { AlertEventConsumer } from './ingest/alert-event.consumer';
import { AlertGroupRepository } from './grouping/alert-group.repository';
import { GroupMembership } from './grouping/group-membership';
import { GroupNotifier } from './grouping/group-notifier';
import { AuditPublisher } from './incidents/audit-publisher';
import { EpisodeRecorder } from './episodes/episode-recorder';
import { EpisodeRepository } from './episodes/episode.repository';
import { EscalationService } from './incidents/escalation.service';
import { IncidentService } from './incidents/incident.service';
import { IncidentsController } from './incidents/incidents.controller';
import { AlertIntake, ALERTS_RECEIVED } from './intake/alert-intake';
import { AlertIntakeRepository } from './intake/alert-intake.repository';
import { IntakeApplier, JOURNAL_QUARANTINED } from './intake/intake-applier';
import { JOURNAL_LAG_ENTRIES, JOURNAL_OLDEST_AGE, JournalHealth } from './intake/journal-health';
import { NEW_GROUP_PATH, NewGroupFastPath } from './intake/new-group-fast-path';
import { ALERTING_MIGRATIONS } from './migrations';
import { RoutingConfigService } from './routing/routing-config.service';
import { SilenceRepository } from './silences/silence.repository';
import { SilenceService } from './silences/silence.service';
import { AlertingSummaryController } from './summary/alerting-summary.controller';
import { AlertingSummaryResponder } from './summary/alerting-summary.responder';
import { TopAlertsRepository } from './summary/top-alerts.repository';
import { WatchdogArrivals } from './watchdog/watchdog-arrivals';
import { WatchdogRepository } from './watchdog/watchdog.repository';

@Module({})
export class AlertingModule {
  static forRoot(config: AlertingConfig): DynamicModule {
    return {
      module: AlertingModule,
      imports: [
        PlatformModule.forRoot({
          service: 'alerting',
          config,
          database: { entities: [], migrations: ALERTING_MIGRATIONS, ownPoolSize: pipelinedPoolSize },
          fastRoutes: [PostAlertsRoute],
        }),
      ],
      controllers: [
        AlertsController,
        IncidentsController,
        SilencesController,
        StatusController,
        AlertingSummaryController,
      ],
      providers: [
        RoutingConfigService,
        SilenceRepository,
        SilenceService,
        AlertRepository,
        AlertGroupRepository,
        GroupMembership,
        GroupNotifier,
        EpisodeRepository,
        EpisodeRecorder,
        IncidentService,
        EscalationService,
        AuditPublisher,
        AlertIntakeRepository,
        AlertPipeline,
        IntakeApplier,
        JournalHealth,
        NewGroupFastPath,
        AlertIntake,
        AlertService,
        PostAlertsRoute,
        AlertExpiryJob,
        WatchdogRepository,
        WatchdogArrivals,
        WatchdogCheckJob,
        NotificationRepository,
        NotificationOutbox,
        IntegrationSender,
        OutboxSender,
        AlertEventConsumer,
        AlertingSummaryResponder,
        TopAlertsRepository,
        makeCounterProvider({
          name: ALERTS_RECEIVED,
          help: 'Alerts received, by transport',
          labelNames: ['source'],
        }),
        makeCounterProvider({
          name: NEW_GROUP_PATH,
          help: 'Lone requests of new alerts opening new groups written in one round trip (applied), or whose guess was wrong (fallback)',
          labelNames: ['result'],
        }),
        makeCounterProvider({
          name: JOURNAL_QUARANTINED,
          help: 'Intake journal entries quarantined because they cannot be applied, by reason (SQLSTATE, undecodable, repeated)',
          labelNames: ['reason'],
        }),
        makeGaugeProvider({
          name: JOURNAL_LAG_ENTRIES,
          help: 'Accepted alert requests journalled and not yet applied (every replica reports the shared journal)',
        }),
        makeGaugeProvider({
          name: JOURNAL_OLDEST_AGE,
          help: 'How long the oldest journalled alert request has waited to be applied, in seconds (0 when none waits)',
        }),
        makeCounterProvider({
          name: NOTIFICATION_ATTEMPTS,
          help: 'Notification delivery attempts, by result (delivered, retry, failed)',
          labelNames: ['result'],
        }),
      ],
    };
  }
}
