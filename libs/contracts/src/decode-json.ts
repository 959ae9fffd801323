const decoder = new TextDecoder('utf-8', { fatal: true });

/** Thrown by `decodeJson` when a payload is not UTF-8 JSON; a consumer sends it to the DLQ. */
export class MessageDecodeError extends Error {
  override readonly name = 'MessageDecodeError';
}

/** Parses a message payload; validate the result with the message's zod schema. */
export function decodeJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new MessageDecodeError('message payload is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new MessageDecodeError(`message payload is not valid JSON: ${detail}`);
  }
}
