// The load of bench/errors: real sentry-python 1.9 exception events, captured once per run from Debian's
// unmodified SDK (capture_events.py, a Flask app failing 20-60 frames deep), then varied in ids and shape and
// framed as the SDKs frame them: gzip JSON on /store/ (sentry-python 1.x) and gzip envelopes on /envelope/
// (sentry-python 2.x, the JavaScript SDKs).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

import { root } from '../shared.mjs';

/** Personal values the captured events carry (message, locals, breadcrumbs, request body, cookies, user, extra). */
export const PLANTED = {
  email: 'amina.rahman@example.com',
  phone: '+8801712345678',
  card: '4111 1111 1111 1111',
  password: 'Hunter2-correct-horse',
  token: 'tok9f8e7d6c5b4a39281706',
  ip: '203.0.113.77',
};

const MIN_FRAMES = 20;
const MAX_FRAMES = 60;
const MAX_EVENT_BYTES = 50 * 1024;

/**
 * Runs capture_events.py against a local HTTP server standing in for the DSN and returns the events the SDK
 * posted to /store/ (gunzipped JSON), deepest stack first.
 * @returns {Promise<Record<string, any>[]>}
 */
export async function captureSdkEvents() {
  /** @type {Record<string, any>[]} */
  const events = [];
  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url?.includes('/store/')) events.push(JSON.parse(gunzipSync(Buffer.concat(chunks)).toString()));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  const dsn = `http://${'0'.repeat(32)}@127.0.0.1:${address.port}/1`;
  try {
    const script = path.join(root, 'bench/errors/capture_events.py');
    const output = await runPython([script, dsn, JSON.stringify(PLANTED)]);
    if (events.length === 0) throw new Error(`capture_events.py sent no event:\n${output}`);
  } finally {
    server.close();
  }
  return events.sort((a, b) => frames(b).length - frames(a).length);
}

/** @param {string[]} args */
function runPython(args) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`/usr/bin/python3 exited ${code}:\n${output}`)),
    );
  });
}

/** @param {Record<string, any>} event @returns {Record<string, any>[]} */
const frames = (event) => event.exception.values[0].stacktrace.frames;

const EVENT_ID = '__bench_event_id__';
const EXCEPTION_TYPE = '__bench_exception_type__';
const ORDER = '__bench_order__';

/**
 * The shapes events take: the deepest captured event with its stack cut to each length from 20 to 60 frames (the
 * innermost kept, where it was raised), as JSON text with placeholders for what varies per event. Outer frames
 * lose their source context where the JSON would exceed 50 KB, as SDKs bounding a long stack do.
 * @param {Record<string, any>} captured
 * @returns {string[]}
 */
export function eventShapes(captured) {
  const shapes = [];
  for (let count = MIN_FRAMES; count <= MAX_FRAMES; count++) {
    const event = structuredClone(captured);
    const exception = event.exception.values[0];
    const all = frames(event);
    exception.stacktrace.frames = all.slice(Math.max(0, all.length - count));
    exception.type = EXCEPTION_TYPE;
    exception.value = exception.value.replace(/order \d+/, `order ${ORDER}`);
    event.event_id = EVENT_ID;
    let text = JSON.stringify(event);
    for (const frame of exception.stacktrace.frames) {
      if (text.length <= MAX_EVENT_BYTES) break;
      delete frame.pre_context;
      delete frame.post_context;
      text = JSON.stringify(event);
    }
    shapes.push(text);
  }
  return shapes;
}

/**
 * Event `i` of a run: one of `bugs` bugs (an exception type with its own stack shape: one issue each), a fresh
 * event_id, a varying order id in the message (which grouping parameterises away).
 * @param {string[]} shapes
 * @param {number} i
 * @param {number} bugs
 */
export function variedEvent(shapes, i, bugs) {
  const eventId = randomBytes(16).toString('hex');
  const bug = i % bugs;
  // A bug keeps its stack (grouping hashes the in-app frames): its shape follows the bug, not the event.
  const text = shapes[(bug * 13) % shapes.length]
    .replace(EVENT_ID, eventId)
    .replace(EXCEPTION_TYPE, `PaymentDeclined${bug}`)
    .replace(ORDER, String(100_000 + i));
  return { eventId, json: Buffer.from(text) };
}

/**
 * One request as an SDK sends it: even events as sentry-python 1.x does (gzip JSON on /store/), odd ones as an
 * envelope (gzip, /envelope/). Both authenticate with X-Sentry-Auth.
 * @param {{ eventId: string, json: Buffer }} event
 * @param {number} i
 * @param {string} projectId
 * @param {string} key
 */
export function sdkRequest(event, i, projectId, key) {
  const headers = {
    'content-encoding': 'gzip',
    'user-agent': 'sentry.python/1.9.10',
    'x-sentry-auth': `Sentry sentry_key=${key}, sentry_version=7, sentry_client=sentry.python/1.9.10`,
  };
  if (i % 2 === 0)
    return {
      path: `/api/${projectId}/store/`,
      headers: { ...headers, 'content-type': 'application/json' },
      body: gzipSync(event.json),
    };
  const envelope = Buffer.concat([
    Buffer.from(`${JSON.stringify({ event_id: event.eventId, sent_at: new Date().toISOString() })}\n`),
    Buffer.from(
      `${JSON.stringify({ type: 'event', content_type: 'application/json', length: event.json.length })}\n`,
    ),
    event.json,
    Buffer.from('\n'),
  ]);
  return {
    path: `/api/${projectId}/envelope/`,
    headers: { ...headers, 'content-type': 'application/x-sentry-envelope' },
    body: gzipSync(envelope),
  };
}
