/** NATS and HTTP header names shared by every publisher and consumer. */
export const HEADER_REQUEST_ID = 'x-request-id';
export const HEADER_TRACEPARENT = 'traceparent';
/** JetStream de-duplication key; for audit events it is the event `id`. */
export const HEADER_MSG_ID = 'Nats-Msg-Id';
/** Set on messages republished to AUDIT_DLQ. */
export const HEADER_DLQ_REASON = 'Vigil-Dlq-Reason';
export const HEADER_DLQ_SUBJECT = 'Vigil-Original-Subject';
