import { DynamicModule, Module } from '@nestjs/common';

import { PlatformModule } from '@vigil/platform';

import { StatusController } from './api/status.controller';
import { CheckScheduler } from './scheduling/check-scheduler';
import { HttpChecker } from './checks/http-checker';
import { NatsChecker } from './checks/nats-checker';
import { PostgresChecker } from './checks/postgres-checker';
import { SyntheticChecker } from './checks/synthetic-checker';
import { TargetChecker } from './checks/target-checker';
import { TcpChecker } from './checks/tcp-checker';
import { probeMetricProviders } from './checks/probe-metrics';
import type { HealthConfig } from './config/health-config';
import { CheckHistoryRepository } from './history/check-history.repository';
import { RetentionJob } from './history/retention.job';
import { replicaIdProvider } from './config/replica-id';
import { TargetLeaseRepository } from './leases/target-lease.repository';
import { TargetLeases } from './leases/target-leases.service';
import { HEALTH_MIGRATIONS } from './migrations';
import { PING_BODY_PATHS, PING_SECRET_PATHS } from './heartbeats/pings/ping-intake';
import { PingController } from './heartbeats/pings/ping.controller';
import { PING_FAST_ROUTES, pingProviders } from './heartbeats/pings/ping-providers';
import { TargetStateRepository } from './state/target-state.repository';
import { TargetStateService } from './state/target-state.service';
import { StatusViewService } from './status/status-view.service';
import { HealthSummaryResponder } from './summary/health-summary.responder';
import type { TargetDefinition } from './targets/target-definition';
import { HEALTH_TARGETS } from './targets/targets.tokens';
import { TargetCatalog } from './targets/target-catalog';

@Module({})
export class HealthModule {
  /** `targets` come from the validated TARGETS_FILE (see service.ts). */
  static forRoot(config: HealthConfig, targets: readonly TargetDefinition[]): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        PlatformModule.forRoot({
          service: 'health',
          config,
          database: { entities: [], migrations: HEALTH_MIGRATIONS },
          streamedBodies: PING_BODY_PATHS,
          secretPaths: PING_SECRET_PATHS,
          fastRoutes: PING_FAST_ROUTES,
        }),
      ],
      controllers: [StatusController, PingController],
      providers: [
        { provide: HEALTH_TARGETS, useValue: targets },
        TargetCatalog,
        HttpChecker,
        TcpChecker,
        PostgresChecker,
        NatsChecker,
        SyntheticChecker,
        TargetChecker,
        TargetStateRepository,
        CheckHistoryRepository,
        RetentionJob,
        replicaIdProvider,
        TargetLeaseRepository,
        TargetLeases,
        StatusViewService,
        TargetStateService,
        CheckScheduler,
        HealthSummaryResponder,
        ...probeMetricProviders,
        ...pingProviders,
      ],
    };
  }
}
