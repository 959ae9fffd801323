import { DynamicModule, Module } from '@nestjs/common';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

import { PlatformModule } from '@vigil/platform';

import { AlertExpiryJob } from './alerts/alert-expiry.job';
import { AlertRepository } from './alerts/alert.repository';
import { ALERTS_RECEIVED, AlertService } from './alerts/alert.service';
import { AlertsController } from './api/alerts.controller';
import { StatusController } from './api/status.controller';
import type { AlertingConfig } from './config/alerting-config';
import { NotificationOutbox } from './delivery/notification-outbox';
import { NotificationRepository } from './delivery/notification.repository';
import { NOTIFICATION_ATTEMPTS, OutboxSender } from './delivery/outbox.sender';
import { WebhookReceiver } from './delivery/webhook.receiver';
import { AlertEventConsumer } from './ingest/alert-event.consumer';
import { ALERTING_MIGRATIONS } from './migrations';
import { AlertingSummaryResponder } from './summary/alerting-summary.responder';

@Module({})
export class AlertingModule {
  static forRoot(config: AlertingConfig): DynamicModule {
    return {
      module: AlertingModule,
      imports: [
        PlatformModule.forRoot({
          service: 'alerting',
          config,
          database: { entities: [], migrations: ALERTING_MIGRATIONS },
        }),
      ],
      controllers: [AlertsController, StatusController],
      providers: [
        AlertRepository,
        AlertService,
        AlertExpiryJob,
        NotificationRepository,
        NotificationOutbox,
        WebhookReceiver,
        OutboxSender,
        AlertEventConsumer,
        AlertingSummaryResponder,
        makeCounterProvider({
          name: ALERTS_RECEIVED,
          help: 'Alerts received, by transport',
          labelNames: ['source'],
        }),
        makeCounterProvider({
          name: NOTIFICATION_ATTEMPTS,
          help: 'Webhook delivery attempts, by result (delivered, retry, failed)',
          labelNames: ['result'],
        }),
      ],
    };
  }
}
