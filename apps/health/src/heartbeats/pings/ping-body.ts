import type { IncomingMessage } from 'node:http';

import { PingRequestError } from './ping-request';

/** Largest ping body kept (Healthchecks.io's own limit is 100 KB too). */
export const PING_BODY_LIMIT_BYTES = 100 * 1024;

/**
 * Reads a ping's body, at most `limitBytes`. A declared Content-Length over the limit is refused before
 * a byte is read; a chunked upload is refused at the chunk that passes it (nothing past the limit is
 * held). Only identity bodies: cron wrappers send plain text. Resolves to the UTF-8 text ('' when empty).
 */
export function readPingBody(req: IncomingMessage, limitBytes = PING_BODY_LIMIT_BYTES): Promise<string> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '')
    return Promise.reject(
      new PingRequestError(415, 'unsupported_media_type', 'compressed ping bodies are not accepted'),
    );
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  if (declared === 0 || (!Number.isFinite(declared) && req.headers['transfer-encoding'] === undefined))
    return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        req.off('data', onData);
        chunks.length = 0;
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, received).toString('utf8')));
    req.once('error', () => reject(new PingRequestError(400, 'bad_request', 'the request was aborted')));
  });
}

/** Postgres text cannot hold NUL: a body carrying one keeps a replacement character there. */
export function storableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\ufffd') : text;
}

function tooLarge(limitBytes: number): PingRequestError {
  return new PingRequestError(413, 'payload_too_large', `ping body is larger than ${limitBytes} bytes`, {
    limit_bytes: limitBytes,
  });
}
