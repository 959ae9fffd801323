import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { Client } from 'pg';

import {
  freePort,
  runService,
  type ServiceProcess,
  TEST_PG_ADMIN_URL_ENV,
  testDatabaseUrl,
  waitFor,
  withDatabase,
  tempDir,
} from '@vigil/testing';

import {
  AUDIT_READ_KEY,
  auditEvent,
  getJson,
  operatorApiKeys,
  operatorAuth,
  publishAuditEvent,
  requestWeeklyReport,
  SERVICES,
  startSystem,
  type VigilSystem,
} from './system';

/**
 * "Everything leaving a service passes through libs/redaction": one e-mail address and a few secrets
 * (a Stripe key, a password, a phone number) are sent through each path out of the built services
 * (audit storage, alert webhook, report e-mail, /health/detailed and target errors, HTTP error
 * bodies, logs) and none of them may reach Postgres, a webhook body, an e-mail or a log line.
 */
describe('redaction on every path out of the system', () => {
  const tag = randomBytes(6).toString('hex');
  const EMAIL = `leak.${tag}@example.com`;
  const STRIPE_KEY = `sk_live_Leak${tag}Key`;
  const PASSWORD = `pw-${tag}`;
  const PHONE = `+88017${String(10_000_000 + (parseInt(tag.slice(0, 6), 16) % 89_999_999))}`;
  const SECRETS = [EMAIL, encodeURIComponent(EMAIL), STRIPE_KEY, PASSWORD, PHONE];
  const auditId = randomUUID();
  const alertname = `CheckoutFailing-${tag}`;

  let system: VigilSystem;
  let nc: NatsConnection;
  let probe: { process: ServiceProcess; url: string };

  const url = (service: (typeof SERVICES)[number], pathname: string) =>
    `${system.services[service].url}${pathname}`;
  const expectClean = (where: string, text: string) => {
    for (const secret of SECRETS) {
      if (text.includes(secret)) throw new Error(`${where} contains ${secret}`);
    }
  };

  beforeAll(async () => {
    system = await startSystem();
    nc = await connect({ servers: system.nats.url });
    // A second health service whose only target has credentials in its URL and cannot be reached:
    // the URL and the connection error surface in /api/status, logs and stored check results.
    const closedPort = await freePort();
    const dir = tempDir('vigil-redaction-');
    const targets = path.join(dir, 'targets.yaml');
    fs.writeFileSync(
      targets,
      [
        'targets:',
        '  - name: private-api',
        `    url: http://probe:${PASSWORD}@127.0.0.1:${closedPort}/private?token=${STRIPE_KEY}&owner=${EMAIL}`,
        '    interval_s: 1',
        '    timeout_ms: 500',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const process = await runService({
      app: 'health',
      env: {
        PORT: String(port),
        NATS_URL: system.nats.url,
        DATABASE_URL: await testDatabaseUrl(),
        LOG_LEVEL: 'info',
        ENVIRONMENT: 'test',
        TARGETS_FILE: targets,
        API_KEYS: operatorApiKeys(),
      },
    });
    probe = { process, url: `http://127.0.0.1:${port}` };
    await process.waitForReady(port, 60_000);
  });

  afterAll(async () => {
    await probe?.process.stop().catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await system?.stop();
  });

  it('stores an audit event carrying them only redacted', async () => {
    const id = auditId;
    const event = auditEvent({
      id,
      changes: { phone: { before: PHONE, after: null } },
      metadata: {
        customer_email: EMAIL,
        password: PASSWORD,
        note: `asked to mail ${EMAIL} or call ${PHONE}; used key ${STRIPE_KEY}`,
        form: `user=u1&password=${PASSWORD}`,
      },
    });
    await publishAuditEvent(nc, event);

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
      { timeoutMs: 20_000, description: 'audit event listed by GET /audit/events' },
    );
    expect(stored?.event).toMatchObject({
      id,
      action: 'admin.profile.viewed',
      resource: { type: 'user', id: '1001' },
      metadata: { customer_email: '[REDACTED]', password: '[REDACTED]', form: 'user=u1&password=[REDACTED]' },
    });
    expectClean('GET /audit/events', JSON.stringify(stored));
  });

  it('delivers an alert to the webhook without them', async () => {
    const res = await fetch(url('alerting', '/api/v2/alerts'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operatorAuth },
      body: JSON.stringify([
        {
          labels: { alertname, severity: 'high', service: 'shop' },
          annotations: {
            summary: `checkout failing for ${EMAIL}`,
            description: `key ${STRIPE_KEY} password=${PASSWORD} call ${PHONE}`,
          },
        },
      ]),
    });
    expect(res.status).toBe(200);
    const delivery = await system.webhook.waitForRequest((r) => r.rawBody.includes(alertname), 20_000);
    expectClean('the alert webhook body', delivery.rawBody);
    expect(delivery.rawBody).toContain('[REDACTED:email]');
    expect(delivery.rawBody).toContain('[REDACTED:stripe_key]');
  });

  it('answers a bad request without echoing them', async () => {
    const res = await fetch(url('alerting', '/api/v2/alerts'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operatorAuth },
      body: JSON.stringify([
        { labels: { owner: EMAIL, password: PASSWORD }, annotations: 'x', startsAt: STRIPE_KEY },
      ]),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectClean('a 4xx body', await res.text());
  });

  it('e-mails the weekly report without them', async () => {
    const res = await requestWeeklyReport(system.services.reporting.url);
    expect(res.status).toBeLessThan(300);
    const mail = await system.smtp.waitForMessage(undefined, 30_000);
    expectClean('the report e-mail', `${mail.subject ?? ''}\n${mail.text ?? ''}\n${String(mail.html)}`);
  });

  it('shows a failing target and every dependency without them', async () => {
    const status = await waitFor(
      async () => {
        const { body } = await getJson<{ targets: { name: string; status: string; url: string }[] }>(
          `${probe.url}/api/status`,
        );
        const target = body.targets?.find((t) => t.name === 'private-api');
        return target && target.status !== 'unknown' && target.status !== 'pending' ? body : null;
      },
      { timeoutMs: 20_000, description: 'the private-api target checked' },
    );
    const target = status?.targets.find((t) => t.name === 'private-api');
    expect(target?.url).toContain('probe:[REDACTED]@127.0.0.1');
    expectClean('GET /api/status', JSON.stringify(status));

    for (const base of [...SERVICES.map((s) => system.services[s].url), probe.url]) {
      const detailed = await fetch(`${base}/health/detailed`, { headers: operatorAuth });
      expect(detailed.status).toBe(200);
      expectClean(`${base}/health/detailed`, await detailed.text());
    }
  });

  it('never writes them to Postgres', async () => {
    const adminUrl = process.env[TEST_PG_ADMIN_URL_ENV] as string;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    const { rows: databases } = await admin
      .query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname NOT IN ('postgres')",
      )
      .finally(() => admin.end());
    let tablesRead = 0;
    let everything = '';
    for (const { datname } of databases) {
      const client = new Client({ connectionString: withDatabase(adminUrl, datname) });
      await client.connect();
      try {
        const { rows: tables } = await client.query<{ schema: string; name: string }>(
          `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
        );
        for (const table of tables) {
          const { rows } = await client.query(
            `SELECT * FROM ${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)}`,
          );
          const text = JSON.stringify(rows);
          expectClean(`${datname}.${table.schema}.${table.name}`, text);
          everything += text;
          tablesRead++;
        }
      } finally {
        await client.end();
      }
    }
    expect(tablesRead).toBeGreaterThan(0);
    // The scan did see what the tests above stored: the audit event and the alert.
    expect(everything).toContain(auditId);
    expect(everything).toContain(alertname);
  });

  it('never writes them to a log line', async () => {
    // Each service logs this request (404) with its URL.
    const query = `/no-such-page?email=${encodeURIComponent(EMAIL)}&token=${STRIPE_KEY}&phone=${encodeURIComponent(PHONE)}`;
    for (const base of [...SERVICES.map((s) => system.services[s].url), probe.url])
      await fetch(`${base}${query}`);
    const processes = [
      ...SERVICES.map((s) => [s, system.services[s].process] as const),
      ['probe', probe.process] as const,
    ];
    await waitFor(() => processes.every(([, p]) => p.output().includes('/no-such-page')), {
      timeoutMs: 10_000,
      description: 'every service logged the request',
    });
    for (const [name, process] of processes) {
      const output = process.output();
      expect(output).toContain('/no-such-page?email=[REDACTED:email]&token=[REDACTED');
      expectClean(`the ${name} logs`, output);
    }
  });
});
