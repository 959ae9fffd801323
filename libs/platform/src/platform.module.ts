import { DynamicModule, Global, Module, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { register } from 'prom-client';

import { AuditPublisher } from './audit/audit-publisher';
import { AccessDenials } from './auth/access-denials';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyVerifier } from './auth/api-key.verifier';
import { OIDC_VERIFIER } from './auth/auth.tokens';
import { WhoAmIController } from './auth/whoami.controller';
import { OidcVerifier } from './auth/oidc.verifier';
import { SERVICE_CONFIG, SERVICE_IDENTITY, type ServiceIdentity } from './config/config.tokens';
import type { PlatformConfig } from './config/platform-config';
import { DatabaseModule, type DatabaseOptions } from './database/database.module';
import { HttpExceptionFilter } from './errors/http-exception.filter';
import { DependencyMonitor } from './health/dependency-monitor';
import { EventLoopWatch } from './health/event-loop-watch';
import { HealthController } from './health/health.controller';
import { FAST_ROUTES, type FastRoute, type StreamFastRoute } from './http/fast-route';
import { STREAMED_BODIES } from './http/http-limits';
import { ITEM_CHECKED_BODIES } from './http/storable-request';
import { LifecycleState } from './health/lifecycle-state';
import { ProbeResponder } from './health/probe-responder';
import { loggerOptions, type SecretPath } from './logging/logger-options';
import { JetStreamSetup } from './nats/jetstream-setup';
import { natsConnectionProvider } from './nats/nats-connection.provider';
import { NatsHealth } from './nats/nats-health';
import { NatsMessaging } from './nats/nats-messaging';
import { NATS_CONNECTION } from './nats/nats.tokens';

export interface PlatformOptions {
  service: string;
  config: PlatformConfig;
  /** Entities and migrations of the service's own database. */
  database: DatabaseOptions;
  /**
   * Routes served ahead of Express and Nest (http/fast-route.ts); each is also a provider of the
   * service's module, and its controller keeps the same route.
   */
  fastRoutes?: Type<FastRoute | StreamFastRoute>[];
  /**
   * Paths of routes whose JSON body is a batch the route checks item by item (http/storable-request.ts):
   * an unstorable item is refused alone by the route instead of the whole request ahead of it.
   */
  itemCheckedBodies?: string[];
  /**
   * Paths (patterns over the path without its query) whose route reads the request stream itself, e.g.
   * compressed Sentry envelopes with their own size limits: the platform's JSON and form parsers leave
   * those bodies unread.
   */
  streamedBodies?: RegExp[];
  /** Paths carrying a credential (a ping token): the access log masks it (logging/logger-options.ts). */
  secretPaths?: SecretPath[];
}

/**
 * Everything a Vigil service gets and none re-implements: config, JSON logs, metrics, probes,
 * the error filter, NATS (streams set up at boot) and Postgres (migrations run at boot).
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const identity: ServiceIdentity = {
      name: options.service,
      version: options.config.SERVICE_VERSION,
      gitSha: options.config.GIT_SHA,
      environment: options.config.ENVIRONMENT,
    };
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: options.config },
      { provide: SERVICE_IDENTITY, useValue: identity },
      { provide: APP_FILTER, useClass: HttpExceptionFilter },
      // Every route needs a bearer API key unless it says otherwise (auth/route-access.ts).
      // One instance (one set of rate-limit buckets) for Nest's routes and the fast routes.
      ApiKeyGuard,
      { provide: APP_GUARD, useExisting: ApiKeyGuard },
      { provide: FAST_ROUTES, useValue: options.fastRoutes ?? [] },
      { provide: ITEM_CHECKED_BODIES, useValue: options.itemCheckedBodies ?? [] },
      { provide: STREAMED_BODIES, useValue: options.streamedBodies ?? [] },
      // One denial budget for the guard and the routes that refuse on their own (a key's audit sources).
      {
        provide: AccessDenials,
        useFactory: (audit: AuditPublisher, id: ServiceIdentity) =>
          new AccessDenials(audit, id.name, { secretPaths: options.secretPaths }),
        inject: [AuditPublisher, SERVICE_IDENTITY],
      },
      { provide: ApiKeyVerifier, useValue: new ApiKeyVerifier(options.config.API_KEYS) },
      { provide: OIDC_VERIFIER, useValue: oidcVerifierOf(options.config) },
      AuditPublisher,
      LifecycleState,
      EventLoopWatch,
      DependencyMonitor,
      ProbeResponder,
      natsConnectionProvider,
      JetStreamSetup,
      NatsHealth,
      NatsMessaging,
    ];
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot(loggerOptions(identity, options.config.LOG_LEVEL, options.secretPaths)),
        // prom-client's registry is process-wide: a second app in one process (tests) reuses the defaults.
        PrometheusModule.register({
          path: '/metrics',
          defaultMetrics: { enabled: !register.getSingleMetric('process_cpu_user_seconds_total') },
        }),
        DatabaseModule.forRoot(options.database),
      ],
      controllers: [HealthController, WhoAmIController],
      providers,
      exports: [
        SERVICE_CONFIG,
        SERVICE_IDENTITY,
        LifecycleState,
        DependencyMonitor,
        ProbeResponder,
        NATS_CONNECTION,
        NatsMessaging,
        AuditPublisher,
        AccessDenials,
        DatabaseModule,
      ],
    };
  }
}

function oidcVerifierOf(config: PlatformConfig): OidcVerifier | null {
  const { OIDC_JWKS_URL: jwksUrl, OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience } = config;
  if (jwksUrl === undefined || issuer === undefined || audience === undefined) return null;
  return new OidcVerifier({
    jwksUrl,
    issuer,
    audience,
    scopesClaim: config.OIDC_SCOPES_CLAIM,
    algorithms: config.OIDC_ALGORITHMS,
  });
}
