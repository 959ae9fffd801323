import { Module, type DynamicModule, type INestApplication, type Provider, type Type } from '@nestjs/common';

import { freePort, startNatsServer, testDatabaseUrl, type NatsServerHandle } from '@vigil/testing';

import {
  platformConfigSchema,
  PlatformModule,
  startService,
  type FastRoute,
  type StreamFastRoute,
  type ServiceDefinition,
  type ServiceName,
} from '../src';

@Module({})
class TestServiceModule {}

/**
 * A service on the platform (no entities of its own) around a test's controllers, providers and fast
 * routes, declared as a real service declares its module.
 */
export function testService(
  name: ServiceName,
  parts: {
    controllers?: Type[];
    providers?: Provider[];
    fastRoutes?: Type<FastRoute | StreamFastRoute>[];
    streamedBodies?: RegExp[];
  } = {},
): ServiceDefinition<typeof platformConfigSchema> {
  return {
    name,
    configSchema: platformConfigSchema,
    module: (config): DynamicModule => ({
      module: TestServiceModule,
      imports: [
        PlatformModule.forRoot({
          service: name,
          config,
          database: { entities: [], migrations: [] },
          ...(parts.fastRoutes ? { fastRoutes: parts.fastRoutes } : {}),
          ...(parts.streamedBodies ? { streamedBodies: parts.streamedBodies } : {}),
        }),
      ],
      controllers: parts.controllers ?? [],
      providers: parts.providers ?? [],
    }),
  };
}

export interface TestServiceHandle {
  app: INestApplication;
  port: number;
  /** http://127.0.0.1:<port> of the service */
  base: string;
  nats: NatsServerHandle;
  stop(): Promise<void>;
}

/**
 * Starts `definition` in-process on a free port with a real nats-server and a fresh database; `env`
 * adds to or overrides the defaults (a quiet logger, health checks every 200 ms).
 */
export async function startTestService(
  definition: ServiceDefinition<typeof platformConfigSchema>,
  env: Record<string, string> = {},
): Promise<TestServiceHandle> {
  const nats = await startNatsServer();
  const port = await freePort();
  const app = await startService(
    definition,
    {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: env.DATABASE_URL ?? (await testDatabaseUrl()),
      HEALTH_CHECK_INTERVAL_MS: '200',
      LOG_LEVEL: 'silent',
      ...env,
    },
    { logger: false },
  );
  return {
    app,
    port,
    base: `http://127.0.0.1:${port}`,
    nats,
    async stop() {
      await app.close();
      await nats.stop();
    },
  };
}
