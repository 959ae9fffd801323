import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

import { auditEventSubject } from '@vigil/contracts';
import { API_SCOPES, hashApiKey } from '@vigil/platform';
import {
  freePort,
  runService,
  startNatsServer,
  startSmtpServer,
  startWebhookSink,
  testDatabaseUrl,
  type NatsServerHandle,
  type ServiceName,
  type ServiceProcess,
  type SmtpSink,
  type WebhookSink,
  tempDir,
} from '@vigil/testing';

/** Bearer key of the audit query API in the end-to-end system (scope audit:read). */
export const AUDIT_READ_KEY = 'e2e-audit-read-key';

/** Bearer key of the end-to-end operator: every scope on every service (the tests' calls to the HTTP APIs). */
export const OPERATOR_KEY = 'e2e-operator-key-0123456789abcdef';
export const operatorAuth = { authorization: `Bearer ${OPERATOR_KEY}` } as const;
const operatorEntry = {
  name: 'e2e-operator',
  hash: hashApiKey(OPERATOR_KEY, { N: 1024 }),
  scopes: API_SCOPES,
  sources: ['*'],
};

/**
 * A person who may look but not act: every service accepts this key, with no scope beyond `audit:read` (the
 * console's read-only tests: no write buttons, and a forged write is refused by the service).
 */
export const VIEWER_KEY = 'e2e-viewer-key-0123456789abcdef';
const viewerEntry = { name: 'e2e-viewer', hash: hashApiKey(VIEWER_KEY, { N: 1024 }), scopes: ['audit:read'] };

/** API_KEYS holding only the operator key (for a service a test starts on its own). */
export const operatorApiKeys = () => JSON.stringify([operatorEntry, viewerEntry]);

/** The five services behind the console. */
export type CoreServiceName = Exclude<ServiceName, 'console'>;
export const SERVICES: readonly CoreServiceName[] = ['health', 'audit', 'alerting', 'reporting', 'errors'];

/**
 * The errors service's projects in the end-to-end system: one per kind of client, each with its own DSN key
 * (32 hex), and `flood` with a tiny quota for the 429 answers.
 */
export const ERRORS_PROJECTS = {
  python: { id: '11', slug: 'python-plain', key: '1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a' },
  django: { id: '12', slug: 'django-shop', key: '2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b' },
  node: { id: '13', slug: 'node-app', key: '3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c' },
  flood: { id: '14', slug: 'flood', key: '4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d' },
} as const;
/** The quota (events per minute) of ERRORS_PROJECTS.flood. */
export const FLOOD_QUOTA = 5;

/** What the errors service needs beyond the platform variables: the operator key and ERRORS_PROJECTS. */
export const errorsServiceEnv = () => ({
  API_KEYS: operatorApiKeys(),
  ERRORS_PROJECTS: errorsProjectsJson(),
});

const errorsProjectsJson = () =>
  JSON.stringify({
    projects: Object.values(ERRORS_PROJECTS).map(({ id, slug, key }) => ({
      id,
      slug,
      keys: [key],
      ...(slug === 'flood'
        ? { quota: { events_per_minute: FLOOD_QUOTA, transactions_per_minute: 100 } }
        : {}),
    })),
  });

export interface RunningService {
  name: ServiceName;
  port: number;
  url: string;
  /** The management listener (probes only, a worker thread): MANAGEMENT_PORT. */
  managementPort: number;
  process: ServiceProcess;
}

export interface VigilSystem {
  /** The console (apps/console) in front of the five, when started with `console: true`. */
  console?: RunningService;
  nats: NatsServerHandle;
  smtp: SmtpSink;
  webhook: WebhookSink;
  services: Record<ServiceName, RunningService>;
  stop(): Promise<void>;
}

export interface StartSystemOptions {
  /** Extra environment for every service, over the defaults below. */
  env?: Record<string, string>;
  /** Wait until every readiness answers 200 (default true); false returns as soon as the processes run. */
  waitForReady?: boolean;
  /** Extra environment for one service, over everything else. */
  envFor?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Extra health targets: YAML entries of `targets:`, each starting with `  - name: `. */
  targets?: string[];
  /** Also start the console, pointed at the five services (the browser tests). */
  console?: boolean;
  /** Ports chosen by the caller (e.g. audit's, for an app started before the system); the rest are free ones. */
  ports?: Partial<Record<ServiceName, number>>;
}

/**
 * The whole system as `npm start` runs it, on free loopback ports: nats-server, one fresh database
 * per service, an SMTP sink, a webhook receiver and the five built services as child processes.
 */
export async function startSystem(options: StartSystemOptions = {}): Promise<VigilSystem> {
  const nats = await startNatsServer();
  const smtp = await startSmtpServer();
  const webhook = await startWebhookSink();
  const ports = Object.fromEntries(
    await Promise.all(SERVICES.map(async (s) => [s, options.ports?.[s] ?? (await freePort())] as const)),
  ) as Record<ServiceName, number>;
  const managementPorts = Object.fromEntries(
    await Promise.all(SERVICES.map(async (s) => [s, await freePort()] as const)),
  ) as Record<ServiceName, number>;
  const targetsFile = writeTargets(ports, options.targets ?? []);
  const extra = serviceEnv({ targetsFile, webhookUrl: webhook.url, smtpUrl: smtp.url });
  const services = {} as Record<ServiceName, RunningService>;
  await Promise.all(
    SERVICES.map(async (name) => {
      const env = {
        PORT: String(ports[name]),
        MANAGEMENT_PORT: String(managementPorts[name]),
        NATS_URL: nats.url,
        DATABASE_URL: await testDatabaseUrl(),
        LOG_LEVEL: 'info',
        ENVIRONMENT: 'test',
        HEALTH_CHECK_INTERVAL_MS: '500',
        HEALTH_CHECK_TIMEOUT_MS: '500',
        ...extra[name],
        ...options.env,
        ...options.envFor?.[name],
      };
      const process = await runService({ app: name, env });
      services[name] = {
        name,
        port: ports[name],
        url: `http://127.0.0.1:${ports[name]}`,
        managementPort: managementPorts[name],
        process,
      };
    }),
  );
  try {
    if (options.waitForReady !== false)
      await Promise.all(SERVICES.map((name) => services[name].process.waitForReady(ports[name], 60_000)));
  } catch (error) {
    for (const name of SERVICES)
      process.stderr.write(`--- ${name} output ---\n${services[name].process.output()}\n`);
    await stopAll();
    throw error;
  }

  let consoleService: RunningService | undefined;
  if (options.console === true) {
    try {
      consoleService = await startConsoleProcess(services, nats.url, options.env ?? {});
    } catch (error) {
      await stopAll();
      throw error;
    }
  }

  async function stopAll(): Promise<void> {
    await consoleService?.process.stop().catch(() => undefined);
    await Promise.all(SERVICES.map((name) => services[name]?.process.stop().catch(() => undefined)));
    await Promise.all([nats.stop(), smtp.stop(), webhook.stop()]);
  }

  return { console: consoleService, nats, smtp, webhook, services, stop: stopAll };
}

async function startConsoleProcess(
  services: Record<ServiceName, RunningService>,
  natsUrl: string,
  env: Record<string, string>,
): Promise<RunningService> {
  const [port, managementPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const process = await runService({
    app: 'console',
    env: {
      PORT: String(port),
      MANAGEMENT_PORT: String(managementPort),
      NATS_URL: natsUrl,
      DATABASE_URL: await testDatabaseUrl(),
      LOG_LEVEL: 'info',
      ENVIRONMENT: 'test',
      CONSOLE_PUBLIC_URL: url,
      HEALTH_URL: services.health.url,
      AUDIT_URL: services.audit.url,
      ALERTING_URL: services.alerting.url,
      REPORTING_URL: services.reporting.url,
      ERRORS_URL: services.errors.url,
      ...env,
    },
  });
  try {
    await process.waitForReady(port, 60_000);
  } catch (error) {
    globalThis.process.stderr.write(`--- console output ---\n${process.output()}\n`);
    await process.stop();
    throw error;
  }
  return { name: 'console', port, url, managementPort, process };
}

function writeTargets(ports: Record<ServiceName, number>, more: readonly string[]): string {
  const dir = tempDir('vigil-e2e-');
  const file = path.join(dir, 'targets.yaml');
  const targets = SERVICES.filter((s) => s !== 'health').map(
    (s) =>
      `  - name: ${s}\n    url: http://127.0.0.1:${ports[s]}/health/liveness\n    interval_s: 1\n    timeout_ms: 1000\n`,
  );
  fs.writeFileSync(file, `targets:\n${[...targets, ...more].join('')}`);
  return file;
}

export async function getJson<T = unknown>(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** What each service needs beyond the platform variables, pointed at the test's own sinks. */
export function serviceEnv(sinks: {
  targetsFile: string;
  webhookUrl: string;
  smtpUrl: string;
}): Record<CoreServiceName, Record<string, string>> {
  return {
    health: { TARGETS_FILE: sinks.targetsFile, API_KEYS: operatorApiKeys() },
    audit: {
      API_KEYS: JSON.stringify([
        { name: 'e2e', hash: hashApiKey(AUDIT_READ_KEY, { N: 1024 }), scopes: ['audit:read'] },
        operatorEntry,
        viewerEntry,
      ]),
    },
    alerting: { ALERT_WEBHOOK_URL: `${sinks.webhookUrl}/alerts`, API_KEYS: operatorApiKeys() },
    reporting: {
      API_KEYS: operatorApiKeys(),
      SMTP_URL: sinks.smtpUrl,
      REPORT_FROM: 'vigil@localhost',
      REPORT_RECIPIENTS: 'oncall@example.test',
    },
    errors: errorsServiceEnv(),
  };
}

/** An AuditEvent v1 as a service would publish it; `overrides` replace whole top-level fields. */
export function auditEvent(
  overrides: Record<string, unknown> = {},
): { id: string; source: string } & Record<string, unknown> {
  return {
    id: randomUUID(),
    occurred_at: new Date().toISOString(),
    source: 'shop',
    actor: { type: 'admin', id: 'admin-7' },
    action: 'admin.profile.viewed',
    resource: { type: 'user', id: '1001' },
    outcome: 'success',
    ...overrides,
  };
}

/** Publishes with a plain NATS client to audit.v1.events.<source>, Nats-Msg-Id = the event id. */
export async function publishAuditEvent(
  nc: NatsConnection,
  event: { id: string; source: string },
): Promise<void> {
  await jetstream(nc).publish(auditEventSubject(event.source), JSON.stringify(event), { msgID: event.id });
}

/** POST /reports/weekly for the seven days up to now. */
export function requestWeeklyReport(reportingUrl: string): Promise<Response> {
  const to = new Date().toISOString();
  const from = new Date(Date.now() - 7 * 24 * 3600_000).toISOString();
  return fetch(`${reportingUrl}/reports/weekly`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...operatorAuth },
    body: JSON.stringify({ from, to }),
  });
}
