import { errorIntakeV1Schema } from '@vigil/contracts';

import { CHECK_IN_MAX_BYTES, prepareCheckIn, prepareEvent } from './items';

const context = { projectId: '7', receivedAt: '2026-01-05T10:00:00.000Z', clientIp: '10.0.0.9' };
const limits = { maxEventBytes: 4096, maxMessageBytes: 8192 };
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('prepareEvent', () => {
  it('wraps the event in an ErrorIntake v1 message, keeping its dashed id as 32 hex', () => {
    const prepared = prepareEvent(
      json({ event_id: '9EC79C33-EC99-42AB-8353-589FCB2E04DC', level: 'error' }),
      context,
      limits,
    );
    if (prepared.kind !== 'event') throw new Error(prepared.kind);
    expect(prepared.eventId).toBe('9ec79c33ec9942ab8353589fcb2e04dc');
    const message = errorIntakeV1Schema.parse(JSON.parse(Buffer.from(prepared.message).toString()));
    expect(message).toEqual({
      project_id: '7',
      event_id: '9ec79c33ec9942ab8353589fcb2e04dc',
      received_at: context.receivedAt,
      item_type: 'event',
      client_ip: '10.0.0.9',
      event: { event_id: '9ec79c33ec9942ab8353589fcb2e04dc', level: 'error' },
    });
  });

  it('passes a payload whose id is already 32 lowercase hex through as sent, decoding to the same event', () => {
    const id = 'ab'.repeat(16);
    // Whitespace, escapes, unicode, a duplicate key and a number written as 1.0: what the consumer
    // decodes must equal the parsed payload, as if it had been encoded again.
    const text = ` {"event_id": "${id}", "message": "a \\"quote\\" é 😀 \\u00e9", "n": 1.0, "n": 2,
      "extra": {"nested": [1, {"x": null}]}} `;
    const prepared = prepareEvent(Buffer.from(text), context, limits);
    if (prepared.kind !== 'event') throw new Error(prepared.kind);
    expect(Buffer.from(prepared.message).toString()).toContain(text);
    const message = errorIntakeV1Schema.parse(JSON.parse(Buffer.from(prepared.message).toString()));
    expect(message).toEqual({
      project_id: '7',
      event_id: id,
      received_at: context.receivedAt,
      item_type: 'event',
      client_ip: '10.0.0.9',
      event: JSON.parse(text),
    });
  });

  it('encodes the event again when its bytes are not UTF-8, so the message always is', () => {
    const id = 'cd'.repeat(16);
    const payload = Buffer.concat([
      Buffer.from(`{"event_id":"${id}","message":"`),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    const prepared = prepareEvent(payload, context, limits);
    if (prepared.kind !== 'event') throw new Error(prepared.kind);
    const message = errorIntakeV1Schema.parse(
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(prepared.message)),
    );
    expect(message.event).toEqual({ event_id: id, message: '\ufffd' });
  });

  it('fills a missing id from the envelope header, else a new one', () => {
    const fromHeader = prepareEvent(json({}), { ...context, envelopeEventId: 'aa'.repeat(16) }, limits);
    expect(fromHeader).toMatchObject({ kind: 'event', eventId: 'aa'.repeat(16) });
    const fresh = prepareEvent(json({}), context, limits);
    expect(fresh.kind === 'event' && /^[0-9a-f]{32}$/.test(fresh.eventId)).toBe(true);
  });

  it('sends bad JSON and bad ids to the dead-letter path with their reason', () => {
    expect(prepareEvent(Buffer.from('{"a":'), context, limits)).toMatchObject({
      kind: 'invalid',
      reason: 'event_json',
    });
    expect(prepareEvent(json([1, 2]), context, limits)).toMatchObject({
      kind: 'invalid',
      reason: 'event_json',
    });
    expect(prepareEvent(json({ event_id: 'nope' }), context, limits)).toMatchObject({
      kind: 'invalid',
      reason: 'event_invalid',
    });
  });

  it('refuses an event over the limit, and one whose message would be over it', () => {
    expect(prepareEvent(json({ m: 'x'.repeat(5000) }), context, limits)).toEqual({
      kind: 'too_large',
      limitBytes: 4096,
    });
    // 3000 bytes that are not UTF-8 become 9000 bytes of U+FFFD once re-encoded.
    const notUtf8 = Buffer.concat([Buffer.from('{"m":"'), Buffer.alloc(3000, 0xff), Buffer.from('"}')]);
    expect(prepareEvent(notUtf8, context, limits)).toMatchObject({ kind: 'too_large' });
  });
});

describe('prepareCheckIn', () => {
  it('turns a Sentry check-in into a CheckIn v1', () => {
    const item = {
      check_in_id: '83a7c0f4-5c1e-4ac6-a6a3-18d3c0e7c2a1',
      monitor_slug: 'nightly-backup',
      status: 'ok',
      duration: 12.5,
      environment: 'production',
    };
    expect(prepareCheckIn(json(item), context)).toEqual({
      kind: 'check_in',
      checkIn: {
        project_id: '7',
        check_in_id: '83a7c0f45c1e4ac6a6a318d3c0e7c2a1',
        monitor_slug: 'nightly-backup',
        status: 'ok',
        duration_s: 12.5,
        environment: 'production',
        received_at: context.receivedAt,
      },
    });
  });

  it('names the bad field of an invalid check-in', () => {
    const bad = prepareCheckIn(
      json({ check_in_id: 'aa'.repeat(16), monitor_slug: 'x', status: 'missed' }),
      context,
    );
    expect(bad).toMatchObject({ kind: 'invalid', reason: 'check_in_invalid' });
    expect(bad.kind === 'invalid' && bad.detail).toMatch(/^status:/);
    expect(prepareCheckIn(Buffer.alloc(CHECK_IN_MAX_BYTES + 1, 0x20), context)).toMatchObject({
      kind: 'too_large',
    });
  });
});
