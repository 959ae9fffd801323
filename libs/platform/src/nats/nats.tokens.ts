/** The process's one NATS connection (`NatsConnection` from @nats-io/transport-node). */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
