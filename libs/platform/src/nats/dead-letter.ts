import type { JsMsg } from '@nats-io/jetstream';
import type { MsgHdrs } from '@nats-io/transport-node';
import { createHash } from 'node:crypto';

import {
  HEADER_DLQ_ORIGINAL,
  HEADER_DLQ_REASON,
  HEADER_DLQ_SUBJECT,
  HEADER_DLQ_TRUNCATED,
  HEADER_MSG_ID,
} from '@vigil/contracts';

import { correlationHeaders } from '../context/nats-headers';

/** Longest header value a dead letter carries (in UTF-16 code units), so a reason can never crowd out the payload. */
export const DEAD_LETTER_HEADER_MAX = 1024;
/** Bytes of the original kept in a truncated dead letter. */
export const DEAD_LETTER_PREFIX_BYTES = 4096;
/** Room kept free under max_payload for what the client adds (the publish line, Nats-Msg-Id) and rounding. */
const PAYLOAD_SLACK_BYTES = 512;

const encoder = new TextEncoder();
const decoder = new TextDecoder(); // not fatal: a prefix cut inside a character decodes to U+FFFD

// Line breaks and other control characters (nats.js refuses CR/LF in a header, readers split on them),
// Unicode line separators, and UTF-16 surrogates without their pair (not encodable as UTF-8).
const UNSAFE_IN_HEADER =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` as a header value any NATS client accepts: one line, well-formed, at most `maxLength` long. */
export function headerSafe(text: string, maxLength = DEAD_LETTER_HEADER_MAX): string {
  const clean = text.replace(UNSAFE_IN_HEADER, (match) => (/^[\ud800-\udfff]$/.test(match) ? '\ufffd' : ' '));
  const trimmed = clean.trim();
  if (trimmed.length <= maxLength) return trimmed;
  let end = maxLength - 1;
  // Never cut a surrogate pair in two.
  if (/[\ud800-\udbff]/.test(trimmed[end - 1] ?? '')) end -= 1;
  return `${trimmed.slice(0, end)}…`;
}

export interface DeadLetterInput {
  /** The dead-letter subject (its stream must exist). */
  subject: string;
  /** The message given up on. */
  msg: JsMsg;
  /** Why, for a person: the rejection reason and its detail; sanitised and bounded here. */
  reason: string;
}

export interface DeadLetterCopy {
  data: Uint8Array;
  headers: MsgHdrs;
  /** Nats-Msg-Id: the original's stream and sequence, so a retried dead-letter publish is stored once. */
  msgId: string;
  truncated: boolean;
}

/**
 * Bytes given up on that never were a stream message (e.g. an item of an HTTP request): what they are
 * (`data`), where they came from (`origin`, e.g. `POST /api/1/envelope/`, as Vigil-Original-Subject), a
 * reference a person can look up (`reference`, e.g. `http:<request id>:item:2`, as
 * Vigil-Original-Message) and the Nats-Msg-Id that makes a retried dead-letter publish store once.
 */
export interface DeadLetterSource {
  data: Uint8Array;
  origin: string;
  reference: string;
  msgId: string;
}

/**
 * What goes to the dead-letter subject for `msg`: its bytes with the reason, its subject and a reference
 * to the original (stream and sequence) as headers. When that would not fit the server's `maxPayload`
 * (headers count), the payload becomes a small JSON record holding the original's sha256, its length and
 * a prefix, and the Vigil-Dlq-Truncated header says so; the original stays in its stream by reference.
 */
export function deadLetterCopy(input: DeadLetterInput, maxPayload: number): DeadLetterCopy {
  const { msg } = input;
  const reference = `${msg.info.stream}:${msg.info.streamSequence}`;
  return deadLetterOf(
    { data: msg.data, origin: msg.subject, reference, msgId: `dlq:${reference}` },
    input.reason,
    maxPayload,
  );
}

/** As deadLetterCopy, for bytes that are not a stream message (see DeadLetterSource). */
export function deadLetterOf(source: DeadLetterSource, reason: string, maxPayload: number): DeadLetterCopy {
  const { msgId, reference } = source;
  const headers = correlationHeaders({
    [HEADER_DLQ_REASON]: headerSafe(reason),
    [HEADER_DLQ_SUBJECT]: headerSafe(source.origin),
    [HEADER_DLQ_ORIGINAL]: headerSafe(reference),
  });
  const fits = (data: Uint8Array) =>
    headerBytes(headers) +
      byteLength(`${HEADER_MSG_ID}: ${msgId}\r\n`) +
      data.byteLength +
      PAYLOAD_SLACK_BYTES <=
    maxPayload;
  if (fits(source.data)) return { data: source.data, headers, msgId, truncated: false };

  const sha256 = createHash('sha256').update(source.data).digest('hex');
  headers.set(HEADER_DLQ_TRUNCATED, `sha256=${sha256}; length=${source.data.byteLength}`);
  const record = (prefixBytes: number) =>
    encoder.encode(
      JSON.stringify({
        truncated: true,
        sha256,
        length: source.data.byteLength,
        original: reference,
        prefix: decoder.decode(source.data.subarray(0, prefixBytes)),
      }),
    );
  // JSON escaping can grow the prefix up to sixfold; halve it until the record fits (a tiny max_payload).
  let prefixBytes = DEAD_LETTER_PREFIX_BYTES;
  let data = record(prefixBytes);
  while (!fits(data) && prefixBytes > 0) {
    prefixBytes = Math.floor(prefixBytes / 2);
    data = record(prefixBytes);
  }
  return { data, headers, msgId, truncated: true };
}

function headerBytes(headers: MsgHdrs): number {
  let total = byteLength('NATS/1.0\r\n\r\n');
  for (const [key, values] of headers) {
    for (const value of values) total += byteLength(`${key}: ${value}\r\n`);
  }
  return total;
}

const byteLength = (text: string) => encoder.encode(text).byteLength;
