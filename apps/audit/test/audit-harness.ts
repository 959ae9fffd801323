import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';

import { startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, type NatsServerHandle } from '@vigil/testing';

import { auditService } from '../src/service';
import { API_KEYS_ENV } from './audit-factory';

export interface AuditHarness {
  app: INestApplication;
  /** http://127.0.0.1:<port> of the service */
  base: string;
  nats: NatsServerHandle;
  /** A NATS connection of the test's own (publishing events, reading streams). */
  client: NatsConnection;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * The audit service in-process on a free port, with a real nats-server, a fresh database and the test
 * API keys (`env` adds to or overrides the defaults), and a NATS connection for the test.
 */
export async function startAudit(env: Record<string, string> = {}): Promise<AuditHarness> {
  const nats = await startNatsServer();
  const databaseUrl = await testDatabaseUrl();
  const port = await freePort();
  const app = await startService(
    auditService,
    {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      HEALTH_CHECK_INTERVAL_MS: '200',
      API_KEYS: API_KEYS_ENV,
      ...env,
    },
    { logger: false },
  );
  const client = await connect({ servers: nats.url });
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    nats,
    client,
    databaseUrl,
    async stop() {
      await client.close();
      await app.close();
      await nats.stop();
    },
  };
}
