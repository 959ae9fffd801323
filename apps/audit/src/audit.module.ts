import { DynamicModule, Module } from '@nestjs/common';
import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { DataSource } from 'typeorm';

import { PlatformModule } from '@vigil/platform';

import type { AuditConfig } from './config/audit-config';
import {
  AUDIT_EVENTS_DUPLICATE_CONFLICTS,
  AUDIT_EVENTS_INGESTED,
  AUDIT_EVENTS_REJECTED,
  AUDIT_INGEST_BATCH_DURATION,
  AUDIT_INGEST_BATCH_SIZE,
  AuditIngestService,
} from './ingest/audit-ingest.service';
import { ActivityMetrics, AUDIT_ADMIN_ACTIONS, AUDIT_PRIVACY_EVENTS } from './ingest/activity-metrics';
import { AuditIngestConsumer } from './ingest/audit-ingest.consumer';
import { AUDIT_INTAKE_PATH, AuditIntakeController } from './http-intake/audit-intake.controller';
import { AUDIT_HTTP_INTAKE_EVENTS, AuditIntakeService } from './http-intake/audit-intake.service';
import {
  AUDIT_CONSUMER_ACK_PENDING,
  AUDIT_CONSUMER_PENDING,
  ConsumerLagSampler,
} from './ingest/consumer-lag.sampler';
import { CheckpointService } from './integrity/checkpoint.service';
import { IntegrityController } from './integrity/integrity.controller';
import { AUDIT_INTEGRITY_BROKEN, IntegrityStatus } from './integrity/integrity-status';
import { ReadTrail } from './read-trail/read-trail';
import { RetentionStallAlarm } from './retention/retention-stall-alarm';
import { signingKeyProviders } from './integrity/signing-key.provider';
import { AUDIT_MIGRATIONS } from './migrations';
import { AuditExportController } from './export/audit-export.controller';
import { AuditExportService } from './export/audit-export.service';
import { MerkleLogController } from './merkle/merkle-log.controller';
import { MerkleLogService } from './merkle/merkle-log.service';
import { LogCheckpointService } from './merkle/log-checkpoint.service';
import { LogTilesController } from './merkle/log-tiles.controller';
import { WitnessController } from './merkle/witness.controller';
import { AuditEventsController } from './query/audit-events.controller';
import { DetectionQueryRepository } from './query/detection-query.repository';
import { DetectionsController } from './query/detections.controller';
import { AUDIT_DETECTIONS, DetectionService } from './detect/detection.service';
import { AuditEventRepository } from './storage/audit-event.repository';
import { DetectionRepository } from './detect/detection.repository';
import { AuditQueryRepository } from './query/audit-query.repository';
import { RetentionRepository } from './storage/retention.repository';
import { RetentionService } from './retention/retention.service';
import { AuditSummaryResponder } from './summary/audit-summary.responder';
import { ErasureController } from './erasure/erasure.controller';
import { EventSealer } from './erasure/event-sealer';
import { SubjectEraser } from './erasure/subject-eraser';
import { subjectKeysProvider } from './erasure/subject-keys.provider';
import { SubjectKeyStore } from './storage/subject-key.store';
import { sqlFromDataSource } from './storage/sql';

/** The erase route names a person in its path: access logs and denial events show it masked. */
const SUBJECT_PATHS = [{ pattern: /\/audit\/subjects\/[^/?]+/, replacement: '/audit/subjects/[subject]' }];

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
          // Each event of a batch is checked on its own: one bad event must not refuse the others.
          itemCheckedBodies: [AUDIT_INTAKE_PATH],
          secretPaths: SUBJECT_PATHS,
        }),
      ],
      controllers: [
        AuditEventsController,
        IntegrityController,
        AuditIntakeController,
        MerkleLogController,
        WitnessController,
        LogTilesController,
        ErasureController,
        DetectionsController,
        AuditExportController,
      ],
      providers: [
        {
          provide: SubjectKeyStore,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new SubjectKeyStore(sqlFromDataSource(dataSource)),
        },
        subjectKeysProvider,
        EventSealer,
        SubjectEraser,
        DetectionQueryRepository,
        AuditEventRepository,
        AuditQueryRepository,
        DetectionRepository,
        RetentionRepository,
        RetentionService,
        RetentionStallAlarm,
        DetectionService,
        ActivityMetrics,
        AuditIngestService,
        AuditIngestConsumer,
        AuditSummaryResponder,
        AuditIntakeService,
        ConsumerLagSampler,
        CheckpointService,
        MerkleLogService,
        LogCheckpointService,
        AuditExportService,
        IntegrityStatus,
        ReadTrail,
        ...signingKeyProviders,
        makeGaugeProvider({
          name: AUDIT_INTEGRITY_BROKEN,
          help: 'Whether the last verification found the audit log (category) broken: 1 broken, 0 intact',
          labelNames: ['category'],
        }),
        makeCounterProvider({
          name: AUDIT_EVENTS_INGESTED,
          help: 'Audit events stored (new rows only), by source',
          labelNames: ['source'],
        }),
        makeCounterProvider({
          name: AUDIT_HTTP_INTAKE_EVENTS,
          help: 'Events posted to POST /audit/v1/events, by result (accepted, invalid, forbidden, conflict, failed)',
          labelNames: ['result'],
        }),
        makeCounterProvider({
          name: AUDIT_EVENTS_REJECTED,
          help: 'Audit events sent to AUDIT_DLQ, by reason',
          labelNames: ['reason'],
        }),
        makeCounterProvider({
          name: AUDIT_EVENTS_DUPLICATE_CONFLICTS,
          help: 'Audit events whose id was already stored with different content (sent to AUDIT_DLQ), by source',
          labelNames: ['source'],
        }),
        makeCounterProvider({
          name: AUDIT_PRIVACY_EVENTS,
          help: 'Privacy actions (privacy.*) stored, by source and outcome',
          labelNames: ['source', 'outcome'],
        }),
        makeCounterProvider({
          name: AUDIT_ADMIN_ACTIONS,
          help: 'Admin actions stored, by source and action',
          labelNames: ['source', 'action'],
        }),
        makeCounterProvider({
          name: AUDIT_DETECTIONS,
          help: 'Detector rule matches published as alerts',
          labelNames: ['rule', 'severity'],
        }),
        makeHistogramProvider({
          name: AUDIT_INGEST_BATCH_SIZE,
          help: 'Messages per fetched ingest batch',
          buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000],
        }),
        makeHistogramProvider({
          name: AUDIT_INGEST_BATCH_DURATION,
          help: 'Time to validate, redact, store and ack one batch',
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        }),
        makeGaugeProvider({
          name: AUDIT_CONSUMER_PENDING,
          help: 'Messages in AUDIT not yet delivered to the audit-ingest consumer (lag)',
        }),
        makeGaugeProvider({
          name: AUDIT_CONSUMER_ACK_PENDING,
          help: 'Messages delivered to audit-ingest and not yet acked',
        }),
      ],
    };
  }
}
