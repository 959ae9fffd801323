import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';

import { ALERTS_WILDCARD, alertEventV1Schema, type AlertEventV1 } from '@vigil/contracts';

import { startService } from '@vigil/platform';
import { freePort, testDatabaseUrl } from '@vigil/testing';

import { healthService } from '../src/service';

export interface HealthInProcess {
  app: INestApplication;
  /** http://127.0.0.1:<port> of the service */
  base: string;
  databaseUrl: string;
}

/**
 * The health service in-process on a free port, checking the targets of `targetsFile`, on `natsUrl` and a
 * fresh database (unless `env` names one); `env` adds or overrides variables (API_KEYS, ...).
 */
export async function startHealthInProcess(
  targetsFile: string,
  natsUrl: string,
  env: Record<string, string> = {},
): Promise<HealthInProcess> {
  const port = await freePort();
  const databaseUrl = env.DATABASE_URL ?? (await testDatabaseUrl());
  const app = await startService(
    healthService,
    {
      PORT: String(port),
      NATS_URL: natsUrl,
      DATABASE_URL: databaseUrl,
      TARGETS_FILE: targetsFile,
      LOG_LEVEL: 'warn',
      ...env,
    },
    { logger: false },
  );
  return { app, base: `http://127.0.0.1:${port}`, databaseUrl };
}

/** An alert the service published: its subject (alerts.v1.fired / .resolved) and the parsed event. */
export interface RecordedAlert {
  subject: string;
  event: AlertEventV1;
}

/** Pushes every alert published on `client` into `alerts`; flush the client before relying on it. */
export function recordAlerts(client: NatsConnection, alerts: RecordedAlert[]): Subscription {
  return client.subscribe(ALERTS_WILDCARD, {
    callback: (error, msg) => {
      if (!error) alerts.push({ subject: msg.subject, event: alertEventV1Schema.parse(msg.json()) });
    },
  });
}
