import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';

/** Correlation ids of the unit of work in progress (an HTTP request or a NATS message). */
export interface RequestContext {
  requestId: string;
  traceId: string;
  /** W3C traceparent to send downstream: same trace, this process's span. */
  traceparent: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Random bytes drawn for ids, refilled 4 KiB at a time (as randomUUID does). */
let entropy = Buffer.alloc(0);
let entropyOffset = 0;

/**
 * `bytes` random bytes as hex, from a pool: a randomBytes() call per id cost an OpenSSL call, a
 * getpid() system call and a Buffer, twice per request.
 */
function randomHex(bytes: number): string {
  if (entropyOffset + bytes > entropy.length) {
    entropy = randomBytes(4096);
    entropyOffset = 0;
  }
  entropyOffset += bytes;
  return entropy.toString('hex', entropyOffset - bytes, entropyOffset);
}

/**
 * Builds a context from incoming ids, generating what is missing or malformed. A malformed
 * traceparent starts a new trace, as the W3C spec requires.
 */
export function contextFrom(incoming: {
  requestId?: string | null;
  traceparent?: string | null;
}): RequestContext {
  const requestId =
    incoming.requestId && REQUEST_ID.test(incoming.requestId) ? incoming.requestId : randomUUID();
  const parsed = incoming.traceparent ? TRACEPARENT.exec(incoming.traceparent.trim().toLowerCase()) : null;
  const valid = parsed && parsed[1] !== 'ff' && !/^0+$/.test(parsed[2]) && !/^0+$/.test(parsed[3]);
  const traceId = valid ? parsed[2] : randomHex(16);
  const flags = valid ? parsed[4] : '01';
  const spanId = randomHex(8);
  return { requestId, traceId, traceparent: `00-${traceId}-${spanId}-${flags}` };
}
