/** NATS and HTTP header names shared by every publisher and consumer. */
export const HEADER_REQUEST_ID = 'x-request-id';
export const HEADER_TRACEPARENT = 'traceparent';
/** JetStream de-duplication key; for audit events it is the event `id`. */
export const HEADER_MSG_ID = 'Nats-Msg-Id';
/** Set on messages republished to a dead-letter stream (AUDIT_DLQ): why, and the original subject. */
export const HEADER_DLQ_REASON = 'Vigil-Dlq-Reason';
export const HEADER_DLQ_SUBJECT = 'Vigil-Original-Subject';
/** `<stream>:<sequence>` of the original message, which stays in its stream until that stream's max age. */
export const HEADER_DLQ_ORIGINAL = 'Vigil-Original-Message';
/**
 * Present when the dead letter's payload is not the original (it would not fit max_payload with the
 * headers): `sha256=<hex>; length=<bytes>` of the original; the payload is then a JSON record with that
 * hash, the length, the original's reference and a prefix of its bytes.
 */
export const HEADER_DLQ_TRUNCATED = 'Vigil-Dlq-Truncated';
