import type { JsMsg } from '@nats-io/jetstream';

/** How often, and how far apart, a durable consumer lets a message be tried before giving up on it. */
export interface DeliveryPolicy {
  /** Deliveries a handler gets; on the last one it must settle the message for good (ack or dead-letter). */
  maxDeliver: number;
  /** Delay before redelivery n (1-based, after delivery n failed); the last value repeats. */
  backoffMs: readonly number[];
}

/** About five minutes of retries in all: long enough for a Postgres failover, short enough to show. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxDeliver: 10,
  backoffMs: [1000, 2000, 5000, 10_000, 30_000, 60_000],
};

/**
 * Deliveries the server still allows past the policy's last one. The handler settles a message on its
 * last delivery, so these only matter when that attempt itself could not finish (the process died, the
 * dead-letter publish failed); then the server still stops redelivering a little later, never loops.
 */
export const SERVER_DELIVERY_GRACE = 3;

/** The delivery policy applied to the messages of one consumer; handed to its batch handler. */
export class Redelivery {
  readonly policy: DeliveryPolicy;

  constructor(policy: Partial<DeliveryPolicy> = {}) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...policy };
    if (!Number.isInteger(this.policy.maxDeliver) || this.policy.maxDeliver < 1) {
      throw new Error(`maxDeliver must be a positive integer, got ${this.policy.maxDeliver}`);
    }
    if (this.policy.backoffMs.length === 0) throw new Error('backoffMs must hold at least one delay');
  }

  /** The max_deliver the JetStream consumer is configured with (the server-side backstop). */
  get serverMaxDeliver(): number {
    return this.policy.maxDeliver + SERVER_DELIVERY_GRACE;
  }

  /** True when this delivery is the message's last chance: the handler must not leave it for redelivery. */
  isFinal(msg: JsMsg): boolean {
    return msg.info.deliveryCount >= this.policy.maxDeliver;
  }

  /** The delay before this message's next delivery, growing with the deliveries it already had. */
  delayMs(msg: JsMsg): number {
    const { backoffMs } = this.policy;
    return backoffMs[Math.min(msg.info.deliveryCount, backoffMs.length) - 1] ?? backoffMs[0];
  }

  /** Asks for a later redelivery (a no-op for a message already acked or terminated). */
  retry(msg: JsMsg): void {
    msg.nak(this.delayMs(msg));
  }
}
