import type { JsMsg } from '@nats-io/jetstream';

/** What `holdThroughOutage` found: the store answers now, it came back, or the service began to stop. */
export type OutageOutcome = 'answering' | 'over' | 'draining';

export interface OutageHoldOptions {
  /** Whether the store (Postgres) answers a trivial query now. */
  reachable(): Promise<boolean>;
  /** Whether the service is shutting down (it must not wait for the store then). */
  draining(): boolean;
  /** How often the store is asked again while it does not answer. */
  pollMs?: number;
  /** Told once when the hold starts. */
  onHold?(): void;
}

/**
 * While the store does not answer at all, a failure is nobody's message: the messages in hand are
 * kept (their ack deadline renewed with `working()`, so they are neither redelivered nor counted
 * against the consumer's delivery limit) until it answers again, so an outage of any length
 * dead-letters or drops nothing. Returns `answering` at once when the store answers (the failure was
 * the messages': retry them with the backoff), `over` once it is back after a hold, and `draining`
 * when the service starts stopping meanwhile (leave the messages for redelivery).
 */
export async function holdThroughOutage(
  messages: readonly JsMsg[],
  { reachable, draining, pollMs = 2000, onHold }: OutageHoldOptions,
): Promise<OutageOutcome> {
  if (await reachable()) return 'answering';
  onHold?.();
  while (!draining()) {
    for (const msg of messages) msg.working();
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (await reachable()) return 'over';
  }
  return 'draining';
}
