import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';

import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

import {
  freePort,
  runService,
  startNatsServer,
  testDatabaseUrl,
  waitFor,
  type NatsServerHandle,
  type ServiceProcess,
} from '@vigil/testing';

import { ERRORS_PROJECTS, errorsServiceEnv, FLOOD_QUOTA, getJson, operatorAuth } from './system';

/**
 * Bad input at the built errors service (real NATS and Postgres): each gets its documented answer, a JSON
 * `{error, message}` body for the 4xx, and a good event sent right after is still stored in an issue.
 */

let nats: NatsServerHandle;
let service: ServiceProcess;
let url: string;

const { python, django, flood } = ERRORS_PROJECTS;
const auth = (key: string) =>
  `Sentry sentry_key=${key}, sentry_version=7, sentry_client=sentry.python/1.9.10`;

const eventId = () => randomBytes(16).toString('hex');
const goodEvent = (id: string, type = 'GoodAfterBad') => ({
  event_id: id,
  level: 'error',
  platform: 'python',
  exception: {
    values: [{ type, value: 'still stored', stacktrace: { frames: [{ function: 'f', module: 'm' }] } }],
  },
});

function envelope(
  items: { header: Record<string, unknown>; payload: string | Buffer }[],
  id = eventId(),
): Buffer {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify({ event_id: id })}\n`)];
  for (const { header, payload } of items)
    parts.push(Buffer.from(`${JSON.stringify(header)}\n`), Buffer.from(payload), Buffer.from('\n'));
  return Buffer.concat(parts);
}

async function post(
  path: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
  key: string = python.key,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> | null }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'x-sentry-auth': auth(key), 'content-type': 'application/x-sentry-envelope', ...headers },
    body,
  });
  const text = await res.text();
  let parsed: Record<string, unknown> | null;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    parsed = { unparsed: text };
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Messages in ERRORS_DLQ (the intake keeps what it refuses there, with the reason). */
async function dlqMessages(): Promise<number> {
  const nc = await connect({ servers: nats.url });
  try {
    return (await (await jetstreamManager(nc)).streams.info('ERRORS_DLQ')).state.messages;
  } finally {
    await nc.close();
  }
}

/** A process's peak resident memory (VmHWM), from /proc. */
function peakRssBytes(pid: number): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN) * 1024;
}

/** A 4xx answer in the house shape: JSON with `error` and `message`. */
function expectRefused(answer: { status: number; body: Record<string, unknown> | null }, status: number) {
  expect({
    status: answer.status,
    error: typeof answer.body?.error,
    message: typeof answer.body?.message,
  }).toEqual({
    status,
    error: 'string',
    message: 'string',
  });
}

/** Sends a good event of a bug of its own and waits until an issue of that bug holds it. */
async function expectGoodEventStored(label: string) {
  const type = `GoodAfter${label.replace(/[^A-Za-z]/g, '')}`;
  const id = eventId();
  const answer = await post(`/api/${python.id}/store/`, JSON.stringify(goodEvent(id, type)), {
    'content-type': 'application/json',
  });
  expect(answer.status).toBe(200);
  await waitFor(
    async () => {
      const { body } = await getJson<{ issues: { title: string; count: number }[] }>(
        `${url}/errors/issues?project=${python.slug}&q=${type}`,
        { headers: operatorAuth },
      );
      return body.issues.some((issue) => issue.title.includes(type) && Number(issue.count) === 1);
    },
    { timeoutMs: 20_000, intervalMs: 200, description: `the good event after ${label} stored in its issue` },
  );
}

beforeAll(async () => {
  nats = await startNatsServer();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  service = await runService({
    app: 'errors',
    env: {
      PORT: String(port),
      NATS_URL: nats.url,
      DATABASE_URL: await testDatabaseUrl(),
      LOG_LEVEL: 'info',
      ENVIRONMENT: 'test',
      ...errorsServiceEnv(),
    },
  });
  await service.waitForReady(port, 60_000);
}, 90_000);

afterAll(async () => {
  await service?.stop();
  await nats?.stop();
});

describe('bad input at the intake', () => {
  it('a truncated envelope (an item shorter than its length) is refused with 400', async () => {
    const payload = JSON.stringify(goodEvent(eventId()));
    const whole = envelope([{ header: { type: 'event', length: Buffer.byteLength(payload) }, payload }]);
    expectRefused(await post(`/api/${python.id}/envelope/`, whole.subarray(0, whole.length - 40)), 400);
    await expectGoodEventStored('truncated');
  });

  it('an item whose length runs past the body is refused with 400', async () => {
    const payload = JSON.stringify(goodEvent(eventId()));
    const body = envelope([{ header: { type: 'event', length: Buffer.byteLength(payload) + 500 }, payload }]);
    expectRefused(await post(`/api/${python.id}/envelope/`, body), 400);
    await expectGoodEventStored('wrong length');
  });

  it('invalid JSON: 400 for an envelope header or a store body; an event item of a good envelope goes to ERRORS_DLQ', async () => {
    const dlqBefore = await dlqMessages();
    expectRefused(await post(`/api/${python.id}/envelope/`, '{"event_id": \n{"type":"event"}\n{}\n'), 400);
    const broken = '{"exception": {"values": [';
    expectRefused(
      await post(`/api/${python.id}/store/`, broken, { 'content-type': 'application/json' }),
      400,
    );
    // Inside a well-framed envelope the bad item is set aside with its reason; the SDK gets 200 (a 4xx would make it
    // report data loss for the other items).
    const body = envelope([{ header: { type: 'event', length: broken.length }, payload: broken }]);
    expect((await post(`/api/${python.id}/envelope/`, body)).status).toBe(200);
    await waitFor(async () => (await dlqMessages()) >= dlqBefore + 3, {
      timeoutMs: 10_000,
      description: 'the three bad bodies kept in ERRORS_DLQ',
    });
    await expectGoodEventStored('invalid json');
  });

  it('a decompression bomb is refused with 413, without being inflated into memory', async () => {
    // 200 MiB of zeros compress to about 200 KB: past the decompressed cap (50 MiB by default).
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = peakRssBytes(service.pid);
    expectRefused(
      await post(`/api/${python.id}/store/`, bomb, {
        'content-encoding': 'gzip',
        'content-type': 'application/json',
      }),
      413,
    );
    // The service's peak resident memory grew by less than the bomb would take inflated.
    expect(peakRssBytes(service.pid) - before).toBeLessThan(100 * 1024 * 1024);
    await expectGoodEventStored('bomb');
  });

  it('a 10 MB event is refused with 413, plain and gzipped', async () => {
    const event = { ...goodEvent(eventId()), extra: { blob: 'x'.repeat(10 * 1024 * 1024) } };
    const json = JSON.stringify(event);
    expectRefused(await post(`/api/${python.id}/store/`, json, { 'content-type': 'application/json' }), 413);
    const body = envelope([{ header: { type: 'event', length: Buffer.byteLength(json) }, payload: json }]);
    expectRefused(
      await post(`/api/${python.id}/envelope/`, gzipSync(body), { 'content-encoding': 'gzip' }),
      413,
    );
    await expectGoodEventStored('big event');
  });

  it('unknown item types are accepted (2xx) and skipped, as Sentry does, beside an event that is stored', async () => {
    const id = eventId();
    const event = JSON.stringify(goodEvent(id, 'BesideUnknownItem'));
    const body = envelope(
      [
        { header: { type: 'vigil_future_thing', length: 5 }, payload: 'hello' },
        { header: { type: 'event', length: Buffer.byteLength(event) }, payload: event },
      ],
      id,
    );
    const answer = await post(`/api/${python.id}/envelope/`, body);
    expect(answer.status).toBe(200);
    await expectGoodEventStored('unknown item');
  });

  it('bad auth: no key and an unknown key get 401, a key of another project 403', async () => {
    const body = JSON.stringify(goodEvent(eventId()));
    const json = { 'content-type': 'application/json' };
    const res = await fetch(`${url}/api/${python.id}/store/`, { method: 'POST', headers: json, body });
    expectRefused({ status: res.status, body: (await res.json()) as Record<string, unknown> }, 401);
    expectRefused(await post(`/api/${python.id}/store/`, body, json, 'f'.repeat(32)), 401);
    expectRefused(await post(`/api/${python.id}/store/`, body, json, django.key), 403);
    await expectGoodEventStored('bad auth');
  });

  it('a flood over the quota gets 429 with Retry-After and X-Sentry-Rate-Limits; other projects are served', async () => {
    const statuses: number[] = [];
    let limited: Headers | undefined;
    for (let i = 0; i < FLOOD_QUOTA + 5; i++) {
      const answer = await post(
        `/api/${flood.id}/store/`,
        JSON.stringify(goodEvent(eventId(), 'Flood')),
        { 'content-type': 'application/json' },
        flood.key,
      );
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer.headers;
    }
    expect(statuses.slice(0, FLOOD_QUOTA)).toEqual(Array(FLOOD_QUOTA).fill(200));
    expect(statuses.slice(FLOOD_QUOTA)).toEqual(Array(5).fill(429));
    expect(Number(limited?.get('retry-after'))).toBeGreaterThan(0);
    expect(limited?.get('x-sentry-rate-limits')).toMatch(/^\d+:[^:]*error/);
    await expectGoodEventStored('flood');
  });
});
