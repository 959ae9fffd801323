import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';

import { hashApiKey, startService } from '@vigil/platform';
import {
  freePort,
  startNatsServer,
  startWebhookSink,
  testDatabaseUrl,
  type NatsServerHandle,
  type RecordedRequest,
  type WebhookSink,
  tempDir,
} from '@vigil/testing';

import { alertingService } from '../src/service';

/**
 * Bearer keys of the tests: `admin` holds every alerting scope (what the tests use), `prometheus`
 * only alerts:write (what Prometheus is given), `reader` none (reads only).
 */
export const TEST_KEYS = {
  admin: 'test-alerting-admin-key-0123456789',
  prometheus: 'test-alerting-prometheus-key-0123456789',
  reader: 'test-alerting-reader-key-0123456789',
} as const;

/** API_KEYS of the tests (scrypt with a small cost; production hashes use N=2^15). */
export const TEST_API_KEYS = JSON.stringify([
  {
    name: 'admin',
    hash: hashApiKey(TEST_KEYS.admin, { N: 1024 }),
    scopes: ['alerts:write', 'alerts:ack', 'silences:write', 'config:reload'],
  },
  { name: 'prometheus', hash: hashApiKey(TEST_KEYS.prometheus, { N: 1024 }), scopes: ['alerts:write'] },
  { name: 'reader', hash: hashApiKey(TEST_KEYS.reader, { N: 1024 }), scopes: [] },
]);

export const bearer = (key: string = TEST_KEYS.admin) => ({ authorization: `Bearer ${key}` });

/** fetch with the admin key's Authorization header. */
export function api(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { ...bearer(), ...(init.headers as Record<string, string>) } });
}

export interface AlertingHarness {
  app: INestApplication;
  /** http://127.0.0.1:<port> of the service */
  base: string;
  nats: NatsServerHandle;
  sink: WebhookSink;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** The alerting service in-process on a free port, with a real nats-server, a fresh database and a webhook sink. */
export async function startAlerting(env: Record<string, string | undefined> = {}): Promise<AlertingHarness> {
  const nats = await startNatsServer();
  const sink = await startWebhookSink();
  const databaseUrl = await testDatabaseUrl();
  const port = await freePort();
  const app = await startService(
    alertingService,
    {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      HEALTH_CHECK_INTERVAL_MS: '200',
      ALERT_WEBHOOK_URL: `${sink.url}/hooks/alerts`,
      DELIVERY_POLL_MS: '100',
      DELIVERY_RETRY_BASE_MS: '200',
      WEBHOOK_TIMEOUT_MS: '2000',
      API_KEYS: TEST_API_KEYS,
      ...env,
    },
    { logger: false },
  );
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    nats,
    sink,
    databaseUrl,
    async stop() {
      await app.close();
      await sink.stop();
      await nats.stop();
    },
  };
}

export interface WebhookBody {
  version: string;
  groupKey: string;
  status: string;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: {
    status: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }[];
}

export const bodyOf = (request: RecordedRequest) => request.body as WebhookBody;

/** Whether a sink request is about the alert named `alertname` (and in `status`, when given). */
export const about =
  (alertname: string, status?: string) =>
  (request: RecordedRequest): boolean => {
    const body = bodyOf(request);
    return body.commonLabels?.alertname === alertname && (status === undefined || body.status === status);
  };

export async function postAlerts(base: string, body: unknown): Promise<Response> {
  return api(`${base}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes an alerting config (ALERTING_CONFIG_FILE) to a fresh temporary directory; returns its path. */
export function writeAlertingConfig(yaml: string): string {
  const file = join(tempDir('vigil-alerting-'), 'alerting.yaml');
  writeFileSync(file, yaml);
  return file;
}
