import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';

import {
  AUDIT_DLQ_STREAM,
  AUDIT_INGEST_CONSUMER,
  AUDIT_STREAM,
  auditEventSubject,
  HEADER_DLQ_ORIGINAL,
  HEADER_DLQ_REASON,
  HEADER_DLQ_TRUNCATED,
} from '@vigil/contracts';
import { waitFor } from '@vigil/testing';

import { auditEvent, encode } from './audit-factory';
import { startAudit, type AuditHarness } from './audit-harness';

jest.setTimeout(60_000);

interface DeadLetter {
  subject: string;
  reason: string;
  original: string;
  truncated: string;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
}

/**
 * Poison messages against the real consumer, NATS JetStream and Postgres: each costs only itself (its
 * batch-mates are stored), goes to AUDIT_DLQ with its reason, and nothing is left unacked; the first
 * stored copy of an id wins and a different later copy is dead-lettered as duplicate_conflict.
 */
describe('audit ingest: a poison message costs one message, never the pipeline', () => {
  let audit: AuditHarness;
  let jsm: JetStreamManager;
  let db: Client;
  const subject = auditEventSubject('shop');

  beforeAll(async () => {
    audit = await startAudit();
    jsm = await jetstreamManager(audit.client);
    db = new Client({ connectionString: audit.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await audit?.stop();
  });

  /** Publishes each payload (without waiting for the previous ack, so they tend to share a batch). */
  const publishAll = async (payloads: Uint8Array[]): Promise<number[]> => {
    const js = jetstream(audit.client);
    const acks = await Promise.all(payloads.map((data) => js.publish(subject, data)));
    return acks.map((ack) => ack.seq);
  };

  /** Waits until the consumer has every message of AUDIT and holds none unacked (nothing loops). */
  const settled = () =>
    waitFor(
      async () => {
        const [stream, consumer] = await Promise.all([
          jsm.streams.info(AUDIT_STREAM.name),
          jsm.consumers.info(AUDIT_STREAM.name, AUDIT_INGEST_CONSUMER),
        ]);
        const done =
          consumer.delivered.stream_seq >= stream.state.last_seq &&
          consumer.num_pending + consumer.num_ack_pending === 0;
        return done ? consumer : null;
      },
      { timeoutMs: 20_000, description: 'the consumer settled (nothing pending, nothing unacked)' },
    );

  /** The dead letters of the given AUDIT sequences, by sequence. */
  const deadLetters = async (seqs: readonly number[]): Promise<Map<number, DeadLetter>> => {
    const info = await jsm.streams.info(AUDIT_DLQ_STREAM.name);
    const found = new Map<number, DeadLetter>();
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(AUDIT_DLQ_STREAM.name, { seq }).catch(() => null);
      const original = msg?.header?.get(HEADER_DLQ_ORIGINAL) ?? '';
      const originalSeq = Number(original.split(':')[1]);
      if (!msg || !seqs.includes(originalSeq)) continue;
      found.set(originalSeq, {
        subject: msg.subject,
        reason: msg.header?.get(HEADER_DLQ_REASON) ?? '',
        original,
        truncated: msg.header?.get(HEADER_DLQ_TRUNCATED) ?? '',
        data: msg.data,
        headers: msg.header,
      });
    }
    return found;
  };

  const storedEvents = async (ids: readonly string[]) => {
    const { rows } = await db.query<{ id: string; event: Record<string, unknown> }>(
      'SELECT id, event FROM audit_events WHERE id = ANY($1::uuid[])',
      [[...ids]],
    );
    return rows;
  };

  const metric = async (pattern: RegExp): Promise<number> => {
    const text = await (await fetch(`${audit.base}/metrics`)).text();
    return Number(pattern.exec(text)?.[1] ?? 0);
  };

  /** Good events around one poison payload in the middle; every message must be stored or dead-lettered. */
  async function expectOnlyThePoisonLost(poison: Uint8Array, reasons: RegExp): Promise<DeadLetter> {
    const good = Array.from({ length: 20 }, () => auditEvent());
    const payloads: Uint8Array[] = good.map((event) => encode(event));
    payloads.splice(10, 0, poison);
    const seqs = await publishAll(payloads);
    await settled();

    const stored = await storedEvents(good.map((e) => e.id));
    expect(stored).toHaveLength(good.length);
    const letters = await deadLetters(seqs);
    // The counts add up: every published message is either stored or dead-lettered, once.
    expect(stored.length + letters.size).toBe(payloads.length);
    const letter = letters.get(seqs[10]);
    expect(letter?.reason).toMatch(reasons);
    expect(Buffer.from(letter!.data).equals(Buffer.from(poison))).toBe(true);
    return letter!;
  }

  it('an event Postgres refuses (a lone surrogate) is dead-lettered and its batch-mates are stored', async () => {
    // Passes the schema; jsonb refuses the \ud800 escape (unpaired surrogate) when the batch is appended.
    const poison = new TextEncoder().encode(
      JSON.stringify(auditEvent({ actor: { type: 'user', id: 'LONE' } })).replace('LONE', '\\ud800'),
    );
    const letter = await expectOnlyThePoisonLost(poison, /^(storage_refused|schema): /);
    expect(letter.subject).toMatch(/^audit\.v1\.dlq\.(storage_refused|schema)$/);
  });

  it('splits a batch Postgres refuses until each refused event is alone: only those are dead-lettered', async () => {
    // Postgres refusing two given ids with a data exception, whatever the validator lets through.
    const refused = [auditEvent(), auditEvent()];
    await db.query(`CREATE FUNCTION refuse_test_ids() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.id IN ('${refused[0].id}', '${refused[1].id}') THEN
          RAISE EXCEPTION 'refused for the test' USING ERRCODE = '22023';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER refuse_test_ids BEFORE INSERT ON audit_event_ids
      FOR EACH ROW EXECUTE FUNCTION refuse_test_ids()`);
    try {
      const good = Array.from({ length: 30 }, () => auditEvent());
      const events = [...good.slice(0, 5), refused[0], ...good.slice(5, 22), refused[1], ...good.slice(22)];
      const seqs = await publishAll(events.map((event) => encode(event)));
      await settled();

      expect(await storedEvents(good.map((e) => e.id))).toHaveLength(good.length);
      const letters = await deadLetters(seqs);
      expect([...letters.keys()].sort((a, b) => a - b)).toEqual([seqs[5], seqs[23]]);
      for (const letter of letters.values()) {
        expect(letter.subject).toBe('audit.v1.dlq.storage_refused');
        expect(letter.reason).toBe('storage_refused: SQLSTATE 22023: refused for the test');
      }
    } finally {
      await db.query('DROP TRIGGER refuse_test_ids ON audit_event_ids');
      await db.query('DROP FUNCTION refuse_test_ids()');
    }
  });

  it('an event holding JSON nested thousands deep in a string no longer fails its batch: it is stored, redacted', async () => {
    // Before, the redactor parsed and walked this recursively, overflowed the stack and failed the batch.
    const depth = 7000;
    const poison = auditEvent({ metadata: { note: `${'['.repeat(depth)}${']'.repeat(depth)}` } });
    const good = Array.from({ length: 20 }, () => auditEvent());
    const payloads = good.map((event) => encode(event));
    payloads.splice(10, 0, encode(poison));
    await publishAll(payloads);
    await settled();
    const stored = await storedEvents([...good, poison].map((e) => e.id));
    expect(stored).toHaveLength(good.length + 1);
    const note = stored.find((row) => row.id === poison.id)?.event.metadata as { note: string };
    // The redactor cuts what lies past its depth limit and marks it: bounded, never a throw.
    expect(note.note).toContain('[Truncated]');
    expect(note.note.length).toBeLessThan(1000);
  });

  it('a rejection reason carrying CR/LF does not break the dead-letter publish', async () => {
    // The schema error names the path, and this path holds a line break.
    const poison = encode(auditEvent({ changes: { 'field\r\nInjected-Header: yes': 5 } }));
    const letter = await expectOnlyThePoisonLost(poison, /^schema: changes\.field {1,2}Injected-Header: yes/);
    expect(letter.headers?.has('Injected-Header')).toBe(false);
  });

  it('a message whose dead-letter copy would not fit max_payload leaves a bounded record with its hash', async () => {
    const maxPayload = audit.client.info?.max_payload ?? 0;
    expect(maxPayload).toBeGreaterThan(64 * 1024);
    // As large as the server takes without headers: too large for an event, and for the DLQ with its headers.
    const poison = new Uint8Array(maxPayload - 64).fill(0x7b);
    const [seq] = await publishAll([poison]);
    await settled();
    const letter = (await deadLetters([seq])).get(seq);
    const sha256 = createHash('sha256').update(poison).digest('hex');
    expect(letter?.reason).toMatch(/^too_large: /);
    expect(letter?.truncated).toBe(`sha256=${sha256}; length=${poison.byteLength}`);
    expect(JSON.parse(new TextDecoder().decode(letter!.data))).toMatchObject({
      truncated: true,
      sha256,
      length: poison.byteLength,
      original: `${AUDIT_STREAM.name}:${seq}`,
      prefix: '{'.repeat(4096),
    });
  });

  const conflicts = () => metric(/audit_events_duplicate_conflicts_total\{source="shop"\} (\d+)/);

  it.each([
    ['in one batch', 0],
    ['across batches', 1],
  ])('keeps the first copy of an id and dead-letters a different later copy (%s)', async (_, separate) => {
    const id = randomUUID();
    const first = auditEvent({ id, action: 'admin.profile.viewed' });
    const later = auditEvent({ id, action: 'admin.profile.deleted' });
    const before = await conflicts();
    let seqs: number[];
    if (separate) {
      const [firstSeq] = await publishAll([encode(first)]);
      await settled();
      seqs = [firstSeq, ...(await publishAll([encode(later)]))];
    } else {
      // Fillers first: the consumer takes the first message alone, and both copies in the next batch.
      const fillers = await publishAll(Array.from({ length: 10 }, () => encode(auditEvent())));
      seqs = await publishAll([encode(first), encode(later)]);
      expect(seqs[0]).toBeGreaterThan(fillers[fillers.length - 1]);
    }
    await settled();

    const stored = await storedEvents([id]);
    expect(stored).toHaveLength(1);
    expect(stored[0].event.action).toBe('admin.profile.viewed');
    const letters = await deadLetters(seqs);
    expect([...letters.keys()]).toEqual([seqs[1]]);
    expect(letters.get(seqs[1])?.subject).toBe('audit.v1.dlq.duplicate_conflict');
    expect(letters.get(seqs[1])?.reason).toMatch(/^duplicate_conflict: /);
    expect(JSON.parse(new TextDecoder().decode(letters.get(seqs[1])!.data))).toEqual(later);
    expect(await conflicts()).toBe(before + 1);
  });

  it('acks an identical copy quietly, in one batch and across batches', async () => {
    const event = auditEvent();
    const before = await conflicts();
    const seqs = await publishAll([encode(event), encode(event)]);
    await settled();
    seqs.push(...(await publishAll([encode(event)])));
    await settled(); // all three handled: a dead letter for a copy would be there by now

    expect(await storedEvents([event.id])).toHaveLength(1);
    expect((await deadLetters(seqs)).size).toBe(0);
    expect(await conflicts()).toBe(before);
  });
});
