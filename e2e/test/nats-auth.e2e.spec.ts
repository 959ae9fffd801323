// The four built services on a nats-server that enforces k8s/base/nats-auth.conf (the users and permissions
// every deployment uses), each service connecting as its own user: ingest, alerts and the weekly report
// (request/reply to all three summaries) still work, a spoofed source is refused, and no service logs
// its NATS password.
//
// The services get their credentials in NATS_URL (nats://<user>:<password>@host:port), as k8s/ and
// docker/ configure them; libs/platform moves them into the connect options (nats.js ignores them in a URL).
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { auditEventSubject } from '@vigil/contracts';
import {
  freePort,
  repoRoot,
  runService,
  startNatsServer,
  startSmtpServer,
  startWebhookSink,
  testDatabaseUrl,
  waitFor,
  type NatsServerHandle,
  type ServiceName,
  type ServiceProcess,
  type SmtpSink,
  type WebhookSink,
} from '@vigil/testing';

import {
  AUDIT_READ_KEY,
  auditEvent,
  getJson,
  operatorAuth,
  publishAuditEvent,
  requestWeeklyReport,
  serviceEnv,
  SERVICES,
} from './system';

jest.setTimeout(180_000);

describe('the services under NATS users and permissions (k8s/base/nats-auth.conf)', () => {
  let dir = '';
  let nats: NatsServerHandle;
  let smtp: SmtpSink;
  let webhook: WebhookSink;
  let billing: NatsConnection;
  const passwords: Record<string, string> = {};
  const ports = {} as Record<ServiceName, number>;
  const processes = {} as Record<ServiceName, ServiceProcess>;
  const url = (service: ServiceName, route: string) => `http://127.0.0.1:${ports[service]}${route}`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-nats-auth-e2e-'));
    const authFile = path.join(repoRoot(), 'k8s/base/nats-auth.conf');
    fs.copyFileSync(authFile, path.join(dir, 'nats-auth.conf'));
    fs.writeFileSync(path.join(dir, 'nats.conf'), 'include ./nats-auth.conf\n');
    const env: Record<string, string> = {};
    for (const m of fs
      .readFileSync(authFile, 'utf8')
      .matchAll(/user:\s*([\w-]+)\s*\n\s*password:\s*\$(\w+)/g)) {
      passwords[m[1]] = `v${randomBytes(12).toString('hex')}`;
      env[m[2]] = passwords[m[1]];
    }
    nats = await startNatsServer({ configFile: path.join(dir, 'nats.conf'), env });
    smtp = await startSmtpServer();
    webhook = await startWebhookSink();
    const targets = path.join(dir, 'targets.yaml');
    for (const s of SERVICES) ports[s] = await freePort();
    fs.writeFileSync(
      targets,
      `targets:\n  - name: audit\n    url: http://127.0.0.1:${ports.audit}/health/liveness\n    interval_s: 1\n    timeout_ms: 1000\n`,
    );
    const extra = serviceEnv({ targetsFile: targets, webhookUrl: webhook.url, smtpUrl: smtp.url });
    const natsHost = new URL(nats.url).host;
    for (const name of SERVICES)
      processes[name] = await runService({
        app: name,
        env: {
          PORT: String(ports[name]),
          NATS_URL: `nats://${name}:${passwords[name]}@${natsHost}`,
          DATABASE_URL: await testDatabaseUrl(),
          LOG_LEVEL: 'info',
          ENVIRONMENT: 'test',
          ...extra[name],
        },
      });
    try {
      await Promise.all(SERVICES.map((name) => processes[name].waitForReady(ports[name], 60_000)));
    } catch (error) {
      for (const name of SERVICES) process.stderr.write(`--- ${name} ---\n${processes[name].output()}\n`);
      throw error;
    }
    // A publishing application receives its PubAcks on its own inbox (k8s/base/nats-auth.conf).
    billing = await connect({
      servers: nats.url,
      user: 'billing',
      pass: passwords.billing,
      inboxPrefix: '_INBOX_billing',
    });
  });

  afterAll(async () => {
    await billing?.close();
    await Promise.all(SERVICES.map((name) => processes[name]?.stop().catch(() => undefined)));
    await Promise.all([nats?.stop(), smtp?.stop(), webhook?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores an event a publisher sends as itself, and the server refuses a spoofed source', async () => {
    const event = auditEvent({
      source: 'billing',
      actor: { type: 'service', id: 'billing' },
      action: 'invoice.created',
      resource: { type: 'invoice', id: '42' },
    });
    const id = event.id;
    await publishAuditEvent(billing, event);
    const stored = await waitFor(
      async () => {
        const { body } = await getJson<{ events: { event: { id: string } }[] }>(
          url('audit', '/audit/events'),
          {
            headers: { authorization: `Bearer ${AUDIT_READ_KEY}` },
          },
        );
        return body.events?.find((e) => e.event.id === id);
      },
      { timeoutMs: 20_000, description: 'billing event stored by audit' },
    );
    expect(stored?.event.id).toBe(id);

    const spoofed = { ...event, id: randomUUID(), source: 'audit' };
    await expect(
      jetstream(billing).publish(auditEventSubject('audit'), JSON.stringify(spoofed)),
    ).rejects.toThrow(/Permissions Violation/);
  });

  it('delivers an alert and e-mails a weekly report built over request/reply from all three services', async () => {
    const alertname = `AuthE2E-${randomUUID().slice(0, 8)}`;
    const res = await fetch(url('alerting', '/api/v2/alerts'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operatorAuth },
      body: JSON.stringify([
        { labels: { alertname, severity: 'high', service: 'billing' }, annotations: {} },
      ]),
    });
    expect(res.status).toBe(200);
    await webhook.waitForRequest((r) => JSON.stringify(r.body).includes(alertname), 20_000);

    const report = await requestWeeklyReport(`http://127.0.0.1:${ports.reporting}`);
    const body = await report.text();
    expect({ status: report.status < 300, body }).toEqual({ status: true, body: expect.any(String) });
    const mail = await smtp.waitForMessage(undefined, 30_000);
    expect(mail.subject).toBeDefined();
    // The three summaries answered over NATS (only the traffic section, from Prometheus, is not configured).
    const unavailable = processes.reporting
      .output()
      .split('\n')
      .filter((line) => line.includes('unavailable_sources'));
    expect(unavailable.length).toBe(1);
    expect(unavailable[0]).toContain('"unavailable_sources":["traffic"]');
    expect(String(mail.text)).not.toMatch(/permission/i);
  });

  it('never logs a NATS password', async () => {
    await Promise.all(SERVICES.map((name) => processes[name].stop()));
    const leaks = SERVICES.flatMap((name) =>
      Object.entries(passwords)
        .filter(([, password]) => processes[name].output().includes(password))
        .map(([user]) => `${name} logged the password of ${user}`),
    );
    expect(leaks).toEqual([]);
    expect(SERVICES.every((name) => processes[name].output().includes('nats connected'))).toBe(true);
  });
});
