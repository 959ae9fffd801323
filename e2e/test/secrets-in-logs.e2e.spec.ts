// Runs the whole system with real secrets configured (database password, audit signing key, API key),
// drives it through the paths that log the most (ingest, queries with good and bad keys, secrets in
// headers, query strings and payloads, alerts, a report, shutdown), then greps every line every service
// wrote for each secret. SECURITY.md: secrets never in logs, env dumps or error bodies.
import { generateKeyPairSync, randomUUID } from 'node:crypto';

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { testDatabaseUrl, waitFor } from '@vigil/testing';

import {
  AUDIT_READ_KEY,
  auditEvent,
  getJson,
  OPERATOR_KEY,
  operatorAuth,
  publishAuditEvent,
  SERVICES,
  startSystem,
  type VigilSystem,
} from './system';

jest.setTimeout(180_000);

const signingKey = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'der' })
  .toString('base64');
const wrongKey = `wrong-key-${randomUUID()}`;
const headerToken = `header-token-${randomUUID()}`;
const queryToken = `query-token-${randomUUID()}`;
const payloadPassword = `payload-password-${randomUUID()}`;
const annotationToken = `annotation-token-${randomUUID()}`;

describe('secrets in logs (whole system)', () => {
  let system: VigilSystem;
  let nc: NatsConnection;
  let databasePassword = '';
  const bodies: string[] = [];

  beforeAll(async () => {
    databasePassword = decodeURIComponent(new URL(await testDatabaseUrl()).password);
    system = await startSystem({ env: { AUDIT_SIGNING_KEY: signingKey, LOG_LEVEL: 'debug' } });
    nc = await connect({ servers: system.nats.url });
  });

  afterAll(async () => {
    await nc?.close();
    await system?.stop();
  });

  const url = (service: (typeof SERVICES)[number], path: string) => `${system.services[service].url}${path}`;

  it('runs the paths that log, with secrets in headers, query strings and payloads', async () => {
    const event = auditEvent({ metadata: { password: payloadPassword } });
    const id = event.id;
    await publishAuditEvent(nc, event);
    const stored = await waitFor(
      async () => {
        const { body } = await getJson<{ events: { event: { id: string } }[] }>(
          url('audit', '/audit/events'),
          { headers: { authorization: `Bearer ${AUDIT_READ_KEY}` } },
        );
        return body.events?.find((e) => e.event.id === id);
      },
      { timeoutMs: 20_000, description: 'audit event stored' },
    );
    expect(JSON.stringify(stored)).not.toContain(payloadPassword);

    const denied = await fetch(url('audit', '/audit/events'), {
      headers: { authorization: `Bearer ${wrongKey}` },
    });
    expect(denied.status).toBe(401);
    bodies.push(await denied.text());

    for (const service of SERVICES) {
      const res = await fetch(url(service, `/no-such-route?api_key=${queryToken}`), {
        headers: { authorization: `Bearer ${headerToken}`, cookie: `session=${headerToken}` },
      });
      expect(res.status).toBe(404);
      bodies.push(await res.text());
    }

    const alert = await fetch(url('alerting', '/api/v2/alerts'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operatorAuth },
      body: JSON.stringify([
        {
          labels: { alertname: `Leak-${id.slice(0, 8)}`, severity: 'high', service: 'shop' },
          annotations: { summary: 'check', api_token: annotationToken },
        },
      ]),
    });
    expect(alert.status).toBe(200);
    await system.webhook.waitForRequest(
      (r) => JSON.stringify(r.body).includes(`Leak-${id.slice(0, 8)}`),
      20_000,
    );

    // A bearer token that is no key, on a write route of every other service: 401, logged without it.
    const unknownKey = await fetch(url('alerting', '/api/v2/alerts'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${headerToken}` },
      body: '[]',
    });
    expect(unknownKey.status).toBe(401);
    bodies.push(await unknownKey.text());

    const bad = await fetch(url('reporting', '/reports/weekly'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...operatorAuth },
      body: JSON.stringify({ from: 'not-a-date', password: payloadPassword }),
    });
    expect(bad.status).toBe(400);
    bodies.push(await bad.text());
  });

  it('never writes a configured or submitted secret to any log line or error body', async () => {
    await system.stop();
    const secrets: Record<string, string> = {
      'database password': databasePassword,
      AUDIT_SIGNING_KEY: signingKey,
      'AUDIT_SIGNING_KEY (part)': signingKey.slice(16, 40),
      'audit API key': AUDIT_READ_KEY,
      'operator API key': OPERATOR_KEY,
      'wrong API key': wrongKey,
      'bearer/cookie token': headerToken,
      'query-string token': queryToken,
      'payload password': payloadPassword,
      'annotation token': annotationToken,
    };
    expect(databasePassword.length).toBeGreaterThan(0);
    const outputs = SERVICES.map((name) => [name, system.services[name].process.output()] as const);
    // The services did log: an empty output would make this test pass for nothing.
    for (const [name, output] of outputs)
      expect({ name, lines: output.split('\n').length > 10 }).toEqual({ name, lines: true });
    // Requests are logged with the name of the key that made them, never the key.
    const alerting = outputs.find(([name]) => name === 'alerting')?.[1] ?? '';
    expect(alerting).toContain('"api_key_name":"e2e-operator"');
    // The request carrying the query-string and header secrets was logged (its path is there).
    for (const [name, output] of outputs)
      expect({ name, logged: output.includes('/no-such-route') }).toEqual({ name, logged: true });
    const leaks: string[] = [];
    for (const [label, secret] of Object.entries(secrets)) {
      for (const [name, output] of outputs)
        for (const line of output.split('\n'))
          if (line.includes(secret)) leaks.push(`${name} logged the ${label}: ${line.slice(0, 300)}`);
      for (const body of bodies)
        if (body.includes(secret)) leaks.push(`an error body holds the ${label}: ${body.slice(0, 300)}`);
    }
    expect(leaks).toEqual([]);
  });
});
