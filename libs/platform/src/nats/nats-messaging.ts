import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { jetstream, type JetStreamClient, type JsMsg, type PubAck } from '@nats-io/jetstream';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';

import { HEADER_MSG_ID, rpcErrorSchema } from '@vigil/contracts';

import { contextFromNatsHeaders, correlationHeaders } from '../context/nats-headers';
import { runWithContext } from '../context/request-context';
import { SERVICE_IDENTITY, type ServiceIdentity } from '../config/config.tokens';
import { deadLetterCopy, deadLetterOf, type DeadLetterSource } from './dead-letter';
import { DurablePullConsumer, type DurablePullConsumerOptions } from './durable-pull-consumer';
import { NATS_CONNECTION } from './nats.tokens';
import { errorMessage } from '../errors/error-message';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** nats-server's default max_payload, used only before the first INFO arrived. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/**
 * Publishing, request/reply and responders over the one connection, always with correlation
 * headers. Payloads are plain JSON validated by the libs/contracts schemas, so a publisher in any
 * language speaks the same protocol.
 */
@Injectable()
export class NatsMessaging implements OnApplicationShutdown {
  private readonly logger = new Logger(NatsMessaging.name);
  private readonly subscriptions: Subscription[] = [];
  readonly js: JetStreamClient;

  constructor(
    @Inject(NATS_CONNECTION) readonly connection: NatsConnection,
    @Inject(SERVICE_IDENTITY) private readonly identity: ServiceIdentity,
  ) {
    this.js = jetstream(connection);
  }

  /** A durable pull consumer loop over this connection; call `start()` at bootstrap, `stop()` on destroy. */
  pullConsumer(options: DurablePullConsumerOptions): DurablePullConsumer {
    return new DurablePullConsumer(this.connection, this.js, options);
  }

  /** JetStream publish; `msgId` becomes Nats-Msg-Id so the stream drops duplicates. */
  async publish(subject: string, payload: unknown, msgId?: string): Promise<PubAck> {
    const headers = correlationHeaders(msgId ? { [HEADER_MSG_ID]: msgId } : {});
    return this.js.publish(subject, encoder.encode(JSON.stringify(payload)), {
      headers,
      ...(msgId ? { msgID: msgId } : {}),
    });
  }

  /**
   * Publishes `msg` to the dead-letter `subject` with `reason` (sanitised and bounded: a reason never
   * makes the publish fail) and acks it once JetStream stored the copy. A copy that would not fit the
   * server's max_payload keeps the original's sha256, length and a prefix instead (see deadLetterCopy).
   * Rejects when the copy could not be stored; the message is then left for the caller to settle.
   */
  async deadLetter(subject: string, msg: JsMsg, reason: string): Promise<{ truncated: boolean }> {
    const copy = deadLetterCopy({ subject, msg, reason }, this.maxPayload());
    await this.js.publish(subject, copy.data, { msgID: copy.msgId, headers: copy.headers });
    msg.ack();
    return { truncated: copy.truncated };
  }

  /**
   * Publishes bytes that never were a stream message (an HTTP request's bad item) to the dead-letter
   * `subject`, bounded like `deadLetter`. Rejects when JetStream did not store the copy.
   */
  async deadLetterBytes(
    subject: string,
    source: DeadLetterSource,
    reason: string,
  ): Promise<{ truncated: boolean }> {
    const copy = deadLetterOf(source, reason, this.maxPayload());
    await this.js.publish(subject, copy.data, { msgID: copy.msgId, headers: copy.headers });
    return { truncated: copy.truncated };
  }

  /** The server's max_payload (its INFO), or nats-server's default before the first INFO arrived. */
  maxPayload(): number {
    return this.connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
  }

  async request<T>(subject: string, payload: unknown, reply: z.ZodType<T>, timeoutMs: number): Promise<T> {
    const msg = await this.connection.request(subject, encoder.encode(JSON.stringify(payload)), {
      timeout: timeoutMs,
      headers: correlationHeaders(),
    });
    const body: unknown = JSON.parse(decoder.decode(msg.data));
    const failure = rpcErrorSchema.safeParse(body);
    if (failure.success) throw new RpcError(failure.data.error, failure.data.message);
    return reply.parse(body);
  }

  /**
   * Answers `subject` in a queue group named after the service (one replica answers each request).
   * Bad requests get `{error: 'bad_request'}`; handler failures `{error: 'internal_error', error_id}`, logged once.
   */
  serve<Req, Res>(subject: string, schema: z.ZodType<Req>, handler: (request: Req) => Promise<Res>): void {
    const sub = this.connection.subscribe(subject, {
      queue: this.identity.name,
      callback: (error, msg) => {
        if (error) return this.logger.error({ subject, error: error.message }, 'subscription failed');
        void runWithContext(contextFromNatsHeaders(msg.headers), () => this.answer(msg, schema, handler));
      },
    });
    this.subscriptions.push(sub);
  }

  private async answer<Req, Res>(msg: Msg, schema: z.ZodType<Req>, handler: (request: Req) => Promise<Res>) {
    let parsed: Req;
    try {
      parsed = schema.parse(JSON.parse(decoder.decode(msg.data)));
    } catch (error) {
      const message = errorMessage(error);
      return this.reply(msg, {
        error: 'bad_request',
        message: `invalid request on ${msg.subject}: ${message}`,
      });
    }
    try {
      this.reply(msg, await handler(parsed));
    } catch (error) {
      const errorId = randomUUID();
      this.logger.error({ subject: msg.subject, error_id: errorId, err: error }, 'request handler failed');
      this.reply(msg, {
        error: 'internal_error',
        message: `request failed (error id ${errorId})`,
        error_id: errorId,
      });
    }
  }

  private reply(msg: Msg, body: unknown): void {
    if (msg.reply) msg.respond(encoder.encode(JSON.stringify(body)), { headers: correlationHeaders() });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const sub of this.subscriptions) sub.unsubscribe();
    if (this.connection.isClosed()) return;
    // Draining needs the server; during an outage give up after a few seconds and close.
    const drained = this.connection.drain().then(
      () => true,
      () => false,
    );
    const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000).unref());
    if (!(await Promise.race([drained, timedOut]))) await this.connection.close().catch(() => undefined);
  }
}
