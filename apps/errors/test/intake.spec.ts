import { randomUUID } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

import {
  ERRORS_DLQ_STREAM,
  ERRORS_STREAM,
  errorIntakeV1Schema,
  HEADER_DLQ_REASON,
  HEALTH_CHECKINS_SUBJECT,
  HEALTH_STREAM,
  checkInV1Schema,
} from '@vigil/contracts';

import { type ErrorsHarness, KEYS, startErrors } from './intake-harness';

const MIB = 1024 * 1024;

const authHeader = (key: string) =>
  `Sentry sentry_key=${key}, sentry_version=7, sentry_client=sentry.python/1.9.10`;
const newId = () => randomUUID().replaceAll('-', '');

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

interface Item {
  header: Record<string, unknown>;
  payload: string | Buffer;
  /** Frame by newline instead of `length`. */
  newlineFramed?: boolean;
}

/** A Sentry envelope: header line, then each item's header line and payload. */
function envelopeOf(header: Record<string, unknown>, items: Item[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(header)}\n`)];
  for (const item of items) {
    const payload = Buffer.isBuffer(item.payload) ? item.payload : Buffer.from(item.payload);
    const itemHeader = item.newlineFramed ? item.header : { ...item.header, length: payload.length };
    parts.push(Buffer.from(`${JSON.stringify(itemHeader)}\n`), payload, Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

const eventJson = (eventId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    event_id: eventId,
    level: 'error',
    platform: 'python',
    exception: { values: [{ type: 'PrivacySettings.DoesNotExist', value: 'no settings' }] },
    ...extra,
  });

describe('errors intake (Sentry store and envelope endpoints)', () => {
  let errors: ErrorsHarness;

  beforeAll(async () => {
    errors = await startErrors();
  });
  afterAll(async () => {
    await errors?.stop();
  });

  async function post(
    path: string,
    body: Buffer | string,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const res = await fetch(`${errors.base}${path}`, { method: 'POST', body, headers });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, headers: res.headers };
  }

  /** The ErrorIntake message last stored for `projectId`, checked against the contract. */
  async function lastEvent(projectId = '1') {
    const msg = await errors.lastMessage(ERRORS_STREAM.name, `errors.v1.events.${projectId}`);
    return msg === null ? null : errorIntakeV1Schema.parse(msg.json());
  }

  /** Posts a fresh event to project 1 (as the Python SDK does) and expects it in the ERRORS stream. */
  async function expectGoodEventAccepted(): Promise<void> {
    const id = newId();
    const res = await post('/api/1/store/', gzipSync(eventJson(id)), {
      'X-Sentry-Auth': authHeader(KEYS.vigil),
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
    });
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { id } });
    expect((await lastEvent())?.event_id).toBe(id);
  }

  async function dlqCount(): Promise<number> {
    return (await errors.jsm.streams.info(ERRORS_DLQ_STREAM.name)).state.messages;
  }

  describe('accepts what SDKs send', () => {
    it('stores a gzip /store/ event (Python SDK) in ERRORS before answering {id}', async () => {
      const id = newId();
      const res = await post('/api/1/store/', gzipSync(eventJson(id)), {
        'X-Sentry-Auth': authHeader(KEYS.vigil),
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id });
      // No waiting: the answer came after JetStream's ack.
      const stored = await lastEvent();
      expect(stored).toMatchObject({ project_id: '1', event_id: id, item_type: 'event' });
      expect(stored?.client_ip).toMatch(/127\.0\.0\.1/);
      expect(stored?.event).toMatchObject({ event_id: id, level: 'error', platform: 'python' });
    });

    it('answers with and without the trailing slash, and fills a missing event id', async () => {
      const res = await post('/api/1/store', JSON.stringify({ message: 'no id' }), {
        'X-Sentry-Auth': authHeader(KEYS.vigil),
        'Content-Type': 'application/json',
      });
      expect(res.status).toBe(200);
      const stored = await lastEvent();
      expect(stored?.event_id).toBe(res.body.id);
      expect(stored?.event).toMatchObject({ message: 'no id', event_id: res.body.id });
    });

    it.each([
      ['none', (b: Buffer) => b],
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ])(
      'stores an envelope event with Content-Encoding %s, key in the query string',
      async (encoding, compress) => {
        const id = newId();
        const body = envelopeOf({ event_id: id, sent_at: new Date().toISOString() }, [
          { header: { type: 'event' }, payload: eventJson(id, { message: 'line one\nline two' }) },
        ]);
        const headers: Record<string, string> = { 'Content-Type': 'application/x-sentry-envelope' };
        if (encoding !== 'none') headers['Content-Encoding'] = encoding;
        const res = await post(
          `/api/1/envelope/?sentry_key=${KEYS.vigil}&sentry_version=7`,
          compress(body),
          headers,
        );
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ id });
        expect(await lastEvent()).toMatchObject({ event_id: id, event: { message: 'line one\nline two' } });
      },
    );

    it('authenticates an envelope by the dsn in its header, newline-framed, without the trailing slash', async () => {
      const id = newId();
      const body = envelopeOf({ event_id: id, dsn: `http://${KEYS.other}@127.0.0.1:3005/3` }, [
        { header: { type: 'event' }, payload: eventJson(id), newlineFramed: true },
      ]);
      const res = await post('/api/3/envelope', body);
      expect(res.status).toBe(200);
      expect((await lastEvent('3'))?.event_id).toBe(id);
    });

    it('answers 2xx to every default item type, counts them, and forwards check-ins to health', async () => {
      const checkInId = newId();
      const body = envelopeOf({ sent_at: new Date().toISOString() }, [
        { header: { type: 'transaction' }, payload: '{"type":"transaction","spans":[]}' },
        { header: { type: 'session' }, payload: '{"sid":"x","status":"ok"}' },
        { header: { type: 'sessions' }, payload: '{"aggregates":[]}' },
        { header: { type: 'client_report' }, payload: '{"discarded_events":[]}' },
        { header: { type: 'attachment', filename: 'a.txt' }, payload: Buffer.from('bytes\nwith newline') },
        { header: { type: 'log' }, payload: '{"items":[]}' },
        { header: { type: 'span' }, payload: '{}' },
        { header: { type: 'profile' }, payload: '{}' },
        { header: { type: 'something_new' }, payload: '{}' },
        {
          header: { type: 'check_in' },
          payload: JSON.stringify({
            check_in_id: checkInId,
            monitor_slug: 'nightly',
            status: 'ok',
            duration: 3.2,
          }),
        },
      ]);
      const res = await post('/api/1/envelope/', gzipSync(body), {
        'X-Sentry-Auth': authHeader(KEYS.vigil),
        'Content-Encoding': 'gzip',
      });
      expect(res.status).toBe(200);
      const checkIn = await errors.lastMessage(HEALTH_STREAM.name, HEALTH_CHECKINS_SUBJECT);
      expect(checkInV1Schema.parse(checkIn?.json())).toMatchObject({
        project_id: '1',
        check_in_id: checkInId,
        monitor_slug: 'nightly',
        status: 'ok',
        duration_s: 3.2,
      });
      const metrics = await (await fetch(`${errors.base}/metrics`)).text();
      for (const [type, outcome] of [
        ['transaction', 'counted'],
        ['sessions', 'counted'],
        ['client_report', 'counted'],
        ['unknown', 'counted'],
        ['check_in', 'forwarded'],
        ['event', 'accepted'],
      ]) {
        expect(metrics).toMatch(
          new RegExp(
            `errors_intake_items_total\\{project="vigil",type="${type}",outcome="${outcome}"\\} [1-9]`,
          ),
        );
      }
    });

    it('stores an SDK retry of the same event once (Nats-Msg-Id dedupe)', async () => {
      const id = newId();
      const send = () =>
        post('/api/1/store/', eventJson(id), {
          'X-Sentry-Auth': authHeader(KEYS.vigil),
          'Content-Type': 'application/json',
        });
      const before = (await errors.jsm.streams.info(ERRORS_STREAM.name)).state.messages;
      expect((await send()).status).toBe(200);
      expect((await errors.jsm.streams.info(ERRORS_STREAM.name)).state.messages).toBe(before + 1);
      const retry = await send();
      expect(retry).toMatchObject({ status: 200, body: { id } });
      expect((await errors.jsm.streams.info(ERRORS_STREAM.name)).state.messages).toBe(before + 1);
    });

    it('answers CORS preflights and lets browsers read the answer', async () => {
      const res = await fetch(`${errors.base}/api/1/envelope/?sentry_key=${KEYS.vigil}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      const post401 = await post('/api/1/envelope/', '{}\n');
      expect(post401.headers.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('refuses bad input with its documented answer, and takes the next good event', () => {
    it('401 for an unknown or missing key, 403 for another project’s key', async () => {
      const unknown = await post('/api/1/store/', eventJson(newId()), {
        'X-Sentry-Auth': authHeader('f'.repeat(32)),
      });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toMatchObject({
        error: 'unauthorized',
        message: expect.stringMatching(/DSN key/),
      });
      expect((await post('/api/1/store/', eventJson(newId()))).status).toBe(401);
      expect(
        (await post('/api/1/envelope/', envelopeOf({}, [{ header: { type: 'event' }, payload: '{}' }])))
          .status,
      ).toBe(401);
      const other = await post('/api/1/store/', eventJson(newId()), {
        'X-Sentry-Auth': authHeader(KEYS.shop),
      });
      expect(other.status).toBe(403);
      expect(other.body.error).toBe('forbidden');
      const viaDsn = await post('/api/1/envelope/', envelopeOf({ dsn: `http://${KEYS.other}@h/3` }, []));
      expect(viaDsn.status).toBe(403);
      await expectGoodEventAccepted();
    });

    it('a 1 GB gzip bomb gets 413 fast, with bounded memory', async () => {
      // 16 gzip members of 64 MiB of zeros each: 1 GiB once inflated, about 1 MiB sent.
      const member = gzipSync(Buffer.alloc(64 * MIB));
      const bomb = Buffer.concat(Array.from({ length: 16 }, () => member));
      expect(bomb.length).toBeLessThan(2 * MIB);
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const started = Date.now();
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      const res = await post('/api/1/envelope/', bomb, {
        'X-Sentry-Auth': authHeader(KEYS.vigil),
        'Content-Encoding': 'gzip',
      });
      clearInterval(sampler);
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ error: 'payload_too_large', details: { limit_bytes: 50 * MIB } });
      expect(Date.now() - started).toBeLessThan(3000);
      // The decompressed limit (50 MiB) bounds what is held; inflating all of it would take 1 GiB.
      expect(peak - rssBefore).toBeLessThan(200 * MIB);
      await expectGoodEventAccepted();
    });

    it('a 10 MB event gets 413, on /store/ and inside an envelope', async () => {
      const big = eventJson(newId(), { extra: { blob: 'x'.repeat(10 * MIB) } });
      const store = await post('/api/1/store/', big, { 'X-Sentry-Auth': authHeader(KEYS.vigil) });
      expect(store.status).toBe(413);
      expect(store.body.error).toBe('payload_too_large');
      const before = (await errors.jsm.streams.info(ERRORS_STREAM.name)).state.messages;
      const small = newId();
      const envelope = envelopeOf({}, [
        { header: { type: 'event' }, payload: eventJson(small) },
        { header: { type: 'event' }, payload: big },
      ]);
      const res = await post('/api/1/envelope/', gzipSync(envelope), {
        'X-Sentry-Auth': authHeader(KEYS.vigil),
        'Content-Encoding': 'gzip',
      });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ details: { item: 1, type: 'event', limit_bytes: 1000 * 1024 } });
      // The whole envelope was refused: its small event is not stored either.
      expect((await errors.jsm.streams.info(ERRORS_STREAM.name)).state.messages).toBe(before);
      await expectGoodEventAccepted();
    });

    it('a body over the compressed limit (20 MiB) gets 413 without being read', async () => {
      const huge = Buffer.alloc(21 * MIB, 0x20);
      const res = await post('/api/1/envelope/', huge, { 'X-Sentry-Auth': authHeader(KEYS.vigil) });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ error: 'payload_too_large', details: { limit_bytes: 20 * MIB } });
      await expectGoodEventAccepted();
    });

    it('invalid JSON on /store/: 400, and the body kept in ERRORS_DLQ with its reason', async () => {
      const res = await post('/api/1/store/', '{"event_id": "abc", broken', {
        'X-Sentry-Auth': authHeader(KEYS.vigil),
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'bad_request', message: expect.stringMatching(/ERRORS_DLQ/) });
      const dead = await errors.lastMessage(ERRORS_DLQ_STREAM.name, 'errors.v1.dlq.event_json');
      expect(dead?.string()).toBe('{"event_id": "abc", broken');
      expect(dead?.header?.get(HEADER_DLQ_REASON)).toMatch(/^event_json: /);
      await expectGoodEventAccepted();
    });

    it('a bad item inside a good envelope goes to ERRORS_DLQ; the rest is stored and the answer is 200', async () => {
      const good = newId();
      const dlqBefore = await dlqCount();
      const body = envelopeOf({ event_id: good }, [
        { header: { type: 'event' }, payload: '{"not": json}' },
        { header: { type: 'event' }, payload: eventJson(good) },
        { header: { type: 'check_in' }, payload: '{"status":"sideways"}' },
      ]);
      const res = await post('/api/1/envelope/', body, { 'X-Sentry-Auth': authHeader(KEYS.vigil) });
      expect(res).toMatchObject({ status: 200, body: { id: good } });
      expect((await lastEvent())?.event_id).toBe(good);
      expect(await dlqCount()).toBe(dlqBefore + 2);
      const badEvent = await errors.lastMessage(ERRORS_DLQ_STREAM.name, 'errors.v1.dlq.event_json');
      expect(badEvent?.string()).toBe('{"not": json}');
      const badCheckIn = await errors.lastMessage(ERRORS_DLQ_STREAM.name, 'errors.v1.dlq.check_in_invalid');
      expect(badCheckIn?.header?.get(HEADER_DLQ_REASON)).toMatch(/check_in_invalid: /);
      await expectGoodEventAccepted();
    });

    it.each([
      ['a truncated', '{}\n{"type":"event","length":500}\n{"short":true}'],
      ['a wrong-length', '{}\n{"type":"event","length":3}\n{"a":1}\n'],
      ['a broken-header', 'not json\n{"type":"event"}\n{}'],
    ])('%s envelope: 400, kept whole in ERRORS_DLQ', async (_name, text) => {
      const dlqBefore = await dlqCount();
      const res = await post('/api/1/envelope/', text, { 'X-Sentry-Auth': authHeader(KEYS.vigil) });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: 'bad_request',
        message: expect.stringMatching(/malformed envelope/),
      });
      expect(await dlqCount()).toBe(dlqBefore + 1);
      const dead = await errors.lastMessage(ERRORS_DLQ_STREAM.name, 'errors.v1.dlq.envelope_malformed');
      expect(dead?.string()).toBe(text);
      await expectGoodEventAccepted();
    });

    it('corrupt gzip gets 400 and an unknown encoding 415', async () => {
      const corrupt = await post('/api/1/store/', Buffer.from('not gzip at all'), {
        'X-Sentry-Auth': authHeader(KEYS.vigil),
        'Content-Encoding': 'gzip',
      });
      expect(corrupt.status).toBe(400);
      const zstd = await post('/api/1/store/', eventJson(newId()), {
        'X-Sentry-Auth': authHeader(KEYS.vigil),
        'Content-Encoding': 'zstd',
      });
      expect(zstd.status).toBe(415);
      await expectGoodEventAccepted();
    });

    it('a flood over the quota gets 429 with Retry-After and X-Sentry-Rate-Limits, then recovers', async () => {
      const send = () =>
        post(
          '/api/2/envelope/',
          envelopeOf({}, [{ header: { type: 'event' }, payload: eventJson(newId()) }]),
          {
            'X-Sentry-Auth': authHeader(KEYS.shop),
          },
        );
      const answers: Answer[] = [];
      for (let i = 0; i < 70; i++) answers.push(await send());
      const limited = answers.filter((a) => a.status === 429);
      expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(60);
      expect(limited.length).toBeGreaterThan(0);
      const first = limited[0];
      expect(first.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
      expect(first.headers.get('x-sentry-rate-limits')).toMatch(/^[1-9][0-9]*:error:project$/);
      expect(first.body).toMatchObject({ error: 'rate_limited', details: { categories: ['error'] } });
      // Another project is not limited; this one takes events again after Retry-After.
      await expectGoodEventAccepted();
      await new Promise((resolve) =>
        setTimeout(resolve, Number(first.headers.get('retry-after')) * 1000 + 100),
      );
      const again = await send();
      expect(again.status).toBe(200);
      expect((await lastEvent('2'))?.event_id).toBe(again.body.id);
    });
  });
});
