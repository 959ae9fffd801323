import { jetstreamManager, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';

import { startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, type NatsServerHandle } from '@vigil/testing';

import { errorsService } from '../src/service';

/** DSN keys of the test projects: 1 "vigil", 2 "shop" (quota 60 events/min), 3 "other". */
export const KEYS = {
  vigil: '1a'.repeat(16),
  shop: '2b'.repeat(16),
  other: '3c'.repeat(16),
} as const;

export const TEST_PROJECTS = {
  projects: [
    { id: '1', slug: 'vigil', keys: [KEYS.vigil] },
    {
      id: '2',
      slug: 'shop',
      keys: [KEYS.shop],
      quota: { events_per_minute: 60, transactions_per_minute: 60 },
    },
    { id: '3', slug: 'other', keys: [KEYS.other] },
  ],
};

export interface ErrorsHarness {
  app: INestApplication;
  /** http://127.0.0.1:<port> of the service */
  base: string;
  nats: NatsServerHandle;
  client: NatsConnection;
  jsm: JetStreamManager;
  /** The newest message on `subject` in `stream`, or null. */
  lastMessage(stream: string, subject: string): Promise<StoredMsg | null>;
  stop(): Promise<void>;
}

/** The errors service in-process on a free port, with a real nats-server and a fresh database. */
export async function startErrors(env: Record<string, string> = {}): Promise<ErrorsHarness> {
  const nats = await startNatsServer();
  const port = await freePort();
  const app = await startService(
    errorsService,
    {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: await testDatabaseUrl(),
      LOG_LEVEL: 'silent',
      HEALTH_CHECK_INTERVAL_MS: '200',
      ERRORS_PROJECTS: JSON.stringify(TEST_PROJECTS),
      ...env,
    },
    { logger: false },
  );
  const client = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(client);
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    nats,
    client,
    jsm,
    async lastMessage(stream, subject) {
      try {
        return await jsm.streams.getMessage(stream, { last_by_subj: subject });
      } catch {
        return null;
      }
    },
    async stop() {
      await client.close();
      await app.close();
      await nats.stop();
    },
  };
}
