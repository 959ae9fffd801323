import { randomBytes } from 'node:crypto';

import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';

import { errorIntakeMsgId, errorsEventSubject } from '@vigil/contracts';
import { hashApiKey, startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, type NatsServerHandle } from '@vigil/testing';

import { errorsService } from '../src/service';

const FAST_SCRYPT = { N: 1024 };
export const READ_KEY = 'test-errors-reader-0123456789abcdef';
export const WRITE_KEY = 'test-errors-writer-0123456789abcdef';
export const readHeaders = { authorization: `Bearer ${READ_KEY}` };
export const writeHeaders = { authorization: `Bearer ${WRITE_KEY}`, 'content-type': 'application/json' };

/** Project 1 "vigil" (DoesNotExist is critical, spike of 3 in 5 min), project 2 "django-profile" (30 days). */
export const PROJECTS = {
  projects: [
    {
      id: '1',
      slug: 'vigil',
      keys: ['0123456789abcdef0123456789abcdef'],
      alert_rules: [{ match: { exception_type: '*.DoesNotExist' }, severity: 'critical' }],
      spike: { events: 3, minutes: 5, severity: 'medium' },
    },
    { id: '2', slug: 'django-profile', keys: ['fedcba9876543210fedcba9876543210'], retention_days: 30 },
  ],
};

export interface IssuesHarness {
  app: INestApplication;
  base: string;
  nats: NatsServerHandle;
  client: NatsConnection;
  js: JetStreamClient;
  databaseUrl: string;
  /** Every message seen on alerts.v1.> and audit.v1.events.errors since start. */
  seen: Msg[];
  stop(): Promise<void>;
}

export async function startErrors(): Promise<IssuesHarness> {
  const nats = await startNatsServer();
  const databaseUrl = await testDatabaseUrl();
  const port = await freePort();
  const app = await startService(
    errorsService,
    {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      HEALTH_CHECK_INTERVAL_MS: '200',
      ERRORS_PROJECTS: JSON.stringify(PROJECTS),
      API_KEYS: JSON.stringify([
        { name: 'reader', hash: hashApiKey(READ_KEY, FAST_SCRYPT), scopes: ['errors:read'] },
        {
          name: 'triager',
          hash: hashApiKey(WRITE_KEY, FAST_SCRYPT),
          scopes: ['errors:read', 'errors:write'],
        },
      ]),
    },
    { logger: process.env.ERRORS_TEST_LOGS ? undefined : false },
  );
  const client = await connect({ servers: nats.url });
  const seen: Msg[] = [];
  client.subscribe('alerts.v1.>', { callback: (_e, msg) => void seen.push(msg) });
  client.subscribe('audit.v1.events.errors', { callback: (_e, msg) => void seen.push(msg) });
  await client.flush();
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    nats,
    client,
    js: jetstream(client),
    databaseUrl,
    seen,
    async stop() {
      await client.close();
      await app.close();
      await nats.stop();
    },
  };
}

export const newEventId = () => randomBytes(16).toString('hex');

/** A Python-like Sentry event: an exception with a message, a user, release and environment. */
export function sentryEvent(overrides: Record<string, unknown> = {}) {
  return {
    level: 'error',
    platform: 'python',
    release: 'profile@1.0.0',
    environment: 'production',
    user: { id: 'user-1' },
    exception: { values: [{ type: 'KeyError', value: "'avatar'", module: 'builtins' }] },
    ...overrides,
  };
}

/** An ErrorIntake v1 message as the intake publishes it. */
export function intake(
  projectId: string,
  event: Record<string, unknown>,
  eventId = newEventId(),
  receivedAt = new Date(),
) {
  return {
    project_id: projectId,
    event_id: eventId,
    received_at: receivedAt.toISOString(),
    item_type: 'event' as const,
    event: { event_id: eventId, ...event },
  };
}

const encoder = new TextEncoder();

/** Publishes to ERRORS the way the intake does (subject per project, Nats-Msg-Id project:event_id). */
export async function publishIntake(js: JetStreamClient, message: ReturnType<typeof intake>, msgId?: string) {
  return js.publish(errorsEventSubject(message.project_id), encoder.encode(JSON.stringify(message)), {
    msgID: msgId ?? errorIntakeMsgId(message.project_id, message.event_id),
  });
}

export const decode = (msg: Msg): unknown => JSON.parse(new TextDecoder().decode(msg.data));
