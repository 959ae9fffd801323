// Certificates the test makes (openssl), served by real https servers on 127.0.0.1 and checked by the
// real service with real NATS and Postgres: the blackbox gauge on /metrics, target_states.cert_expires_at,
// CertificateExpiring on alerts.v1.fired / resolved, refused certificates as failed checks, and a
// synthetic login step whose password comes from the environment and a mounted file, shown nowhere.
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';

import { ALERT_FIRED_SUBJECT, ALERT_RESOLVED_SUBJECT } from '@vigil/contracts';
import { startNatsServer, testDatabaseUrl, waitFor, type NatsServerHandle } from '@vigil/testing';

import {
  makeTestCertificates,
  startTlsServer,
  type TestCertificates,
  type TlsServer,
} from './test-certificates';
import { type RecordedAlert, recordAlerts, startHealthInProcess } from './health-harness';

const PASSWORD = 'correct horse battery staple';
const API_KEY = 'k-7f3a9c1e';

interface StatusBody {
  targets: { name: string; url: string; status: 'up' | 'down' | 'unknown'; last_error: string | null }[];
}

/** An app with a login form: POST /login wants the password in the body and the key in a header. */
async function startLoginApp() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/login') {
        const ok =
          body === JSON.stringify({ user: 'probe', password: PASSWORD }) &&
          req.headers['x-api-key'] === API_KEY;
        res
          .writeHead(ok ? 200 : 401, { 'content-type': 'application/json' })
          .end(JSON.stringify({ token: 'tok1' }));
        return;
      }
      res.writeHead(req.headers.authorization === 'Bearer tok1' ? 200 : 401).end('me');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('certificates and target secrets (real https servers, NATS and Postgres)', () => {
  let certs: TestCertificates;
  let nats: NatsServerHandle;
  let app: INestApplication;
  let client: NatsConnection;
  let subscription: Subscription;
  let databaseUrl: string;
  let base: string;
  let login: Awaited<ReturnType<typeof startLoginApp>>;
  const servers: Record<string, TlsServer> = {};
  const expiries: Record<string, Date> = {};
  const alerts: RecordedAlert[] = [];

  beforeAll(async () => {
    certs = makeTestCertificates();
    const made = {
      soon: certs.leaf(3),
      month: certs.leaf(15),
      fine: certs.leaf(90),
      expired: certs.leaf(-1),
      'wrong-host': certs.leaf(90, ['other.example']),
      'self-signed': certs.selfSigned(90),
    };
    for (const [name, certificate] of Object.entries(made)) {
      servers[name] = await startTlsServer(certificate);
      expiries[name] = certificate.expiresAt;
    }
    login = await startLoginApp();
    const keyFile = path.join(certs.dir, 'api-key');
    fs.writeFileSync(keyFile, `${API_KEY}\n`);

    nats = await startNatsServer();
    client = await connect({ servers: nats.url });
    subscription = recordAlerts(client, alerts);
    await client.flush();

    const https = Object.keys(made)
      .map(
        (name) => `  - name: ${name}
    url: https://127.0.0.1:${servers[name].port}/
    interval_s: 1
    timeout_ms: 2000
    tls: { ca_file: ${certs.caFile} }
`,
      )
      .join('');
    const file = path.join(certs.dir, 'targets.yaml');
    fs.writeFileSync(
      file,
      `targets:
${https}  - name: login
    type: synthetic
    interval_s: 1
    timeout_ms: 2000
    steps:
      - name: sign in
        url: http://127.0.0.1:${login.port}/login
        method: POST
        headers: { x-api-key: '\${file:${keyFile}}' }
        body: '{"user":"probe","password":"\${LOGIN_PASSWORD}"}'
        capture: { token: { json_path: $.token } }
      - name: me
        url: http://127.0.0.1:${login.port}/me
        headers: { authorization: 'Bearer \${token}' }
`,
    );
    databaseUrl = await testDatabaseUrl();
    ({ app, base } = await startHealthInProcess(file, nats.url, {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'silent',
      LOGIN_PASSWORD: PASSWORD,
    }));
  });

  afterAll(async () => {
    await subscription?.drain();
    await client?.close();
    await app?.close();
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    await login?.stop();
    await nats?.stop();
    certs?.remove();
  });

  const statuses = async () => {
    const body = (await (await fetch(`${base}/api/status`)).json()) as StatusBody;
    return Object.fromEntries(body.targets.map((t) => [t.name, t]));
  };
  const certificateAlerts = (target: string, subject: string) =>
    alerts.filter(
      (a) =>
        a.subject === subject &&
        a.event.labels.alertname === 'CertificateExpiring' &&
        a.event.labels.target === target,
    );

  it('exports probe_ssl_earliest_cert_expiry (unix seconds) per https target and keeps it in target_states', async () => {
    const seconds = (name: string) => Math.floor(expiries[name].getTime() / 1000);
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return ['soon', 'month', 'fine', 'expired', 'wrong-host', 'self-signed'].every((n) =>
          text.includes(`probe_ssl_earliest_cert_expiry{target="${n}"}`),
        )
          ? text
          : null;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: 'every https target has its gauge' },
    );
    for (const name of ['soon', 'month', 'fine', 'expired'])
      expect(metrics).toContain(`probe_ssl_earliest_cert_expiry{target="${name}"} ${seconds(name)}`);
    expect(metrics).toContain(
      '# HELP probe_ssl_earliest_cert_expiry Returns last SSL chain expiry in unixtime',
    );
    expect(metrics).not.toContain('probe_ssl_earliest_cert_expiry{target="login"}');

    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // `login` (plain http) has no gauge to wait for above: wait for its first state row here.
      const rows = await waitFor<{ target: string; cert_expires_at: Date | null }[] | null>(
        async () => {
          const answer = await db.query<{ target: string; cert_expires_at: Date | null }>(
            `SELECT target, cert_expires_at FROM target_states WHERE target = ANY($1::text[])`,
            [['soon', 'fine', 'login']],
          );
          return answer.rows.length === 3 ? answer.rows : null;
        },
        { timeoutMs: 15_000, intervalMs: 250, description: 'a state row for soon, fine and login' },
      );
      const byTarget = Object.fromEntries(
        (rows ?? []).map((r) => [r.target, r.cert_expires_at?.toISOString() ?? null]),
      );
      expect(byTarget).toEqual({
        soon: expiries.soon.toISOString(),
        fine: expiries.fine.toISOString(),
        login: null,
      });
    } finally {
      await db.end();
    }
  });

  it('fires CertificateExpiring critical inside 7 days and medium inside 21, none for 90 days', async () => {
    await waitFor(
      () =>
        certificateAlerts('soon', ALERT_FIRED_SUBJECT).length > 0 &&
        certificateAlerts('month', ALERT_FIRED_SUBJECT).length > 0,
      { timeoutMs: 15_000, description: 'CertificateExpiring for soon and month' },
    );
    const [soon] = certificateAlerts('soon', ALERT_FIRED_SUBJECT);
    expect(soon.event).toMatchObject({
      labels: { alertname: 'CertificateExpiring', severity: 'critical', service: 'soon', target: 'soon' },
      annotations: { expires_at: expiries.soon.toISOString(), days_left: '2' },
    });
    expect(soon.event.annotations.summary).toBe('TLS certificate of soon expires in 2 days');
    expect(certificateAlerts('month', ALERT_FIRED_SUBJECT)[0].event.labels.severity).toBe('medium');
    // `fine`'s cert_expires_at was saved above, which happens only after its alert (if any) is published.
    expect(certificateAlerts('fine', ALERT_FIRED_SUBJECT)).toEqual([]);
    expect(certificateAlerts('soon', ALERT_FIRED_SUBJECT)).toHaveLength(1);
  });

  it('fails expired, wrong-host and self-signed certificates with a clear reason, as ServiceDown', async () => {
    const settled = (await waitFor(
      async () => {
        const s = await statuses();
        return ['expired', 'wrong-host', 'self-signed'].every((n) => s[n]?.status === 'down') ? s : null;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: 'refused certificates down' },
    ))!;
    expect(settled.expired.last_error).toBe(
      `certificate expired on ${expiries.expired.toISOString().slice(0, 10)}`,
    );
    expect(settled['wrong-host'].last_error).toBe(
      'hostname mismatch: certificate is for other.example, not 127.0.0.1',
    );
    expect(settled['self-signed'].last_error).toBe('untrusted certificate: self-signed');
    expect(settled.fine.status).toBe('up');
    await waitFor(
      () =>
        alerts.some(
          (a) =>
            a.subject === ALERT_FIRED_SUBJECT &&
            a.event.labels.alertname === 'ServiceDown' &&
            a.event.labels.service === 'expired',
        ),
      { timeoutMs: 5000, description: 'ServiceDown for expired' },
    );
  });

  it('resolves CertificateExpiring with the same labels and startsAt once the certificate is renewed', async () => {
    await waitFor(() => certificateAlerts('soon', ALERT_FIRED_SUBJECT).length > 0, {
      timeoutMs: 15_000,
      description: 'CertificateExpiring for soon',
    });
    const renewed = certs.leaf(90);
    servers.soon.use(renewed);
    await waitFor(() => certificateAlerts('soon', ALERT_RESOLVED_SUBJECT).length > 0, {
      timeoutMs: 15_000,
      description: 'CertificateExpiring for soon resolved',
    });
    const [fired] = certificateAlerts('soon', ALERT_FIRED_SUBJECT);
    const [resolved] = certificateAlerts('soon', ALERT_RESOLVED_SUBJECT);
    expect(resolved.event.labels).toEqual(fired.event.labels);
    expect(resolved.event.startsAt).toBe(fired.event.startsAt);
    expect(resolved.event.annotations.expires_at).toBe(renewed.expiresAt.toISOString());
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain(
      `probe_ssl_earliest_cert_expiry{target="soon"} ${Math.floor(renewed.expiresAt.getTime() / 1000)}`,
    );
  });

  it('logs in with the password from the environment and the key from a file, and shows neither', async () => {
    await waitFor(async () => (await statuses()).login?.status === 'up', {
      timeoutMs: 15_000,
      description: 'login flow up (the secrets were sent)',
    });
    const json = await (await fetch(`${base}/api/status`)).text();
    const page = await (await fetch(`${base}/status`)).text();
    for (const shown of [json, page]) {
      expect(shown).not.toContain(PASSWORD);
      expect(shown).not.toContain(API_KEY);
    }
    expect(json).toContain('"url":"synthetic:http://127.0.0.1:');
  });
});
