export {
  AuditPublisher,
  type AuditEventInput,
  type AuditPublishOptions,
  type AuditPublishResult,
} from './audit/audit-publisher';
export { bootstrapService, startService, type ServiceDefinition } from './bootstrap';
export { SERVICE_CONFIG, SERVICE_IDENTITY, type ServiceIdentity } from './config/config.tokens';
export {
  ConfigError,
  loadConfig,
  MANAGEMENT_PORTS,
  platformConfigSchema,
  SERVICE_PORTS,
  type PlatformConfig,
  type ServiceName,
} from './config/platform-config';
export { contextFromNatsHeaders, correlationHeaders } from './context/nats-headers';
export { contextFrom, currentContext, runWithContext, type RequestContext } from './context/request-context';
export type { DatabaseOptions } from './database/database.module';
export { HttpExceptionFilter, type ErrorBody } from './errors/http-exception.filter';
export { DependencyMonitor, type DependencyCheck, type DependencyState } from './health/dependency-monitor';
export { LifecycleState } from './health/lifecycle-state';
export { ManagementListener, type ManagementAnswers } from './health/management-listener';
export { PROBE_PATHS } from './health/probe-paths';
export { interceptProbes, ProbeResponder, type ProbeAnswer } from './health/probe-responder';
export { DurablePullConsumer, type DurablePullConsumerOptions } from './nats/durable-pull-consumer';
export { NatsMessaging, RpcError } from './nats/nats-messaging';
export { NATS_CONNECTION } from './nats/nats.tokens';
export { PlatformModule, type PlatformOptions } from './platform.module';
