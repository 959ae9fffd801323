import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';

import {
  AUDIT_DLQ_STREAM,
  auditDlqSubject,
  auditEventSubject,
  HEADER_DLQ_REASON,
  HEADER_DLQ_SUBJECT,
} from '@vigil/contracts';
import { AuditPublisher, contextFrom, NatsMessaging, runWithContext } from '@vigil/platform';
import { waitFor } from '@vigil/testing';

import { replayDlq } from '../src/ingest/dlq-replay';
import { auditEvent as baseEvent, encode, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

const auditEvent = (overrides: Record<string, unknown> = {}) =>
  baseEvent({
    metadata: { contact_email: 'jane@example.com', note: 'called jane@example.com' },
    ...overrides,
  });

describe('audit ingest (real NATS JetStream + Postgres)', () => {
  let audit: AuditHarness;
  let client: NatsConnection;
  let base: string;

  beforeAll(async () => {
    audit = await startAudit();
    ({ client, base } = audit);
  });

  afterAll(async () => {
    await audit?.stop();
  });

  const stored = async () =>
    (
      (await (await fetch(`${base}/audit/events?limit=500`, { headers: readerHeaders })).json()) as {
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
    const res = await fetch(`${base}/audit/events?limit=0`, { headers: readerHeaders });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'bad_request',
      message: expect.stringContaining('limit'),
    });
  });

  it('counts stored events by source and rejections by reason in /metrics', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/audit_events_ingested_total\{source="shop"\} [1-9]/);
    expect(text).toMatch(/audit_events_rejected_total\{reason="not_json"\} 1/);
    expect(text).toMatch(/audit_events_rejected_total\{reason="source_mismatch"\} 1/);
    expect(text).toMatch(/audit_ingest_batch_size_count [1-9]/);
    expect(text).toMatch(/audit_ingest_batch_duration_seconds_bucket/);
    expect(text).toContain('audit_consumer_pending_messages');
  });

  it('replays DLQ messages to their original subject after a fix, and they are stored', async () => {
    const js = jetstream(client);
    const jsm = await jetstreamManager(client);
    // A valid event that an earlier (since fixed) consumer had rejected.
    const event = auditEvent();
    const h = headers();
    h.set(HEADER_DLQ_REASON, 'schema: rejected by a bug since fixed');
    h.set(HEADER_DLQ_SUBJECT, auditEventSubject('shop'));
    await js.publish(auditDlqSubject('schema'), encode(event), { headers: h });
    const before = (await jsm.streams.info(AUDIT_DLQ_STREAM.name)).state.messages;

    const dry = await replayDlq(client, { reason: 'schema', limit: 10, dryRun: true });
    expect(dry).toMatchObject({ replayed: 1, remaining: before });
    const result = await replayDlq(client, { reason: 'schema', limit: 10 });
    expect(result).toMatchObject({ replayed: 1, skipped: 0, remaining: before - 1 });

    await waitFor(async () => (await stored()).some((e) => e.event.id === event.id), {
      timeoutMs: 15000,
      description: 'replayed event stored',
    });
  });

  it('AuditPublisher sends a validated event with Nats-Msg-Id and the request id, stored once', async () => {
    const identity = { name: 'billing', version: '1', gitSha: 'x', environment: 'test' };
    const publisher = new AuditPublisher(new NatsMessaging(client, identity), identity);
    const context = contextFrom({ requestId: 'req-publisher-1' });
    const input = {
      actor: { type: 'admin' as const, id: 'admin-9' },
      action: 'admin.wallet.viewed',
      resource: { type: 'wallet', id: 'w-1' },
      outcome: 'success' as const,
    };
    const first = await runWithContext(context, () => publisher.publish(input));
    expect(first.duplicate).toBe(false);
    const retry = await publisher.publish({ ...input, id: first.id });
    expect(retry.duplicate).toBe(true);
    await expect(publisher.publish({ ...input, action: 'Not Dot Case' })).rejects.toThrow(/action/);

    await waitFor(async () => (await stored()).some((e) => e.event.id === first.id), {
      timeoutMs: 15000,
      description: 'published event stored',
    });
    const event = (await stored()).find((e) => e.event.id === first.id)?.event as Record<string, unknown>;
    expect(event).toMatchObject({
      source: 'billing',
      request_id: 'req-publisher-1',
      trace_id: context.traceId,
    });
  });
});
