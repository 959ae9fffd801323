import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';

import {
  AUDIT_INGEST_CONSUMER,
  AUDIT_STREAM,
  auditEventSubject,
  HEADER_MSG_ID,
  HEADER_REQUEST_ID,
} from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import {
  ANY_PUBLISHER_KEY,
  auditEvent,
  encode,
  readerHeaders,
  SHOP_PUBLISHER_KEY,
  SLOW_PUBLISHER_KEY,
} from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

interface Results {
  results: { id: string | null; status: number; error?: string }[];
}
interface ErrorAnswer {
  error: string;
  message: string;
  details?: { results?: Results['results']; [key: string]: unknown };
}

describe('POST /audit/v1/events (real NATS JetStream + Postgres)', () => {
  let audit: AuditHarness;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    audit = await startAudit();
    jsm = await jetstreamManager(audit.client);
  });

  afterAll(async () => {
    await audit?.stop();
  });

  const post = (body: unknown, key = SHOP_PUBLISHER_KEY, headers: Record<string, string> = {}) =>
    fetch(`${audit.base}/audit/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const storedEvent = async (id: string) => {
    const res = await fetch(`${audit.base}/audit/events/${id}`, { headers: readerHeaders });
    return res.status === 200 ? ((await res.json()) as { event: { id: string; source: string } }) : null;
  };
  const waitStored = (id: string) =>
    waitFor(() => storedEvent(id), { timeoutMs: 15000, description: `event ${id} stored` });

  /** Messages in AUDIT on `subject`, straight from the stream's state. */
  const messagesOn = async (subject: string) => {
    const info = await jsm.streams.info(AUDIT_STREAM.name, { subjects_filter: subject });
    return info.state.subjects?.[subject] ?? 0;
  };

  it('answers 202 only once the event is in the AUDIT stream, with its id and request id, and stores it', async () => {
    const event = auditEvent({ source: 'shop' });
    const res = await post(event, SHOP_PUBLISHER_KEY, { 'x-request-id': 'req-intake-1' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ results: [{ id: event.id, status: 202 }] });

    // Right after the answer, without waiting: 202 means JetStream already holds it.
    const last = await jsm.streams.getMessage(AUDIT_STREAM.name, { last_by_subj: auditEventSubject('shop') });
    expect(last?.json<{ id: string }>().id).toBe(event.id);
    expect(last?.header?.get(HEADER_MSG_ID)).toBe(event.id);
    expect(last?.header?.get(HEADER_REQUEST_ID)).toBe('req-intake-1');

    const stored = await waitStored(event.id);
    expect(stored?.event).toMatchObject({ id: event.id, source: 'shop', action: event.action });
  });

  it('answers 207 for a batch with an invalid event, and stores the valid ones', async () => {
    const good = [auditEvent({ source: 'shop' }), auditEvent({ source: 'profile' })];
    const bad = auditEvent({ action: 'Profile Viewed' });
    const conflicting = { ...good[0], action: 'admin.profile.changed' };
    const res = await post([good[0], bad, good[1], { note: 'not an event' }, conflicting]);
    expect(res.status).toBe(207);
    const { results } = (await res.json()) as Results;
    expect(results).toEqual([
      { id: good[0].id, status: 202 },
      { id: bad.id, status: 400, error: expect.stringMatching(/^schema: action: action must be dot.case/) },
      { id: good[1].id, status: 202 },
      { id: null, status: 400, error: expect.stringContaining('schema: ') },
      { id: good[0].id, status: 409, error: 'id already used by another event in this request' },
    ]);
    for (const event of good) await waitStored(event.id);
    expect((await storedEvent(good[0].id))?.event).toMatchObject({ action: good[0].action });
    expect(await storedEvent(bad.id)).toBeNull();
  });

  it('refuses a source the key is not bound to with 403 per event, and audits the denial', async () => {
    const allowed = auditEvent({ source: 'shop' });
    const foreign = auditEvent({ source: 'billing' });
    const mixed = await post([allowed, foreign]);
    expect(mixed.status).toBe(207);
    expect(((await mixed.json()) as Results).results).toEqual([
      { id: allowed.id, status: 202 },
      { id: foreign.id, status: 403, error: 'this API key may not publish as source "billing"' },
    ]);

    const onlyForeign = await post([auditEvent({ source: 'billing' }), auditEvent({ source: 'payments' })]);
    expect(onlyForeign.status).toBe(403);
    const refused = (await onlyForeign.json()) as ErrorAnswer;
    expect(refused).toMatchObject({ error: 'forbidden', message: expect.stringContaining('"shop-app"') });
    expect(refused.details?.results?.map((r) => r.status)).toEqual([403, 403]);

    // The allowed event of the same request was published and stored; the foreign one never reached NATS.
    await waitStored(allowed.id);
    expect(await messagesOn(auditEventSubject('billing'))).toBe(0);
    const denials = await waitFor(
      async () => {
        const res = await fetch(
          `${audit.base}/audit/events?action_prefix=audit.api.access_denied&actor=shop-app&limit=50`,
          { headers: readerHeaders },
        );
        const { events } = (await res.json()) as {
          events: { event: { outcome: string; resource: { id: string }; metadata?: { reason?: string } } }[];
        };
        const reasons = events.map((e) => e.event.metadata?.reason);
        return reasons.includes('key may not publish as source "payments"') ? events : null;
      },
      { timeoutMs: 15000, description: 'source denials audited' },
    );
    expect(denials?.map((e) => e.event.metadata?.reason)).toEqual(
      expect.arrayContaining([
        'key may not publish as source "billing"',
        'key may not publish as source "payments"',
      ]),
    );
    expect(denials?.[0].event).toMatchObject({
      outcome: 'denied',
      resource: { id: 'POST /audit/v1/events' },
    });
  });

  it('lets a key bound to "*" publish as any source', async () => {
    const event = auditEvent({ source: 'newcomer-app' });
    const res = await post([event], ANY_PUBLISHER_KEY);
    expect(res.status).toBe(202);
    expect(await messagesOn(auditEventSubject('newcomer-app'))).toBe(1);
  });

  it('answers 401 without a key and 403 for a key without audit:publish', async () => {
    const event = auditEvent();
    const anonymous = await fetch(`${audit.base}/audit/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await anonymous.json()).toMatchObject({ error: 'unauthorized' });

    const reader = await post(event, readerHeaders.authorization.slice('Bearer '.length));
    expect(reader.status).toBe(403);
    expect(await reader.json()).toMatchObject({
      error: 'forbidden',
      details: { required_scope: 'audit:publish' },
    });
    // A 202 is answered only once JetStream holds the event, so a refused one is not the last there now.
    const last = await jsm.streams.getMessage(AUDIT_STREAM.name, { last_by_subj: auditEventSubject('shop') });
    expect(last?.json<{ id: string }>().id).not.toBe(event.id);
  });

  it('refuses whole requests that hold no readable events with 4xx JSON', async () => {
    const tooMany = await post(Array.from({ length: 501 }, () => auditEvent()));
    expect(tooMany.status).toBe(413);
    expect(await tooMany.json()).toMatchObject({
      error: 'payload_too_large',
      details: { max_events: 500, events: 501 },
    });

    // 2 MiB: past HTTP_BODY_LIMIT_BYTES (1 MiB), refused from its Content-Length.
    const big = JSON.stringify([auditEvent({ metadata: { blob: 'x'.repeat(2 * 1024 * 1024) } })]);
    const oversized = await post(big);
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toMatchObject({
      error: 'payload_too_large',
      details: { limit_bytes: 1048576 },
    });

    const notJson = await post('{"id": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      error: 'bad_request',
      message: 'request body is not valid JSON',
    });

    for (const empty of ['', '[]', '{}']) {
      const res = await post(empty);
      expect([empty, res.status]).toEqual([empty, 400]);
      expect(await res.json()).toMatchObject({ message: expect.stringContaining('holds no event') });
    }

    const text = await post(JSON.stringify(auditEvent()), SHOP_PUBLISHER_KEY, {
      'content-type': 'text/plain',
    });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it('stores a resent batch once: JetStream drops the copy, the consumer ignores a late one', async () => {
    const subject = auditEventSubject('profile');
    const batch = [auditEvent({ source: 'profile' }), auditEvent({ source: 'profile' })];
    const before = await messagesOn(subject);
    expect((await post(batch)).status).toBe(202);
    expect(await messagesOn(subject)).toBe(before + 2);

    const again = await post(batch);
    expect(again.status).toBe(202);
    expect(((await again.json()) as Results).results.map((r) => r.status)).toEqual([202, 202]);
    expect(await messagesOn(subject)).toBe(before + 2);

    // A resend after JetStream's duplicate window reaches the stream as a second message; the consumer
    // must store nothing for it. Wait until it has been consumed, so a second row would be there by now.
    const late = await jetstream(audit.client).publish(subject, encode(batch[0]), {
      msgID: `${batch[0].id}-late`,
    });
    await waitFor(
      async () => {
        const consumer = await jsm.consumers.info(AUDIT_STREAM.name, AUDIT_INGEST_CONSUMER);
        return consumer.ack_floor.stream_seq >= late.seq && consumer.num_ack_pending === 0;
      },
      { timeoutMs: 15000, description: 'late copy consumed' },
    );
    for (const event of batch) await waitStored(event.id);
    const res = await fetch(`${audit.base}/audit/events?actor=admin-1&limit=500`, { headers: readerHeaders });
    const { events } = (await res.json()) as { events: { event: { id: string } }[] };
    for (const event of batch) expect(events.filter((e) => e.event.id === event.id)).toHaveLength(1);
  });

  it('rate limits publishing per key with 429 and Retry-After', async () => {
    const first = await post(auditEvent(), SLOW_PUBLISHER_KEY);
    expect(first.status).toBe(202);
    const second = await post(auditEvent(), SLOW_PUBLISHER_KEY);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await second.json()).toMatchObject({ error: 'too_many_requests' });
  });

  it('answers 503 with Retry-After when JetStream cannot take the events, and 202 once it can', async () => {
    await audit.nats.stop();
    const event = auditEvent();
    const res = await post([event]);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as ErrorAnswer;
    expect(body).toMatchObject({ error: 'service_unavailable' });
    expect(body.details?.results).toEqual([
      { id: event.id, status: 503, error: expect.stringMatching(/^not stored, retry: /) },
    ]);

    await audit.nats.restart();
    await waitFor(async () => (await post([event])).status === 202, {
      timeoutMs: 30000,
      intervalMs: 500,
      description: 'the same event accepted once NATS is back',
    });
    await waitStored(event.id);
  });
});
