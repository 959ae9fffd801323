/**
 * The Sentry envelope format (develop.sentry.dev, "Envelopes"): a header line of JSON, then items, each
 * a header line of JSON (`type`, optional `length`) and a payload. With `length` the payload is exactly
 * that many bytes, followed by a newline or the end; without it the payload runs to the next newline
 * or the end. A trailing newline after the last item is allowed.
 */

const NEWLINE = 0x0a;

export type EnvelopeProblem = 'header' | 'item_header' | 'item_length' | 'truncated' | 'too_many_items';

/** An envelope that cannot be framed: nothing in it can be trusted to start where it seems to. */
export class EnvelopeError extends Error {
  constructor(
    readonly problem: EnvelopeProblem,
    message: string,
  ) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

export interface EnvelopeItem {
  /** Position in the envelope, from 0. */
  index: number;
  type: string;
  header: Record<string, unknown>;
  payload: Buffer;
}

export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

export interface EnvelopeLimits {
  maxItems: number;
}

/** The header line alone (for the `dsn` when the rest may be broken); null when it is no JSON object. */
export function envelopeHeaderOf(body: Buffer): Record<string, unknown> | null {
  const end = body.indexOf(NEWLINE);
  return jsonObject(body.subarray(0, end === -1 ? body.length : end));
}

/** Frames `body` into its header and items; throws EnvelopeError when it cannot. */
export function parseEnvelope(body: Buffer, limits: EnvelopeLimits): Envelope {
  let end = lineEnd(body, 0);
  const header = jsonObject(body.subarray(0, end));
  if (header === null)
    throw new EnvelopeError('header', 'the envelope header (first line) is not a JSON object');
  const items: EnvelopeItem[] = [];
  let offset = end + 1;
  while (offset < body.length) {
    if (items.length === limits.maxItems) {
      throw new EnvelopeError('too_many_items', `the envelope has more than ${limits.maxItems} items`);
    }
    const index = items.length;
    end = lineEnd(body, offset);
    const itemHeader = jsonObject(body.subarray(offset, end));
    if (itemHeader === null || typeof itemHeader.type !== 'string' || itemHeader.type.length === 0) {
      throw new EnvelopeError('item_header', `item ${index}: its header is not a JSON object with a "type"`);
    }
    if (end >= body.length) {
      // A header line at the very end: an item with an empty payload, when its length allows it.
      if ((lengthOf(itemHeader, index) ?? 0) > 0) throw truncated(index);
      items.push({ index, type: itemHeader.type, header: itemHeader, payload: Buffer.alloc(0) });
      break;
    }
    const start = end + 1;
    const length = lengthOf(itemHeader, index);
    let payloadEnd: number;
    if (length === null) {
      payloadEnd = lineEnd(body, start);
    } else {
      payloadEnd = start + length;
      if (payloadEnd > body.length) throw truncated(index);
      if (payloadEnd < body.length && body[payloadEnd] !== NEWLINE) {
        throw new EnvelopeError(
          'item_length',
          `item ${index}: its payload is not followed by a newline after its length of ${length} bytes`,
        );
      }
    }
    items.push({
      index,
      type: itemHeader.type,
      header: itemHeader,
      payload: body.subarray(start, payloadEnd),
    });
    offset = payloadEnd + 1;
  }
  return { header, items };
}

function truncated(index: number): EnvelopeError {
  return new EnvelopeError('truncated', `item ${index}: the envelope ends before its payload does`);
}

/** The item's declared `length`, null when absent; throws when it is not a whole number of bytes. */
function lengthOf(header: Record<string, unknown>, index: number): number | null {
  const { length } = header;
  if (length === undefined || length === null) return null;
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw new EnvelopeError('item_length', `item ${index}: "length" must be a whole number of bytes`);
  }
  return length;
}

function lineEnd(body: Buffer, from: number): number {
  const end = body.indexOf(NEWLINE, from);
  return end === -1 ? body.length : end;
}

/** Parses JSON that must be an object; null for anything else. */
export function jsonObject(bytes: Buffer): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
