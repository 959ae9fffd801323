export {
  createDatabase,
  randomDatabaseName,
  TEST_PG_ADMIN_URL_ENV,
  testDatabaseUrl,
  withDatabase,
} from './database';
export { freePort } from './free-port';
export { type NatsServerHandle, type NatsServerOptions, startNatsServer } from './nats-server';
export { type PostgresHandle, type PostgresOptions, startPostgres } from './postgres';
export { FIXTURE_SERVICES, type PrometheusHandle, startPrometheusWithFixture } from './prometheus-fixture';
export { repoRoot } from './repo-root';
export {
  type ExitResult,
  runService,
  serviceEntry,
  type RunServiceOptions,
  type ServiceName,
  type ServiceProcess,
} from './run-service';
export { type ParsedMail, type SmtpSink, startSmtpServer } from './smtp-sink';
export { tempDir } from './temp-dir';
export { GiveUp, waitFor, type WaitForOptions } from './wait-for';
export { type RecordedRequest, startWebhookSink, type WebhookSink } from './webhook-sink';
export {
  expectNoEventLoopBlock,
  MAX_EVENT_LOOP_BLOCK_MS,
  measureEventLoopBlock,
  measuredBusyBlockMs,
  steadyEventLoopBlockMs,
} from './event-loop-block';
export {
  expectHandledAnswer,
  hostileJson,
  hostileText,
  hostileTime,
  labelName,
  mixedText,
  optional,
  ordinaryText,
  withProtoKey,
} from './hostile-input';
