import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { AUDIT_DLQ_STREAM, auditEventSubject, HEADER_DLQ_REASON } from '@vigil/contracts';
import { startService } from '@vigil/platform';
import { freePort, startNatsServer, testDatabaseUrl, waitFor, type NatsServerHandle } from '@vigil/testing';

import { auditService } from '../src/service';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function auditEvent(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    occurred_at: new Date().toISOString(),
    source: 'shop',
    actor: { type: 'admin', id: 'admin-1', ip: '10.1.2.3' },
    action: 'admin.profile.viewed',
    resource: { type: 'user', id: '42' },
    outcome: 'success',
    metadata: { contact_email: 'jane@example.com', note: 'called jane@example.com' },
    ...overrides,
  };
}

describe('audit ingest (real NATS JetStream + Postgres)', () => {
  let nats: NatsServerHandle;
  let app: INestApplication;
  let client: NatsConnection;
  let base: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await startService(
      auditService,
      {
        PORT: String(port),
        NATS_URL: nats.url,
        DATABASE_URL: await testDatabaseUrl(),
        LOG_LEVEL: 'warn',
        HEALTH_CHECK_INTERVAL_MS: '200',
      },
      { logger: false },
    );
    client = await connect({ servers: nats.url });
  });

  afterAll(async () => {
    await client?.close();
    await app?.close();
    await nats?.stop();
  });

  const stored = async () =>
    (
      (await (await fetch(`${base}/audit/events?limit=500`)).json()) as {
        events: { event: { id: string; metadata?: Record<string, unknown> } }[];
      }
    ).events;

  it('stores a published event once, redacted, even when published twice', async () => {
    const js = jetstream(client);
    const event = auditEvent();
    await js.publish(auditEventSubject('shop'), encode(event), { msgID: event.id });
    // A publisher retry outside the dedupe window arrives as a second message with the same id.
    await js.publish(auditEventSubject('shop'), encode(event), { msgID: `${event.id}-retry` });

    await waitFor(async () => (await stored()).some((e) => e.event.id === event.id), {
      timeoutMs: 15000,
      description: 'event stored',
    });
    // Give the second delivery time to be consumed; it must not add a row.
    await new Promise((r) => setTimeout(r, 1500));
    const matching = (await stored()).filter((e) => e.event.id === event.id);
    expect(matching).toHaveLength(1);
    expect(JSON.stringify(matching[0].event)).not.toContain('jane@example.com');
    expect(matching[0].event.metadata?.contact_email).toBe('[REDACTED]');
  });

  it('sends malformed events to AUDIT_DLQ with the reason, and keeps consuming', async () => {
    const js = jetstream(client);
    const h = headers();
    await js.publish(auditEventSubject('shop'), new TextEncoder().encode('{not json'), { headers: h });
    await js.publish(auditEventSubject('shop'), encode(auditEvent({ source: 'billing' })));
    const good = auditEvent();
    await js.publish(auditEventSubject('shop'), encode(good));

    await waitFor(async () => (await stored()).some((e) => e.event.id === good.id), {
      timeoutMs: 15000,
      description: 'good event stored',
    });
    const jsm = await jetstreamManager(client);
    const info = await waitFor(
      async () => {
        const i = await jsm.streams.info(AUDIT_DLQ_STREAM.name);
        return i.state.messages >= 2 ? i : null;
      },
      { timeoutMs: 10000, description: 'two DLQ messages' },
    );
    expect(info?.state.messages).toBe(2);
    const first = await jsm.streams.getMessage(AUDIT_DLQ_STREAM.name, { seq: info!.state.first_seq });
    expect(first?.header?.get(HEADER_DLQ_REASON)).toMatch(/^not_json: /);
    expect(first?.string()).toBe('{not json');
  });

  it('answers GET /audit/events with a 400 JSON error on a bad limit', async () => {
    const res = await fetch(`${base}/audit/events?limit=0`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('limit'),
    });
  });
});
