import { EnvelopeError, envelopeHeaderOf, parseEnvelope } from './envelope';

const limits = { maxItems: 10 };
const text = (...lines: string[]) => Buffer.from(lines.join('\n'), 'utf8');

function problemOf(body: Buffer): string {
  try {
    parseEnvelope(body, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    return (error as EnvelopeError).problem;
  }
  throw new Error('expected an EnvelopeError');
}

describe('parseEnvelope', () => {
  it('frames items by length, even when the payload holds newlines', () => {
    const payload = '{"message":"a\nb"}';
    const body = text(
      '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"}',
      `{"type":"attachment","length":${Buffer.byteLength(payload)}}`,
      payload,
      '{"type":"event"}',
      '{}',
    );
    const envelope = parseEnvelope(body, limits);
    expect(envelope.header).toEqual({ event_id: '9ec79c33ec9942ab8353589fcb2e04dc' });
    expect(envelope.items.map((i) => [i.index, i.type, i.payload.toString()])).toEqual([
      [0, 'attachment', payload],
      [1, 'event', '{}'],
    ]);
  });

  it('frames items by newline when they have no length, with or without a trailing newline', () => {
    const withNewline = parseEnvelope(
      text('{}', '{"type":"session"}', '{"sid":1}', '{"type":"client_report"}', '{"x":2}', ''),
      limits,
    );
    expect(withNewline.items.map((i) => i.payload.toString())).toEqual(['{"sid":1}', '{"x":2}']);
    const without = parseEnvelope(text('{}', '{"type":"event"}', '{"a":1}'), limits);
    expect(without.items.map((i) => i.payload.toString())).toEqual(['{"a":1}']);
  });

  it('counts length in bytes, not characters', () => {
    const payload = '{"m":"é€😀"}';
    const body = text('{}', `{"type":"event","length":${Buffer.byteLength(payload)}}`, payload);
    expect(parseEnvelope(body, limits).items[0].payload.toString()).toBe(payload);
  });

  it('accepts an envelope with a header only, and an empty last payload', () => {
    expect(parseEnvelope(text('{"dsn":"x"}'), limits).items).toEqual([]);
    expect(parseEnvelope(text('{}', '{"type":"event","length":0}'), limits).items[0].payload.length).toBe(0);
  });

  it('refuses a truncated envelope: a length past the end', () => {
    expect(problemOf(text('{}', '{"type":"event","length":50}', '{"short":true}'))).toBe('truncated');
    expect(problemOf(text('{}', '{"type":"event","length":5}'))).toBe('truncated');
  });

  it('refuses a wrong length: the payload is not followed by a newline', () => {
    expect(problemOf(text('{}', '{"type":"event","length":3}', '{"a":1}'))).toBe('item_length');
    expect(problemOf(text('{}', '{"type":"event","length":-1}', '{}'))).toBe('item_length');
    expect(problemOf(text('{}', '{"type":"event","length":"7"}', '{"a":1}'))).toBe('item_length');
  });

  it('refuses a header or item header that is not a JSON object with a type', () => {
    expect(problemOf(text('not json', '{"type":"event"}', '{}'))).toBe('header');
    expect(problemOf(text('[1]'))).toBe('header');
    expect(problemOf(text('{}', '{"length":2}', '{}'))).toBe('item_header');
    expect(problemOf(text('{}', '{"type":"event"', '{}'))).toBe('item_header');
  });

  it('refuses more items than the limit', () => {
    const items = Array.from({ length: 11 }, () => '{"type":"session"}\n{}');
    expect(problemOf(text('{}', ...items))).toBe('too_many_items');
  });

  it('reads the header line alone even when the rest is broken', () => {
    expect(envelopeHeaderOf(text('{"dsn":"http://k@h/1"}', '{"type":'))).toEqual({ dsn: 'http://k@h/1' });
    expect(envelopeHeaderOf(text('garbage'))).toBeNull();
  });
});
