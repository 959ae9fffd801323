import type { JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { createHash } from 'node:crypto';

import {
  HEADER_DLQ_ORIGINAL,
  HEADER_DLQ_REASON,
  HEADER_DLQ_SUBJECT,
  HEADER_DLQ_TRUNCATED,
} from '@vigil/contracts';

import { DEAD_LETTER_HEADER_MAX, deadLetterCopy, deadLetterOf, headerSafe } from './dead-letter';

/** Just what deadLetterCopy reads of a delivered message. */
function delivered(data: Uint8Array, subject = 'audit.v1.events.shop'): JsMsg {
  return { subject, data, info: { stream: 'AUDIT', streamSequence: 42 } } as unknown as JsMsg;
}

describe('headerSafe', () => {
  it('makes any text a value nats.js accepts in a header', () => {
    const hostile = 'schema: bad\r\nInjected: yes\u0000\u2028tail \ud800 end';
    expect(() => headers().set('x', hostile)).toThrow(/\\r or \\n/);
    const safe = headerSafe(hostile);
    expect(safe).toBe('schema: bad Injected: yes tail \ufffd end');
    expect(() => headers().set('x', safe)).not.toThrow();
  });

  it('bounds the length without cutting a surrogate pair in two', () => {
    expect(headerSafe('x'.repeat(5000))).toHaveLength(DEAD_LETTER_HEADER_MAX);
    const cut = headerSafe(`${'x'.repeat(8)}😀😀`, 10);
    expect(cut).toBe(`${'x'.repeat(8)}…`);
    expect(headerSafe('keeps 😀 pairs')).toBe('keeps 😀 pairs');
  });
});

describe('deadLetterCopy', () => {
  it('keeps the original bytes when the copy fits', () => {
    const data = new TextEncoder().encode('{"id":"x"}');
    const copy = deadLetterCopy(
      { subject: 'audit.v1.dlq.schema', msg: delivered(data), reason: 'schema: x\ny' },
      1 << 20,
    );
    expect(copy.truncated).toBe(false);
    expect(copy.data).toBe(data);
    expect(copy.headers.get(HEADER_DLQ_REASON)).toBe('schema: x y');
    expect(copy.headers.get(HEADER_DLQ_ORIGINAL)).toBe('AUDIT:42');
    expect(copy.msgId).toBe('dlq:AUDIT:42');
  });

  it('replaces a payload that would not fit max_payload with its hash, length and a prefix', () => {
    const maxPayload = 64 * 1024;
    const data = new Uint8Array(maxPayload - 100).fill(0x41);
    const copy = deadLetterCopy(
      { subject: 'audit.v1.dlq.too_large', msg: delivered(data), reason: 'too_large' },
      maxPayload,
    );
    const sha256 = createHash('sha256').update(data).digest('hex');
    expect(copy.truncated).toBe(true);
    expect(copy.data.byteLength).toBeLessThan(maxPayload / 4);
    expect(copy.headers.get(HEADER_DLQ_TRUNCATED)).toBe(`sha256=${sha256}; length=${data.byteLength}`);
    expect(JSON.parse(new TextDecoder().decode(copy.data))).toEqual({
      truncated: true,
      sha256,
      length: data.byteLength,
      original: 'AUDIT:42',
      prefix: 'A'.repeat(4096),
    });
  });

  it('shrinks the prefix until the record fits a small max_payload', () => {
    const data = new TextEncoder().encode('\u0001'.repeat(4000)); // escapes to six bytes each in JSON
    const copy = deadLetterCopy({ subject: 'audit.v1.dlq.x', msg: delivered(data), reason: 'x' }, 2048);
    expect(copy.truncated).toBe(true);
    expect(copy.data.byteLength).toBeLessThan(2048 - 512);
  });
});

describe('deadLetterOf (bytes that were never a stream message)', () => {
  const source = (data: Uint8Array) => ({
    data,
    origin: 'POST /api/1/envelope/',
    reference: 'http:req-1:item:2',
    msgId: 'dlq:http:req-1:item:2:n',
  });

  it('names where the bytes came from and keeps them when they fit', () => {
    const data = new TextEncoder().encode('{"not": json}');
    const copy = deadLetterOf(source(data), 'event_json: the event is not a JSON object', 1 << 20);
    expect(copy).toMatchObject({ data, msgId: 'dlq:http:req-1:item:2:n', truncated: false });
    expect(copy.headers.get(HEADER_DLQ_REASON)).toBe('event_json: the event is not a JSON object');
    expect(copy.headers.get(HEADER_DLQ_SUBJECT)).toBe('POST /api/1/envelope/');
    expect(copy.headers.get(HEADER_DLQ_ORIGINAL)).toBe('http:req-1:item:2');
  });

  it('keeps a hash, the length and a prefix of bytes over max_payload', () => {
    const data = new Uint8Array(64 * 1024).fill(0x61);
    const copy = deadLetterOf(source(data), 'envelope_malformed: truncated', 16 * 1024);
    expect(copy.truncated).toBe(true);
    expect(copy.data.byteLength).toBeLessThan(16 * 1024);
    const record = JSON.parse(new TextDecoder().decode(copy.data)) as { length: number; original: string };
    expect(record).toMatchObject({ length: 64 * 1024, original: 'http:req-1:item:2' });
  });
});
