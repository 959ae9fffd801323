import { jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import { startNatsServer, waitFor, type NatsServerHandle } from '@vigil/testing';

import { DurablePullConsumer } from '../src/nats/durable-pull-consumer';

/** Adaptive batching of the durable pull consumer against a real nats-server with JetStream. */
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
});
