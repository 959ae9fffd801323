import { Logger } from '@nestjs/common';
import {
  AckPolicy,
  jetstreamManager,
  type ConsumerConfig,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

const ACK_WAIT_NS = 30 * 1e9;
const RETRY_DELAY_MS = 1000;

export interface DurablePullConsumerOptions {
  stream: string;
  durable: string;
  /** Applied when the consumer is first created (filter, deliver policy…); later boots resume it as is. */
  config: Partial<ConsumerConfig>;
  batch: number;
  expiresMs: number;
  /** Receives each fetched batch; acks, naks and terms are the handler's decision. */
  handle(messages: JsMsg[]): Promise<void>;
}

/**
 * A durable JetStream pull consumer loop: fetches batches and hands them over until stopped.
 * Survives NATS outages (retries every second, recreates the consumer if the server lost it) and
 * finishes the batch in hand before `stop()` resolves, so nothing is half-handled on shutdown.
 */
export class DurablePullConsumer {
  private readonly logger: Logger;
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly options: DurablePullConsumerOptions,
  ) {
    this.logger = new Logger(`DurablePullConsumer:${options.durable}`);
  }

  async start(): Promise<void> {
    await this.ensure();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async ensure(): Promise<void> {
    const { stream, durable, config } = this.options;
    const jsm = await jetstreamManager(this.nc);
    try {
      await jsm.consumers.info(stream, durable);
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
        durable_name: durable,
      });
    } catch (error) {
      // Another replica created it between our info and add.
      if (!/already in use|already exists/i.test(String(error))) throw error;
    }
  }

  private async run(): Promise<void> {
    const { stream, durable, batch, expiresMs } = this.options;
    while (!this.stopping) {
      try {
        const consumer = await this.js.consumers.get(stream, durable);
        while (!this.stopping) {
          const messages: JsMsg[] = [];
          for await (const msg of await consumer.fetch({ max_messages: batch, expires: expiresMs }))
            messages.push(msg);
          if (messages.length > 0) await this.options.handle(messages);
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.warn({ stream, durable, error: message }, 'fetch failed; retrying');
        if (/consumer not found|stream not found/i.test(message)) await this.ensure().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }
}
