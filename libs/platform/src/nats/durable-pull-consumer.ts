import { Logger } from '@nestjs/common';
import {
  AckPolicy,
  jetstreamManager,
  type Consumer,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { errorMessage } from '../errors/error-message';
import { reportError } from '../errors/error-reporting';
import { Redelivery, type DeliveryPolicy } from './redelivery';

const ACK_WAIT_NS = 30 * 1e9;
const RETRY_DELAY_MS = 1000;

export interface DurablePullConsumerOptions {
  stream: string;
  durable: string;
  /**
   * Applied when the consumer is first created (filter, deliver policy…); later boots resume it as is,
   * except for the delivery limit, which follows `delivery` on every boot.
   */
  config: Partial<ConsumerConfig>;
  /** Delivery limit and backoff (defaults: DEFAULT_DELIVERY_POLICY); no message is redelivered forever. */
  delivery?: Partial<DeliveryPolicy>;
  batch: number;
  expiresMs: number;
  /** Batches handled at once (default 1); a batch's promise resolves when it has been handled. */
  concurrency?: number;
  /**
   * Receives each batch; acks, naks and terms are the handler's decision. `redelivery` tells which
   * deliveries are a message's last (settle it for good: ack or dead-letter) and naks with the backoff.
   * Messages a throwing handler left unsettled are retried with the backoff.
   */
  handle(messages: JsMsg[], redelivery: Redelivery): Promise<void>;
}

/**
 * A durable JetStream pull consumer loop: pulls continuously and hands batches over until stopped.
 * Survives NATS outages (retries every second, recreates the consumer if the server lost it) and
 * finishes the batch in hand before `stop()` resolves, so nothing is half-handled on shutdown.
 * Every consumer has a delivery limit: the handler is told a message's last delivery, and the server's
 * max_deliver (a few deliveries later) stops redelivery even if that last attempt never finished.
 */
export class DurablePullConsumer {
  private readonly logger: Logger;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private active: ConsumerMessages | null = null;
  private readonly redelivery: Redelivery;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly options: DurablePullConsumerOptions,
  ) {
    this.logger = new Logger(`DurablePullConsumer:${options.durable}`);
    this.redelivery = new Redelivery(options.delivery);
  }

  async start(): Promise<void> {
    await this.ensure();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Ends the subscription; the loop still hands over what was already queued, then finishes.
    this.active?.stop();
    await this.loop;
  }

  private async ensure(): Promise<void> {
    const { stream, durable, config } = this.options;
    const jsm = await jetstreamManager(this.nc);
    const max_deliver = this.redelivery.serverMaxDeliver;
    try {
      const info = await jsm.consumers.info(stream, durable);
      // Consumers created before the limit existed (or with another one) take it on this boot.
      if (info.config.max_deliver !== max_deliver) await this.updateLimit(stream, durable, max_deliver);
      return;
    } catch (error) {
      if (!/not found/i.test(String(error))) throw error;
    }
    try {
      await jsm.consumers.add(stream, {
        ack_policy: AckPolicy.Explicit,
        ack_wait: ACK_WAIT_NS,
        max_ack_pending: 10_000,
        ...config,
        max_deliver,
        durable_name: durable,
      });
    } catch (error) {
      // Another replica created it between our info and add.
      if (!/already in use|already exists/i.test(String(error))) throw error;
    }
  }

  /**
   * Gives an existing consumer the delivery limit. A server refusing the update must not stop the
   * service: the handler still settles each message on its last delivery, only the backstop is missing.
   */
  private async updateLimit(stream: string, durable: string, max_deliver: number): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    try {
      await jsm.consumers.update(stream, durable, { max_deliver });
      this.logger.log({ stream, durable, max_deliver }, 'consumer delivery limit updated');
    } catch (error) {
      this.logger.warn(
        { stream, durable, error: errorMessage(error) },
        'consumer delivery limit not updated',
      );
    }
  }

  private async run(): Promise<void> {
    const { stream, durable } = this.options;
    while (!this.stopping) {
      try {
        const consumer = await this.js.consumers.get(stream, durable);
        await this.consume(consumer);
      } catch (error) {
        const message = errorMessage(error);
        this.logger.warn({ stream, durable, error: message }, 'consumer interrupted; retrying');
        await this.ensure().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }

  /**
   * Continuous pull with adaptive batches: a batch starts at once when nothing is being handled (a lone
   * message is stored in milliseconds, not when a fetch fills or expires), and while batches are in
   * flight the next one starts only when it is full and a slot is free (under load, batches fill up and
   * the per-batch cost is shared). Reading pauses while two batches wait.
   */
  private async consume(consumer: Consumer): Promise<void> {
    const { batch, expiresMs } = this.options;
    const concurrency = this.options.concurrency ?? 1;
    const messages = await consumer.consume({
      max_messages: batch * 2,
      expires: expiresMs,
      abort_on_missing_resource: true,
    });
    this.active = messages;
    if (this.stopping) messages.stop(); // stop() raced the subscription: end after what is queued
    const waiting: JsMsg[] = [];
    const inFlight = new Set<Promise<void>>();
    const change = new ChangeSignal();
    let reading = true;

    const startable = () =>
      waiting.length > 0 && (inFlight.size === 0 || (waiting.length >= batch && inFlight.size < concurrency));
    const start = (taken: JsMsg[]) => {
      const handled: Promise<void> = this.options
        .handle(taken, this.redelivery)
        .catch((error: unknown) => this.handlerFailed(taken, error))
        .finally(() => {
          inFlight.delete(handled);
          change.notify();
        });
      inFlight.add(handled);
    };
    const dispatcher = (async () => {
      while (reading || waiting.length > 0) {
        if (startable()) {
          start(waiting.splice(0, batch));
          change.notify();
        } else {
          await change.next();
        }
      }
      await Promise.all(inFlight);
    })();

    try {
      for await (const msg of messages) {
        // Only a first waiting message or a full batch can let the dispatcher start one: waking it for
        // every message cost a measurable share of the throughput.
        if (waiting.push(msg) === 1 || waiting.length % batch === 0) change.notify();
        while (waiting.length >= batch * 2) await change.next();
      }
    } finally {
      reading = false;
      change.notify();
      await dispatcher;
    }
    if (!this.stopping) throw new Error('the consumer stopped delivering (deleted, or its stream?)');
  }

  /**
   * A handler failure must not stop the loop: what it left unsettled is retried with the backoff (a nak
   * after an ack is a no-op), and the server's delivery limit ends a message that always fails.
   */
  private handlerFailed(messages: readonly JsMsg[], error: unknown): void {
    const final = messages
      .filter((msg) => this.redelivery.isFinal(msg))
      .map((msg) => msg.info.streamSequence);
    this.logger.error(
      {
        stream: this.options.stream,
        error: errorMessage(error),
        batch: messages.length,
        final_stream_seqs: final,
      },
      'batch handler failed',
    );
    reportError(error, 'consumer', { stream: this.options.stream, durable: this.options.durable });
    for (const msg of messages) this.redelivery.retry(msg);
  }
}

/** Wakes whoever awaits `next()` when something changed (a message arrived, a batch started or ended). */
class ChangeSignal {
  private wake: () => void = () => undefined;
  private pending = this.renew();

  next(): Promise<void> {
    return this.pending;
  }

  notify(): void {
    this.wake();
    this.pending = this.renew();
  }

  private renew(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }
}
