export {
  AuditPublisher,
  type AuditEventInput,
  type AuditPublishOptions,
  type AuditPublishResult,
} from './audit/audit-publisher';
export { AccessDenials, type AccessDenial } from './auth/access-denials';
export { ApiKeyGuard, type GuardedRequest } from './auth/api-key.guard';
export {
  apiKeyMatches,
  DEFAULT_SCRYPT_PARAMS,
  hashApiKey,
  parseApiKeyHash,
  type ApiKeyHash,
} from './auth/api-key-hash';
export { ApiKeyVerifier, VerifierBusyError, type ApiKeyVerifierOptions } from './auth/api-key.verifier';
export { ANY_SOURCE, apiKeysSchema, type ApiKeyEntry } from './auth/api-keys.config';
export { API_SCOPES, WRITE_SCOPES, type ApiScope } from './auth/api-scopes';
export { OidcTokenError, OidcVerifier, type OidcOptions, type Principal } from './auth/oidc.verifier';
export { mayPublishAs } from './auth/publish-sources';
export { AnyApiKey, Public, RequireScope, ROUTE_ACCESS, type RouteAccess } from './auth/route-access';
export type { WhoAmI } from './auth/whoami.controller';
export { TokenBuckets } from './auth/token-bucket';
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
export { redactionPolicyOf } from './config/redaction-config';
export { contextFromNatsHeaders, correlationHeaders } from './context/nats-headers';
export { contextFrom, currentContext, runWithContext, type RequestContext } from './context/request-context';
export { observeDatabaseQuery, watchDatabasePool } from './database/database-metrics';
export { databaseReachable } from './database/database-reachable';
export { type DatabaseOptions, typeormPoolSize } from './database/database.module';
export { isRefusedData, sqlState } from './database/refused-data';
export { errorMessage } from './errors/error-message';
export {
  ErrorReporting,
  reportError,
  type ErrorOrigin,
  type ErrorReportingSettings,
} from './errors/error-reporting';
export { errorResponseOf, HttpExceptionFilter, type ErrorBody } from './errors/http-exception.filter';
export { SECURITY_HEADERS } from './http/http-limits';
export {
  FAST_ROUTES,
  interceptFastRoutes,
  type FastRoute,
  type FastRouteOptions,
  type StreamFastRoute,
} from './http/fast-route';
export {
  DependencyMonitor,
  type DependencyCheck,
  type DependencyDetails,
  type DependencyState,
} from './health/dependency-monitor';
export { LifecycleState } from './health/lifecycle-state';
export { maskSecretPath, type SecretPath } from './logging/logger-options';
export { ManagementListener, type ManagementAnswers } from './health/management-listener';
export { PROBE_PATHS } from './health/probe-paths';
export { interceptProbes, ProbeResponder, type ProbeAnswer } from './health/probe-responder';
export {
  DEAD_LETTER_HEADER_MAX,
  deadLetterCopy,
  deadLetterOf,
  headerSafe,
  type DeadLetterCopy,
  type DeadLetterInput,
  type DeadLetterSource,
} from './nats/dead-letter';
export { DurablePullConsumer, type DurablePullConsumerOptions } from './nats/durable-pull-consumer';
export { EventLoopSlice } from './nats/event-loop-slice';
export { holdThroughOutage, type OutageHoldOptions, type OutageOutcome } from './nats/outage-hold';
export {
  DEFAULT_INBOX_PREFIX,
  inboxPrefixOf,
  natsConnectOptions,
  type NatsConnectOptions,
} from './nats/nats-connect-options';
export { NatsMessaging, RpcError } from './nats/nats-messaging';
export { NATS_CONNECTION } from './nats/nats.tokens';
export {
  DEFAULT_DELIVERY_POLICY,
  Redelivery,
  SERVER_DELIVERY_GRACE,
  type DeliveryPolicy,
} from './nats/redelivery';
export { PlatformModule, type PlatformOptions } from './platform.module';
