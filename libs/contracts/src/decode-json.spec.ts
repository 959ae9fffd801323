import { decodeJson, MessageDecodeError } from './decode-json';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('decodeJson', () => {
  it('parses UTF-8 JSON', () => {
    expect(decodeJson(bytes('{"a":"é","b":[1]}'))).toEqual({ a: 'é', b: [1] });
  });

  it('throws MessageDecodeError on non-JSON and on invalid UTF-8', () => {
    expect(() => decodeJson(bytes('{nope'))).toThrow(MessageDecodeError);
    expect(() => decodeJson(bytes('{nope'))).toThrow(/not valid JSON/);
    expect(() => decodeJson(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow(/not valid UTF-8/);
  });
});
