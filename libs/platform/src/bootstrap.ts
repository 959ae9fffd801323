import 'reflect-metadata';

import { type DynamicModule, type INestApplication, Logger as NestLogger, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import type { z } from 'zod';

import { configureDefaultRedactor } from '@vigil/redaction';

import { ApiKeyGuard } from './auth/api-key.guard';
import { SERVICE_CONFIG } from './config/config.tokens';
import {
  ConfigError,
  loadConfig,
  platformConfigSchema,
  processEnv,
  SERVICE_PORTS,
  type ServiceName,
} from './config/platform-config';
import { redactionPolicyOf } from './config/redaction-config';
import { CorrelationMiddleware } from './context/correlation.middleware';
import { LifecycleState } from './health/lifecycle-state';
import { ManagementListener } from './health/management-listener';
import { interceptProbes, ProbeResponder } from './health/probe-responder';
import { FAST_ROUTES, interceptFastRoutes, type FastRoute, type StreamFastRoute } from './http/fast-route';
import { installBodyLimits, installHeaderLimit, securityHeaders, STREAMED_BODIES } from './http/http-limits';
import { ITEM_CHECKED_BODIES, rejectUnstorableInput } from './http/storable-request';
import { httpMetricsMiddleware } from './metrics/http-metrics';
import { errorMessage } from './errors/error-message';
import { ErrorReporting } from './errors/error-reporting';

type PlatformShape = z.infer<typeof platformConfigSchema>;

export interface ServiceDefinition<S extends z.ZodType<PlatformShape>> {
  name: ServiceName;
  configSchema: S;
  /**
   * The service's root module. `env` is the environment the config was read from, for the few inputs
   * named by the user rather than by us (a targets file's `${SECRET_NAME}` references); read it nowhere else.
   */
  module: (
    config: z.infer<S> & { PORT: number },
    env: Readonly<Record<string, string | undefined>>,
  ) => DynamicModule;
  /**
   * `false` keeps SENTRY_DSN from being used by this service: the errors service sets it, so its own
   * intake failures are never sent back to its intake (a feedback loop). Default true.
   */
  reportOwnErrors?: boolean;
}

/**
 * Builds and starts a service on `env` (validated first; a bad value throws ConfigError). Used by
 * `bootstrapService` and by integration tests, which run services in-process on free ports.
 */
export async function startService<S extends z.ZodType<PlatformShape>>(
  definition: ServiceDefinition<S>,
  env: Record<string, string | undefined>,
  options: { logger?: boolean; processErrorHooks?: boolean } = {},
): Promise<NestExpressApplication> {
  const config = loadConfig(definition.configSchema, env, SERVICE_PORTS[definition.name]);
  // The service's redaction policy, for the whole process, before the logger and anything that logs
  // exist (`redact`, `redactString` and the pino options all use the default redactor).
  configureDefaultRedactor(redactionPolicyOf(config));
  const reporting = ErrorReporting.start({
    dsn: definition.reportOwnErrors === false ? undefined : config.SENTRY_DSN,
    service: definition.name,
    release: `${config.SERVICE_VERSION}+${config.GIT_SHA}`,
    environment: config.ENVIRONMENT,
    processHooks: options.processErrorHooks === true,
  });
  try {
    return await createAndListen(definition, config, env, options);
  } catch (error) {
    await reporting?.close();
    throw error;
  }
}

async function createAndListen<S extends z.ZodType<PlatformShape>>(
  definition: ServiceDefinition<S>,
  config: z.infer<S> & { PORT: number },
  env: Readonly<Record<string, string | undefined>>,
  options: { logger?: boolean },
): Promise<NestExpressApplication> {
  // The management listener answers probes while Nest boots (startup 503, liveness 200).
  const management = config.MANAGEMENT_PORT
    ? new ManagementListener({
        port: config.MANAGEMENT_PORT,
        host: '0.0.0.0',
        eventLoopBlockMs: config.EVENT_LOOP_BLOCK_MS,
        shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
      })
    : null;
  await management?.start();
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(definition.module(config, env), {
      bufferLogs: options.logger !== false,
      abortOnError: false,
      // Installed below with the configured limit (installBodyLimits).
      bodyParser: false,
      ...(options.logger === false ? { logger: false } : {}),
    });
  } catch (error) {
    await management?.stop();
    throw error;
  }
  if (options.logger !== false) app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  const correlation = new CorrelationMiddleware();
  app.use(correlation.use.bind(correlation));
  app.use(httpMetricsMiddleware());
  app.use(securityHeaders);
  installBodyLimits(app, config.HTTP_BODY_LIMIT_BYTES, app.get<RegExp[]>(STREAMED_BODIES));
  app.use(rejectUnstorableInput(app.get<string[]>(ITEM_CHECKED_BODIES)));
  // The service's hot routes are served ahead of Express and Nest, with the same checks (fast-route.ts).
  interceptFastRoutes(
    app.getHttpServer(),
    app
      .get<Type<FastRoute | StreamFastRoute>[]>(FAST_ROUTES)
      .map((route) => app.get(route, { strict: false })),
    { guard: app.get(ApiKeyGuard), bodyLimitBytes: config.HTTP_BODY_LIMIT_BYTES },
  );
  // Probes and /metrics are answered from cached state ahead of Express and Nest (probe-responder.ts).
  interceptProbes(app.getHttpServer(), app.get(ProbeResponder));
  // Last, so that its checks of the head (field count, Host) come before every route, fast or not.
  installHeaderLimit(app.getHttpServer(), config.HTTP_MAX_HEADER_BYTES);
  try {
    await app.listen(config.PORT, '0.0.0.0');
  } catch (error) {
    await app.close().catch(() => undefined);
    await management?.stop();
    throw error;
  }
  const lifecycle = app.get(LifecycleState);
  lifecycle.markStarted();
  if (management) followFromManagement(app, management, lifecycle);
  new NestLogger('Bootstrap').log(
    { port: config.PORT, management_port: config.MANAGEMENT_PORT ?? null },
    `${definition.name} listening`,
  );
  return app;
}

/** Feeds the management listener from the app's probes and stops it when the app closes. */
function followFromManagement(
  app: NestExpressApplication,
  management: ManagementListener,
  lifecycle: LifecycleState,
): void {
  const probes = app.get(ProbeResponder);
  lifecycle.onDraining((since) => management.markDraining(since));
  management.follow(() => ({ readiness: probes.readiness(), startup: probes.startup() }));
  const close = app.close.bind(app);
  app.close = async () => {
    try {
      await close();
    } finally {
      await management.stop();
    }
  };
}

/**
 * The `main.ts` of every service: starts it on the process environment, prints one line and exits 1
 * when config or boot fails, and installs the SIGTERM sequence.
 */
export async function bootstrapService<S extends z.ZodType<PlatformShape>>(
  definition: ServiceDefinition<S>,
): Promise<void> {
  try {
    const app = await startService(definition, processEnv(), { processErrorHooks: true });
    const config = app.get<PlatformShape>(SERVICE_CONFIG);
    installShutdown(app, config);
  } catch (error) {
    exitOnBootFailure(definition.name, error);
  }
}

function exitOnBootFailure(service: string, error: unknown): never {
  const line = error instanceof ConfigError ? error.message : `boot failed: ${errorMessage(error)}`;
  process.stderr.write(`vigil-${service}: ${line.split('\n')[0]}\n`);
  process.exit(1);
}

/**
 * SIGTERM: readiness turns 503 at once, then after SHUTDOWN_DRAIN_MS the app closes (consumers stop,
 * the HTTP server finishes in-flight requests, NATS drains, the pool closes) and the process exits 0.
 * Past SHUTDOWN_GRACE_MS it exits 1 rather than hang.
 */
function installShutdown(app: INestApplication, config: PlatformShape): void {
  const lifecycle = app.get(LifecycleState);
  const logger = new NestLogger('Shutdown');
  const shutdown = async (signal: NodeJS.Signals) => {
    if (lifecycle.isDraining) return;
    lifecycle.markDraining();
    logger.log({ signal }, 'draining');
    const hardStop = setTimeout(() => {
      logger.error({ grace_ms: config.SHUTDOWN_GRACE_MS }, 'shutdown overran its grace period');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
    await app.close();
    // After the app, so that errors of the requests and batches it finished are sent too.
    await ErrorReporting.active()?.close();
    clearTimeout(hardStop);
    logger.log({ signal }, 'stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (s) => void shutdown(s));
}
