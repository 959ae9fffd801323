import { DynamicModule, Module } from '@nestjs/common';

import { PlatformModule } from '@vigil/platform';

import { StatusController } from './api/status.controller';
import { CertificateExpiryAlerts } from './certs/cert-expiry-alerts';
import { CertificateExpiryRepository } from './certs/cert-expiry.repository';
import { CheckScheduler } from './scheduling/check-scheduler';
import { SuppressedAlertRecheck } from './scheduling/suppressed-alert-recheck';
import { MaintenanceCalendar } from './maintenance/maintenance-calendar.service';
import { MaintenanceController } from './maintenance/maintenance.controller';
import { MaintenanceWindowRepository } from './maintenance/maintenance-window.repository';
import type { MaintenanceWindow } from './targets/maintenance-window';
import { HttpChecker } from './checks/http-checker';
import { NatsChecker } from './checks/nats-checker';
import { PostgresChecker } from './checks/postgres-checker';
import { LastValueRepository } from './checks/last-value.repository';
import { SqlChecker } from './checks/sql-checker';
import { SyntheticChecker } from './checks/synthetic-checker';
import { TargetChecker } from './checks/target-checker';
import { TcpChecker } from './checks/tcp-checker';
import { probeMetricProviders } from './checks/probe-metrics';
import type { HealthConfig } from './config/health-config';
import { HeartbeatEvaluationRepository } from './heartbeats/evaluation/heartbeat-evaluation.repository';
import { HeartbeatEvaluator } from './heartbeats/evaluation/heartbeat-evaluator';
import { HeartbeatMonitorRepository } from './heartbeats/monitors/heartbeat-monitor.repository';
import { HeartbeatMonitorsController } from './heartbeats/monitors/heartbeat-monitors.controller';
import { HeartbeatMonitors } from './heartbeats/monitors/heartbeat-monitors.service';
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
import { StatusHistoryRepository } from './history/status-history.repository';
import { StatusViewService } from './status/status-view.service';
import { HealthSummaryResponder } from './summary/health-summary.responder';
import type { TargetDefinition } from './targets/target-definition';
import { HEALTH_GLOBAL_MAINTENANCE, HEALTH_TARGETS } from './targets/targets.tokens';
import { TargetCatalog } from './targets/target-catalog';

@Module({})
export class HealthModule {
  /** `targets` and the global `maintenance` windows come from the validated TARGETS_FILE (see service.ts). */
  static forRoot(
    config: HealthConfig,
    targets: readonly TargetDefinition[],
    maintenance: readonly MaintenanceWindow[] = [],
  ): DynamicModule {
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
      controllers: [StatusController, HeartbeatMonitorsController, MaintenanceController, PingController],
      providers: [
        { provide: HEALTH_TARGETS, useValue: targets },
        { provide: HEALTH_GLOBAL_MAINTENANCE, useValue: maintenance },
        MaintenanceWindowRepository,
        MaintenanceCalendar,
        SuppressedAlertRecheck,
        TargetCatalog,
        HttpChecker,
        TcpChecker,
        PostgresChecker,
        NatsChecker,
        SyntheticChecker,
        SqlChecker,
        LastValueRepository,
        TargetChecker,
        TargetStateRepository,
        CheckHistoryRepository,
        RetentionJob,
        replicaIdProvider,
        TargetLeaseRepository,
        TargetLeases,
        StatusViewService,
        StatusHistoryRepository,
        TargetStateService,
        CertificateExpiryRepository,
        CertificateExpiryAlerts,
        CheckScheduler,
        HealthSummaryResponder,
        HeartbeatMonitorRepository,
        HeartbeatMonitors,
        HeartbeatEvaluationRepository,
        HeartbeatEvaluator,
        ...probeMetricProviders,
        ...pingProviders,
      ],
    };
  }
}
