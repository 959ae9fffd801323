import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import { startNatsServer, waitFor, type NatsServerHandle } from '@vigil/testing';

import { DurablePullConsumer } from '../src/nats/durable-pull-consumer';
import { SERVER_DELIVERY_GRACE } from '../src/nats/redelivery';

/** Adaptive batching and delivery limits of the durable pull consumer against a real nats-server. */
describe('DurablePullConsumer (real nats-server)', () => {
  let nats: NatsServerHandle;
  let nc: NatsConnection;
  let consumer: DurablePullConsumer | undefined;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    await (await jetstreamManager(nc)).streams.add({ name: 'PULL_TEST', subjects: ['pull.test.>'] });
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  const publish = async (subject: string, count: number) => {
    const js = jetstream(nc);
    for (let i = 0; i < count; i++) await js.publish(subject, String(i));
  };

  it('hands a lone message over at once, not when a pull request expires', async () => {
    const batches: number[] = [];
    consumer = new DurablePullConsumer(nc, jetstream(nc), {
      stream: 'PULL_TEST',
      durable: 'lone',
      config: { filter_subject: 'pull.test.lone' },
      batch: 100,
      expiresMs: 60_000, // a fetch-based loop would sit on this message for a minute
      handle: (messages) => {
        batches.push(messages.length);
        for (const msg of messages) msg.ack();
        return Promise.resolve();
      },
    });
    await consumer.start();
    await publish('pull.test.lone', 1);
    await waitFor(() => batches.length === 1 || null, { timeoutMs: 10_000, description: 'lone message' });
    expect(batches).toEqual([1]);
  });

  it('fills batches while others are in flight and hands every message over once', async () => {
    const seen: string[] = [];
    const batches: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    consumer = new DurablePullConsumer(nc, jetstream(nc), {
      stream: 'PULL_TEST',
      durable: 'busy',
      config: { filter_subject: 'pull.test.busy' },
      batch: 10,
      expiresMs: 1000,
      concurrency: 2,
      handle: async (messages: JsMsg[]) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        batches.push(messages.length);
        await gate; // every batch waits until all messages are published
        for (const msg of messages) {
          seen.push(msg.string());
          msg.ack();
        }
        inFlight -= 1;
      },
    });
    await consumer.start();
    await publish('pull.test.busy', 45);
    await waitFor(() => batches.length >= 2 || null, { timeoutMs: 10_000, description: 'two batches' });
    expect(batches[0]).toBeLessThan(10);
    release();
    await waitFor(() => seen.length === 45 || null, { timeoutMs: 10_000, description: 'all handled' });
    expect([...seen].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 45 }, (_, i) => `${i}`),
    );
    expect(mostInFlight).toBeLessThanOrEqual(2);
    // The first batch started at once with what had arrived; the second, started while the first was
    // in flight, waited until it was full.
    expect(batches[1]).toBe(10);
  });

  const deliveryLimit = { maxDeliver: 3, backoffMs: [50, 100] };
  const consumerInfo = async (durable: string) =>
    (await jetstreamManager(nc)).consumers.info('PULL_TEST', durable);

  it('tells the handler a message is on its last delivery, after retries spaced by the backoff', async () => {
    const deliveries: { count: number; final: boolean; at: number }[] = [];
    consumer = new DurablePullConsumer(nc, jetstream(nc), {
      stream: 'PULL_TEST',
      durable: 'limited',
      config: { filter_subject: 'pull.test.limited' },
      delivery: deliveryLimit,
      batch: 10,
      expiresMs: 1000,
      handle: (messages, redelivery) => {
        for (const msg of messages) {
          const final = redelivery.isFinal(msg);
          deliveries.push({ count: msg.info.deliveryCount, final, at: Date.now() });
          // The handler's rule: retry until the last delivery, then settle for good.
          if (final) msg.ack();
          else redelivery.retry(msg);
        }
        return Promise.resolve();
      },
    });
    await consumer.start();
    await publish('pull.test.limited', 1);
    await waitFor(() => deliveries.some((d) => d.final) || null, { timeoutMs: 10_000, description: 'final' });
    expect(deliveries.map((d) => [d.count, d.final])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(deliveries[1].at - deliveries[0].at).toBeGreaterThanOrEqual(40);
    expect(deliveries[2].at - deliveries[1].at).toBeGreaterThanOrEqual(90);
    const info = await consumerInfo('limited');
    expect(info.config.max_deliver).toBe(deliveryLimit.maxDeliver + SERVER_DELIVERY_GRACE);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

  it('retries what a throwing handler left, and the server stops redelivering at its limit', async () => {
    const counts: number[] = [];
    consumer = new DurablePullConsumer(nc, jetstream(nc), {
      stream: 'PULL_TEST',
      durable: 'throwing',
      config: { filter_subject: 'pull.test.throwing' },
      delivery: deliveryLimit,
      batch: 10,
      expiresMs: 1000,
      handle: (messages) => {
        counts.push(...messages.map((m) => m.info.deliveryCount));
        return Promise.reject(new Error('always fails'));
      },
    });
    await consumer.start();
    await publish('pull.test.throwing', 1);
    const limit = deliveryLimit.maxDeliver + SERVER_DELIVERY_GRACE;
    await waitFor(() => counts.length >= limit || null, { timeoutMs: 10_000, description: 'all deliveries' });
    // Deliveries came at most 100 ms apart (the backoff, not ack_wait's 30 s); ten times that brings none.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(counts).toEqual(Array.from({ length: limit }, (_, i) => i + 1));
  });

  it('gives a consumer created without a delivery limit the limit on the next start', async () => {
    await (
      await jetstreamManager(nc)
    ).consumers.add('PULL_TEST', {
      durable_name: 'legacy',
      ack_policy: AckPolicy.Explicit,
      filter_subject: 'pull.test.legacy',
    });
    expect((await consumerInfo('legacy')).config.max_deliver).toBe(-1);
    consumer = new DurablePullConsumer(nc, jetstream(nc), {
      stream: 'PULL_TEST',
      durable: 'legacy',
      config: { filter_subject: 'pull.test.legacy' },
      delivery: deliveryLimit,
      batch: 10,
      expiresMs: 1000,
      handle: () => Promise.resolve(),
    });
    await consumer.start();
    expect((await consumerInfo('legacy')).config.max_deliver).toBe(
      deliveryLimit.maxDeliver + SERVER_DELIVERY_GRACE,
    );
  });
});
