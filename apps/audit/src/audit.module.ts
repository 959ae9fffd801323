import { DynamicModule, Module } from '@nestjs/common';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

import { PlatformModule } from '@vigil/platform';

import type { AuditConfig } from './config/audit-config';
import {
  AUDIT_EVENTS_REJECTED,
  AUDIT_EVENTS_STORED,
  AuditIngestService,
} from './ingest/audit-ingest.service';
import { AuditIngestConsumer } from './ingest/audit-ingest.consumer';
import { AUDIT_MIGRATIONS } from './migrations';
import { AuditEventsController } from './query/audit-events.controller';
import { AuditEventRepository } from './storage/audit-event.repository';
import { AuditSummaryResponder } from './summary/audit-summary.responder';

@Module({})
export class AuditModule {
  static forRoot(config: AuditConfig): DynamicModule {
    return {
      module: AuditModule,
      imports: [
        PlatformModule.forRoot({
          service: 'audit',
          config,
          database: { entities: [], migrations: AUDIT_MIGRATIONS },
        }),
      ],
      controllers: [AuditEventsController],
      providers: [
        AuditEventRepository,
        AuditIngestService,
        AuditIngestConsumer,
        AuditSummaryResponder,
        makeCounterProvider({ name: AUDIT_EVENTS_STORED, help: 'Audit events stored (new rows only)' }),
        makeCounterProvider({
          name: AUDIT_EVENTS_REJECTED,
          help: 'Audit events sent to AUDIT_DLQ',
          labelNames: ['reason'],
        }),
      ],
    };
  }
}
