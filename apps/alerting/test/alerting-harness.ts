import type { INestApplication } from '@nestjs/common';

import { startService } from '@vigil/platform';
import {
  freePort,
  startNatsServer,
  startWebhookSink,
  testDatabaseUrl,
  type NatsServerHandle,
  type RecordedRequest,
  type WebhookSink,
} from '@vigil/testing';

import { alertingService } from '../src/service';

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
  return fetch(`${base}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
