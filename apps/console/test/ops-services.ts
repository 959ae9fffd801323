import fs from 'node:fs';
import path from 'node:path';

import {
  freePort,
  runService,
  startNatsServer,
  startSmtpServer,
  startWebhookSink,
  tempDir,
  testDatabaseUrl,
  type NatsServerHandle,
  type ServiceProcess,
  type SmtpSink,
} from '@vigil/testing';

import { apiKeysOf, type TestKey } from './console-harness';

/** The errors project the specs send Sentry events to (its DSN key, 32 hex). */
export const SENTRY_PROJECT = { id: '21', slug: 'shop', key: '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e' } as const;
/** The heartbeat monitor of the targets file (nothing pings it). */
export const HEARTBEAT = 'nightly-backup';

export interface OpsServices {
  urls: { health: string; errors: string; alerting: string; reporting: string };
  smtp: SmtpSink;
  stop(): Promise<void>;
}

/**
 * The built health, errors, alerting and reporting services as processes (apps/<svc>/dist, what nx builds
 * before the console's tests), on their own NATS, each with its own database, all accepting `keys`. Health
 * checks alerting's liveness every second and watches one heartbeat.
 */
export async function startOpsServices(keys: readonly TestKey[]): Promise<OpsServices> {
  const [nats, smtp, webhook] = await Promise.all([startNatsServer(), startSmtpServer(), startWebhookSink()]);
  const names = ['health', 'errors', 'alerting', 'reporting'] as const;
  const ports = Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await freePort()] as const)),
  ) as Record<(typeof names)[number], number>;
  const urls = {
    health: `http://127.0.0.1:${ports.health}`,
    errors: `http://127.0.0.1:${ports.errors}`,
    alerting: `http://127.0.0.1:${ports.alerting}`,
    reporting: `http://127.0.0.1:${ports.reporting}`,
  };
  const own: Record<(typeof names)[number], Record<string, string>> = {
    health: { TARGETS_FILE: targetsFile(urls.alerting) },
    errors: {
      ERRORS_PROJECTS: JSON.stringify({
        projects: [{ id: SENTRY_PROJECT.id, slug: SENTRY_PROJECT.slug, keys: [SENTRY_PROJECT.key] }],
      }),
    },
    alerting: { ALERT_WEBHOOK_URL: `${webhook.url}/alerts` },
    reporting: {
      SMTP_URL: smtp.url,
      REPORT_FROM: 'vigil@localhost',
      REPORT_RECIPIENTS: 'lead@example.test',
      SUMMARY_TIMEOUT_MS: '1500',
      CHROMIUM_PATH: '/usr/bin/chromium',
    },
  };
  const processes: ServiceProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop().catch(() => undefined)));
    await Promise.all([nats.stop(), smtp.stop(), webhook.stop()]);
  };
  try {
    for (const name of names) {
      processes.push(
        await runService({
          app: name,
          env: {
            ...platformEnv(nats, ports[name], await testDatabaseUrl()),
            API_KEYS: apiKeysOf(keys),
            ...own[name],
          },
        }),
      );
    }
    await Promise.all(processes.map((p, i) => p.waitForReady(ports[names[i]], 60_000)));
  } catch (error) {
    for (const p of processes) process.stderr.write(p.output());
    await stop();
    throw error;
  }
  return { urls, smtp, stop };
}

function platformEnv(nats: NatsServerHandle, port: number, databaseUrl: string): Record<string, string> {
  return {
    PORT: String(port),
    NATS_URL: nats.url,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    ENVIRONMENT: 'test',
  };
}

function targetsFile(alertingUrl: string): string {
  const file = path.join(tempDir('console-ops-'), 'targets.yaml');
  fs.writeFileSync(
    file,
    [
      'targets:',
      '  - name: alerting-api',
      `    url: ${alertingUrl}/health/liveness`,
      '    interval_s: 1',
      '  - type: heartbeat',
      `    name: ${HEARTBEAT}`,
      '    period: 1d',
      '    grace: 1h',
      '',
    ].join('\n'),
  );
  return file;
}

/** Sends one event to the errors service as a Sentry SDK does (`/store/`, X-Sentry-Auth). */
export async function sendSentryEvent(errorsUrl: string, event: Record<string, unknown>): Promise<void> {
  const answer = await fetch(`${errorsUrl}/api/${SENTRY_PROJECT.id}/store/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-sentry-auth': `Sentry sentry_version=7, sentry_client=console-test/1.0, sentry_key=${SENTRY_PROJECT.key}`,
    },
    body: JSON.stringify(event),
  });
  if (answer.status !== 200) throw new Error(`errors answered ${answer.status}: ${await answer.text()}`);
}
