import { randomUUID } from 'node:crypto';

import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import fc from 'fast-check';

import { AUDIT_DLQ_STREAM, AUDIT_INGEST_CONSUMER, AUDIT_STREAM, auditEventSubject } from '@vigil/contracts';
import { redact } from '@vigil/redaction';
import {
  expectHandledAnswer,
  expectNoEventLoopBlock,
  hostileJson,
  hostileText,
  hostileTime,
  mixedText,
  optional,
  ordinaryText,
  waitFor,
  withProtoKey,
} from '@vigil/testing';

import { auditEvent, readerHeaders } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

jest.setTimeout(240_000);

const SEED = 20261207;

/** What the test publishes, and what it knows about it. */
interface Published {
  subject: string;
  text: string;
  /** The event's id when the text is an object with one. */
  id?: string;
  /** An event every rule accepts: it must be stored, unchanged but for redaction. */
  ordinary: boolean;
  /** A second copy of an ordinary event: identical (acked quietly) or conflicting (dead-lettered). */
  copyOf?: 'identical' | 'conflicting';
}

const ordinaryEvent = fc
  .record({
    metadata: optional(
      fc.dictionary(fc.constantFrom('note', 'ticket', 'field', 'reason'), ordinaryText(), { maxKeys: 3 }),
    ),
    resourceId: ordinaryText(),
    actorId: ordinaryText(),
  })
  .map(({ metadata, resourceId, actorId }) =>
    auditEvent({
      ...(metadata ? { metadata } : {}),
      actor: { type: 'admin', id: actorId },
      resource: { type: 'user', id: resourceId },
    }),
  );

/** One field of an otherwise valid event replaced by something from the hostile classes. */
const hostileEvent = fc
  .oneof(
    mixedText().map((id) => ({ actor: { type: 'admin', id } })),
    mixedText().map((id) => ({ resource: { type: 'user', id } })),
    hostileText().map((tenant_id) => ({ tenant_id })),
    hostileText().map((request_id) => ({ request_id })),
    hostileTime().map((occurred_at) => ({ occurred_at })),
    hostileJson().map((metadata) => ({ metadata })),
    fc.tuple(mixedText(), hostileJson(), hostileJson()).map(([field, before, after]) => ({
      changes: { [field]: { before, after } },
    })),
    mixedText().map((action) => ({ action })),
  )
  .map((overrides) => auditEvent(overrides));

const message: fc.Arbitrary<Published> = fc.oneof(
  {
    arbitrary: ordinaryEvent.map((e) => ({
      subject: auditEventSubject('shop'),
      text: JSON.stringify(e),
      id: e.id,
      ordinary: true,
    })),
    weight: 4,
  },
  {
    arbitrary: hostileEvent.map((e) => ({
      subject: auditEventSubject('shop'),
      text: JSON.stringify(e),
      id: e.id,
      ordinary: false,
    })),
    weight: 4,
  },
  {
    arbitrary: ordinaryEvent.map((e) => ({
      subject: auditEventSubject('shop'),
      text: withProtoKey(e),
      id: e.id,
      ordinary: false,
    })),
    weight: 1,
  },
  {
    arbitrary: ordinaryEvent.map((e) => ({
      subject: auditEventSubject('billing'),
      text: JSON.stringify(e),
      id: e.id,
      ordinary: false,
    })),
    weight: 1,
  },
  {
    arbitrary: fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), hostileText()).map((text) => ({
      subject: auditEventSubject('shop'),
      text,
      ordinary: false,
    })),
    weight: 1,
  },
);

/** The ordinary events again: some identical (a publisher retry), some with the same id and other content. */
function withCopies(messages: Published[]): Published[] {
  const out = [...messages];
  messages
    .filter((m) => m.ordinary)
    .forEach((m, i) => {
      if (i % 5 === 0) out.push({ ...m, ordinary: false, copyOf: 'identical' });
      if (i % 5 === 1) {
        const changed = { ...(JSON.parse(m.text) as Record<string, unknown>), outcome: 'failure' };
        // Right after the original, so both often land in one batch: the first must still win.
        out.splice(out.indexOf(m) + 1, 0, {
          ...m,
          text: JSON.stringify(changed),
          ordinary: false,
          copyOf: 'conflicting',
        });
      }
    });
  return out;
}

/**
 * Generated audit messages, ordinary and hostile, published over JetStream: the consumer settles with
 * nothing pending, every message is either stored once or dead-lettered (the counts add up), an
 * ordinary event is stored exactly as published (redacted), the first copy of an id wins, and queries
 * with generated parameters never answer 5xx.
 */
describe('audit under generated hostile input (fast-check, real NATS JetStream + Postgres)', () => {
  let audit: AuditHarness;

  beforeAll(async () => {
    audit = await startAudit();
  });

  afterAll(async () => {
    await audit?.stop();
  });

  it('settles with every message stored once or dead-lettered, and ordinary events stored as published', async () => {
    const messages = withCopies(fc.sample(message, { numRuns: 300, seed: SEED }));
    const js = jetstream(audit.client);
    const jsm = await jetstreamManager(audit.client);
    const dlqBefore = (await jsm.streams.info(AUDIT_DLQ_STREAM.name)).state.messages;
    for (const m of messages) {
      // A msgID of its own per message: JetStream's dedupe would otherwise drop the copies before us.
      await js.publish(m.subject, new TextEncoder().encode(m.text), { msgID: randomUUID() });
    }
    const { last_seq } = (await jsm.streams.info(AUDIT_STREAM.name)).state;
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(AUDIT_STREAM.name, AUDIT_INGEST_CONSUMER);
        return info.ack_floor.stream_seq >= last_seq && info.num_pending === 0 && info.num_ack_pending === 0;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 250,
        description: 'the ingest consumer settled (nothing pending or unacked)',
      },
    );

    const stored = new Map<string, unknown>();
    for (const id of new Set(messages.map((m) => m.id).filter((id): id is string => id !== undefined))) {
      const res = await fetch(`${audit.base}/audit/events/${id}`, { headers: readerHeaders });
      expect([200, 404]).toContain(res.status);
      if (res.status === 200) stored.set(id, ((await res.json()) as { event: unknown }).event);
    }
    for (const m of messages.filter((m) => m.ordinary)) {
      expect(stored.get(m.id!)).toEqual(redact(JSON.parse(m.text)));
    }
    const dlq = (await jsm.streams.info(AUDIT_DLQ_STREAM.name)).state.messages - dlqBefore;
    const identical = messages.filter((m) => m.copyOf === 'identical').length;
    const conflicting = messages.filter((m) => m.copyOf === 'conflicting').length;
    expect(conflicting).toBeGreaterThan(5);
    // Every message is accounted for: a row, a dead letter, or a quiet identical copy of a stored row.
    expect(stored.size + dlq + identical).toBe(messages.length);
    expect(dlq).toBeGreaterThanOrEqual(conflicting);
  });

  it('answers generated queries without a 5xx or a block', async () => {
    const query = fc.record({
      actor: optional(mixedText()),
      action_prefix: optional(mixedText()),
      resource_type: optional(mixedText()),
      resource_id: optional(mixedText()),
      outcome: optional(mixedText()),
      tenant: optional(mixedText()),
      from: optional(hostileTime()),
      to: optional(hostileTime()),
      limit: optional(fc.oneof(fc.integer().map(String), mixedText())),
      cursor: optional(
        fc.oneof(
          mixedText(),
          fc
            .record({ r: hostileTime(), i: fc.oneof(fc.uuid(), mixedText()) })
            .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
        ),
      ),
    });
    const path = fc.oneof(
      query.map((q) => `/audit/events?${new URLSearchParams(wellFormed(q)).toString()}`),
      mixedText().map((id) => `/audit/events/${encodeURIComponent(id.toWellFormed())}`),
      fc
        .record({ from: optional(hostileTime()), to: optional(hostileTime()) })
        .map((q) => `/audit/verify?${new URLSearchParams(wellFormed(q)).toString()}`),
    );
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        const res = await expectNoEventLoopBlock(`GET ${p.slice(0, 80)}`, () =>
          fetch(`${audit.base}${p}`, { headers: readerHeaders }),
        );
        await expectHandledAnswer(res);
      }),
      { numRuns: 150, seed: SEED, endOnFailure: true },
    );
  });
});

/** Query values as URLSearchParams takes them (it replaces lone surrogates; NUL and the rest stay). */
function wellFormed(query: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(query)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => [k, v.toWellFormed()]),
  );
}
